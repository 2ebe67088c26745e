// First: tracing patches only the modules loaded after it (libs/observability/src/start-tracing.ts).
import '@tandem/observability/start-tracing';
import 'reflect-metadata';
import { loadConfigOrExit } from '@tandem/common';
import { createApiApp } from './api.app';

async function main() {
  const config = loadConfigOrExit();
  const app = await createApiApp(config);
  await app.listen(config.port);
  console.log(`tandem api: GraphQL on http://localhost:${config.port}/graphql`);
}

main().catch((e: Error) => {
  console.error(`tandem api: could not start: ${e.message}`);
  process.exit(1);
});
