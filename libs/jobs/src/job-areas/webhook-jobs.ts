/** Webhook delivery jobs (issue 17): each job's payload (ids only) and its queue; job-types.ts merges every area. */
export type WebhookJobPayloads = Record<never, never>;

export const WEBHOOK_JOB_QUEUE = {} as const;
