// First: tracing must start before any instrumented module loads (a no-op without OTEL_EXPORTER_OTLP_ENDPOINT).
import '@tandem/observability/start-tracing';
import 'reflect-metadata';
import { loadConfigOrExit } from '@tandem/common';
import { stopTracing } from '@tandem/observability';
import { createWorkerApp } from './worker.app';
import { QUEUE_BOARD_ROUTE } from './queue-board';

async function main() {
  const config = loadConfigOrExit();
  const app = await createWorkerApp(config);
  // The spans still buffered are sent before the process goes (Nest closes the app on SIGTERM).
  app.getHttpServer().once('close', () => void stopTracing());
  await app.listen(config.workerPort);
  const store = config.queueStore === 'postgres' ? 'PostgreSQL (BullMQ PostgreSQL backend)' : 'Redis';
  const traces = config.otlpEndpoint ? `; traces to ${config.otlpEndpoint}` : '';
  console.log(
    `tandem worker: processing jobs, queues on ${store}; health on http://localhost:${config.workerPort}/health, ` +
      `queues on http://localhost:${config.workerPort}${QUEUE_BOARD_ROUTE}${traces}`,
  );
}

main().catch((e: Error) => {
  console.error(`tandem worker: could not start: ${e.message}`);
  process.exit(1);
});
