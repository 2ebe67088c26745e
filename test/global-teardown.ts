import { rmSync } from 'node:fs';
import type { EmbeddedForRun } from './global-setup';

/** Stops the embedded PostgreSQL of test/global-setup.ts, if it started one, and removes its data. */
export default async function globalTeardown(): Promise<void> {
  const globals = globalThis as { tandemEmbeddedPostgres?: EmbeddedForRun };
  const embedded = globals.tandemEmbeddedPostgres;
  if (!embedded) return;
  globals.tandemEmbeddedPostgres = undefined;
  await embedded.server.stop();
  rmSync(embedded.dir, { recursive: true, force: true });
}
