import { Counter, Gauge, Histogram, register } from 'prom-client';

function metric<T>(name: string, make: () => T): T {
  return (register.getSingleMetric(name) as T | undefined) ?? make();
}

/** Attempts by outcome: `succeeded`, `retrying` (failed, another attempt is due), `failed` (the last one failed), `refused` (a target the SSRF guard refused: FAILED at once). */
export const webhookAttempts = metric(
  'tandem_webhook_attempts_total',
  () => new Counter({ name: 'tandem_webhook_attempts_total', help: 'Webhook delivery attempts by outcome', labelNames: ['outcome'] }),
);

export const webhookAttemptDuration = metric(
  'tandem_webhook_attempt_duration_seconds',
  () =>
    new Histogram({
      name: 'tandem_webhook_attempt_duration_seconds',
      help: 'Latency of one webhook delivery attempt, to the answer or the timeout',
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    }),
);

let oldestPendingAge: (() => Promise<number>) | null = null;

/** Where the oldest pending delivery's age is read from when /metrics is scraped (one reader per process). */
export function readOldestPendingAgeFrom(read: () => Promise<number>): void {
  oldestPendingAge = read;
}

export const webhookOldestPendingAge = metric(
  'tandem_webhook_oldest_pending_age_seconds',
  () =>
    new Gauge({
      name: 'tandem_webhook_oldest_pending_age_seconds',
      help: 'Age in seconds of the oldest webhook delivery still pending',
      async collect() {
        if (oldestPendingAge) this.set(await oldestPendingAge().catch(() => 0));
      },
    }),
);
