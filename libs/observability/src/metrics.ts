import { Counter, Histogram, collectDefaultMetrics, register } from 'prom-client';

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
  'tandem_graphql_operation_seconds',
  () =>
    new Histogram({
      name: 'tandem_graphql_operation_seconds',
      help: 'GraphQL operation latency',
      labelNames: ['operation'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    }),
);

export const jobsProcessed = metric(
  'tandem_jobs_total',
  () => new Counter({ name: 'tandem_jobs_total', help: 'Background jobs by name and outcome', labelNames: ['job', 'outcome'] }),
);
