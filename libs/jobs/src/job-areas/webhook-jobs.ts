import { QUEUES } from '../queues';

/** Webhook delivery jobs (issue 17): each job's payload (ids only) and its queue; job-types.ts merges every area. */
export interface WebhookJobPayloads {
  /**
   * One attempt of one delivery: `attempt` is the delivery's attempt number this
   * job makes (1 for the first). A job whose attempt was already made, or whose
   * delivery is gone or no longer pending, does nothing.
   */
  'deliver-webhook': { deliveryId: string; attempt: number };
}

export const WEBHOOK_JOB_QUEUE = {
  'deliver-webhook': QUEUES.webhooks,
} as const;
