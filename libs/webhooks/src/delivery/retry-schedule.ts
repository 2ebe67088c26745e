import { WebhookDeliveryStatus } from './webhook-delivery.repository';

/** A 2xx answer is success; anything else (another status, no answer) a failure. */
export const isSuccess = (responseStatus: number | null) => responseStatus !== null && responseStatus >= 200 && responseStatus < 300;

/**
 * What follows an attempt: SUCCEEDED, PENDING with the delay before the next
 * attempt (TANDEM_WEBHOOK_RETRY_SECONDS, counted from the start of the current
 * round: a redelivery starts a new one), or FAILED after the last.
 */
export function afterAttempt(
  attempt: number,
  roundStart: number,
  responseStatus: number | null,
  retrySeconds: readonly number[],
): { status: WebhookDeliveryStatus; retryInSeconds: number | null } {
  if (isSuccess(responseStatus)) return { status: 'SUCCEEDED', retryInSeconds: null };
  const inRound = attempt - roundStart;
  if (inRound >= 1 && inRound <= retrySeconds.length) return { status: 'PENDING', retryInSeconds: retrySeconds[inRound - 1] };
  return { status: 'FAILED', retryInSeconds: null };
}
