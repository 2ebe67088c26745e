/** Every queue. A job's queue follows from its name, so call sites name only the job. */
export const QUEUES = {
  routing: 'routing',
  ledger: 'ledger',
  maintenance: 'maintenance',
  health: 'health',
  webhooks: 'webhooks',
} as const;
export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];
