import { Counter, Gauge, Histogram, collectDefaultMetrics, register } from 'prom-client';

let started = false;

/** Process metrics once per process (several Nest apps may share one in tests). */
export function startDefaultMetrics(): void {
  if (started) return;
  started = true;
  collectDefaultMetrics();
}

function metric<T>(name: string, make: () => T): T {
  return (register.getSingleMetric(name) as T | undefined) ?? make();
}

export const graphqlRequests = metric(
  'tandem_graphql_operations_total',
  () => new Counter({ name: 'tandem_graphql_operations_total', help: 'GraphQL operations by name and outcome', labelNames: ['operation', 'outcome'] }),
);

export const graphqlDuration = metric(
  'tandem_graphql_operation_duration_seconds',
  () =>
    new Histogram({
      name: 'tandem_graphql_operation_duration_seconds',
      help: 'GraphQL operation latency',
      labelNames: ['operation'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    }),
);

/**
 * What became of each run of a background job: `completed`, `retrying` (this
 * attempt failed and BullMQ will try again) or `failed` (moved to failed for good).
 */
export const JOB_OUTCOMES = ['completed', 'retrying', 'failed'] as const;
export type JobOutcome = (typeof JOB_OUTCOMES)[number];

export const jobsProcessed = metric(
  'tandem_jobs_total',
  () =>
    new Counter({
      name: 'tandem_jobs_total',
      help: 'Runs of background jobs by queue, job name and outcome (completed, retrying, failed for good)',
      labelNames: ['queue', 'job', 'outcome'],
    }),
);

export const jobDuration = metric(
  'tandem_job_duration_seconds',
  () =>
    new Histogram({
      name: 'tandem_job_duration_seconds',
      help: 'How long one run of a background job took, by queue, job name and outcome',
      labelNames: ['queue', 'job', 'outcome'],
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10, 60],
    }),
);

/**
 * The outbox's backlog: rows committed and not yet relayed to the queues, and
 * the age of the oldest (0 when none waits; alert when it grows). Registered by
 * the worker only (apps/worker/src/worker-metrics.ts), which sets them on every
 * scrape, so the API's /metrics does not show a backlog it never measures.
 */
export function outboxMetrics(): { backlog: Gauge; oldestAgeSeconds: Gauge } {
  return {
    backlog: metric('tandem_outbox_backlog', () => new Gauge({ name: 'tandem_outbox_backlog', help: 'Outbox rows not yet relayed to the queues' })),
    oldestAgeSeconds: metric(
      'tandem_outbox_oldest_age_seconds',
      () => new Gauge({ name: 'tandem_outbox_oldest_age_seconds', help: 'Age in seconds of the oldest outbox row not yet relayed, 0 when none' }),
    ),
  };
}
