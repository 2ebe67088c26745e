import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';
import { Client } from 'pg';
import { TEST_ADMIN_KEY, TEST_REDIS_URL, clearQueues, createTestDatabase, testConfig, testQueueStore } from '@tandem/testing';
import { TandemConfig } from '@tandem/common';
import SERVICE_NODE_ARGS from '../../tools/service-node-args.json';
import { ServiceProcess } from './processes';
import type { GqlResult } from './tandem';

const ROOT = path.resolve(__dirname, '../..');

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

/** One API process: its URL besides its process. */
export interface ApiProcess {
  service: ServiceProcess;
  url: string;
}

/**
 * Several API and worker processes on one test database and one queue prefix,
 * each started the way tools/start.ts starts them (its own port each, as behind
 * a load balancer). Requests go to the APIs in turn unless one is named.
 */
export class ProcessFleet {
  readonly adminKey = TEST_ADMIN_KEY;
  readonly apis: ApiProcess[] = [];
  readonly workers: ServiceProcess[] = [];
  private next = 0;

  private constructor(
    readonly config: TandemConfig,
    private readonly dropDb: () => Promise<void>,
  ) {}

  static async start(label: string, counts: { apis: number; workers: number }): Promise<ProcessFleet> {
    const db = await createTestDatabase(label);
    const fleet = new ProcessFleet(testConfig(db.url), db.drop);
    try {
      // Started side by side, as npm start does; each waits for its own /health.
      await Promise.all([
        ...Array.from({ length: counts.apis }, (_, i) => fleet.startApi(`api-${i + 1}`)),
        ...Array.from({ length: counts.workers }, (_, i) => fleet.startWorker(`worker-${i + 1}`)),
      ]);
    } catch (e) {
      await fleet.stop();
      throw e;
    }
    return fleet;
  }

  get databaseUrl(): string {
    return this.config.databaseUrl;
  }

  async startApi(name: string): Promise<ApiProcess> {
    const port = await freePort();
    const service = await this.spawn(name, 'apps/api/src/main.ts', port, { PORT: String(port) });
    const api = { service, url: `http://127.0.0.1:${port}` };
    this.apis.push(api);
    return api;
  }

  async startWorker(name: string): Promise<ServiceProcess> {
    const port = await freePort();
    const worker = await this.spawn(name, 'apps/worker/src/main.ts', port, { WORKER_PORT: String(port) });
    this.workers.push(worker);
    return worker;
  }

  async stop(): Promise<void> {
    await Promise.all([...this.apis.map((a) => a.service), ...this.workers].map((s) => s.stop()));
    await clearQueues(this.config);
    await this.dropDb();
  }

  /** A GraphQL operation on API `api` (0-based), or on the next API in turn. */
  async gql<T = any>(query: string, variables: Record<string, unknown> = {}, key?: string | null, api?: number): Promise<GqlResult<T>> {
    const target = this.apis[api ?? this.next++ % this.apis.length];
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (key) headers.authorization = `Bearer ${key}`;
    const res = await fetch(`${target.url}/graphql`, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
    return { ...((await res.json().catch(() => ({}))) as GqlResult<T>), status: res.status };
  }

  async ok<T = any>(query: string, variables: Record<string, unknown> = {}, key?: string | null, api?: number): Promise<T> {
    const r = await this.gql<T>(query, variables, key, api);
    if (r.errors?.length) throw new Error(`GraphQL errors: ${JSON.stringify(r.errors)}`);
    return r.data as T;
  }

  async code(query: string, variables: Record<string, unknown> = {}, key?: string | null, api?: number): Promise<string | undefined> {
    return (await this.gql(query, variables, key, api)).errors?.[0]?.extensions?.code;
  }

  /** Runs SQL on the fleet's database on a connection of its own. */
  async sql<R = any>(text: string, values: unknown[] = []): Promise<R[]> {
    const client = new Client({ connectionString: this.databaseUrl, application_name: 'tandem-test-probe' });
    await client.connect();
    try {
      return (await client.query(text, values)).rows as R[];
    } finally {
      await client.end();
    }
  }

  private async spawn(name: string, entry: string, port: number, env: NodeJS.ProcessEnv): Promise<ServiceProcess> {
    const child = spawn(process.execPath, [...SERVICE_NODE_ARGS, '-r', '@swc-node/register', entry], {
      cwd: ROOT,
      env: {
        ...process.env,
        NODE_ENV: 'production',
        DATABASE_URL: this.databaseUrl,
        REDIS_URL: TEST_REDIS_URL,
        TANDEM_QUEUE_STORE: testQueueStore(),
        TANDEM_ADMIN_KEY: TEST_ADMIN_KEY,
        TANDEM_QUEUE_PREFIX: this.config.queuePrefix,
        TANDEM_RATE_LIMIT_PER_SECOND: '0',
        TANDEM_RATE_LIMIT_ANONYMOUS_PER_SECOND: '0',
        LOG_LEVEL: 'warn',
        SWC_NODE_PROJECT: path.join(ROOT, 'tsconfig.base.json'),
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const service = new ServiceProcess(name, child);
    for (const until = Date.now() + 90_000; ; await new Promise((r) => setTimeout(r, 200))) {
      if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}:\n${service.log}`);
      const ok = await fetch(`http://127.0.0.1:${port}/health`).then((r) => r.status === 200, () => false);
      if (ok) return service;
      if (Date.now() > until) {
        await service.stop();
        throw new Error(`${name} did not become healthy:\n${service.log}`);
      }
    }
  }
}
