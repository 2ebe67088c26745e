import { chmodSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EmbeddedPostgres, isListening, startEmbeddedPostgres } from '../tools/embedded/postgres';

/**
 * Once per Jest run: when no PostgreSQL answers on 127.0.0.1:5432 (and
 * TEST_DATABASE_URL is unset), one embedded PostgreSQL serves the whole run;
 * suites still create a database each on it. When no Redis answers on
 * 127.0.0.1:6379 (and TEST_REDIS_URL is unset), the queues run on PostgreSQL.
 * Jest forks its workers after this, so they inherit the variables set here.
 */
export interface EmbeddedForRun {
  server: EmbeddedPostgres;
  dir: string;
}

const globals = globalThis as { tandemEmbeddedPostgres?: EmbeddedForRun };

export default async function globalSetup(): Promise<void> {
  if (!process.env.TEST_DATABASE_URL && !(await isListening(5432))) {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'tandem-test-postgres-'));
    chmodSync(dir, 0o755); // as root, PostgreSQL runs as the postgres user, who must reach its data
    const server = await startEmbeddedPostgres({ dataDir: dir, holder: 'jest' });
    globals.tandemEmbeddedPostgres = { server, dir };
    process.env.TEST_DATABASE_URL = server.url('postgres');
    console.log(`\njest: nothing answers on 127.0.0.1:5432; this run uses an embedded PostgreSQL on port ${server.port}`);
  }
  if (!process.env.TEST_REDIS_URL && !process.env.TEST_QUEUE_STORE && !(await isListening(6379))) {
    process.env.TEST_QUEUE_STORE = 'postgres';
    console.log('jest: nothing answers on 127.0.0.1:6379; this run keeps the job queues on PostgreSQL');
  }
}
