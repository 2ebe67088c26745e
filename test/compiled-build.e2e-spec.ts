import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { TEST_ADMIN_KEY, TEST_REDIS_URL, createTestDatabase, testQueueStore } from '@tandem/testing';

const ROOT = path.resolve(__dirname, '..');
const API = path.join(ROOT, 'dist/apps/api/src/main.js');

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Runs the compiled API with plain node (no TypeScript runner), as the image does. */
function runApi(env: NodeJS.ProcessEnv) {
  const child = spawn(process.execPath, [API], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, NODE_ENV: 'production', TANDEM_ADMIN_KEY: TEST_ADMIN_KEY, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, exited, stderr: () => stderr };
}

// Built by `npm run build` (.ci/run builds before its second end-to-end pass).
(existsSync(API) ? describe : describe.skip)('the compiled build (dist/)', () => {
  it('boots with plain node and answers /health and GraphQL', async () => {
    const db = await createTestDatabase('compiled-build');
    const port = await freePort();
    const api = runApi({
      DATABASE_URL: db.url,
      REDIS_URL: TEST_REDIS_URL,
      TANDEM_QUEUE_STORE: testQueueStore(),
      TANDEM_QUEUE_PREFIX: `tandem-test-dist-${process.pid}`,
      PORT: String(port),
    });
    try {
      let health = 0;
      for (const until = Date.now() + 60_000; health !== 200 && Date.now() < until && api.child.exitCode === null;) {
        await new Promise((r) => setTimeout(r, 250));
        health = await fetch(`http://127.0.0.1:${port}/health`).then(
          (r) => r.status,
          () => 0,
        );
      }
      expect({ health, stderr: api.stderr() }).toEqual({ health: 200, stderr: '' });
      const res = await fetch(`http://127.0.0.1:${port}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${TEST_ADMIN_KEY}` },
        body: JSON.stringify({ query: '{ __typename }' }),
      });
      expect(await res.json()).toEqual({ data: { __typename: 'Query' } });
    } finally {
      api.child.kill('SIGTERM');
      await api.exited;
      await db.drop();
    }
  });

  // A bad setting stops the start before anything is touched: exit code 1 and one line naming it.
  it.each([
    ['TANDEM_HEALTH_SNAPSHOT_MINUTES', 'abc', 'TANDEM_HEALTH_SNAPSHOT_MINUTES must be a whole number from 1 to 1440, got "abc"'],
    ['TANDEM_HEALTH_SNAPSHOT_MINUTES', '0', 'TANDEM_HEALTH_SNAPSHOT_MINUTES must be a whole number from 1 to 1440, got "0"'],
    ['LOG_LEVEL', 'loud', 'LOG_LEVEL must be fatal, error, warn, info, debug, trace or silent, got "loud"'],
    ['PORT', 'eighty', 'PORT must be a port number from 0 to 65535, got "eighty"'],
    ['DATABASE_URL', 'mysql://x@y/z', 'DATABASE_URL must be a postgres:// or postgresql:// URL naming a database'],
    ['TANDEM_QUEUE_STORE', 'kafka', 'TANDEM_QUEUE_STORE must be redis or postgres, got "kafka"'],
  ])('stops on %s=%j with one line and exit code 1', async (name, value, line) => {
    const api = runApi({ [name]: value });
    expect(await api.exited).toBe(1);
    expect(api.stderr()).toBe(`tandem: configuration error: ${line}\n`);
  });
});
