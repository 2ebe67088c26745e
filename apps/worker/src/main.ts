import 'reflect-metadata';
import { loadConfigOrExit } from '@tandem/common';
import { createWorkerApp } from './worker.app';

async function main() {
  const config = loadConfigOrExit();
  const app = await createWorkerApp(config);
  await app.listen(config.workerPort);
  const store = config.queueStore === 'postgres' ? 'PostgreSQL (BullMQ PostgreSQL backend)' : 'Redis';
  console.log(`tandem worker: processing jobs, queues on ${store}; health on http://localhost:${config.workerPort}/health`);
}

main().catch((e: Error) => {
  console.error(`tandem worker: could not start: ${e.message}`);
  process.exit(1);
});
