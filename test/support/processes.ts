import { ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { Client } from 'pg';
import { TEST_ADMIN_KEY, TEST_REDIS_URL, clearQueues, createTestDatabase, testQueueStore } from '@tandem/testing';
import SERVICE_NODE_ARGS from '../../tools/service-node-args.json';
import type { GqlResult } from './tandem';

const ROOT = path.resolve(__dirname, '../..');
/** A port no one listens on now, chosen by the OS. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** One API or worker, a process of its own as in production. */
export class ServiceProcess {
  private output = '';

  constructor(
    readonly name: string,
    readonly child: ChildProcess,
  ) {
    const keep = (chunk: Buffer) => {
      this.output = (this.output + chunk.toString()).slice(-20_000);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
  }

  get pid(): number {
    if (this.child.pid === undefined) throw new Error(`${this.name} has no process`);
    return this.child.pid;
  }

  /** What the process printed last: for a failing test's message. */
  get log(): string {
    return this.output;
  }

  /** 'T' while stopped by SIGSTOP (Linux /proc). */
  get state(): string {
    const stat = readFileSync(`/proc/${this.pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  }

  pause(): void {
    this.child.kill('SIGSTOP');
  }

  resume(): void {
    this.child.kill('SIGCONT');
  }

  stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return Promise.resolve();
    return new Promise((resolve) => {
      this.child.once('exit', () => resolve());
      this.child.kill('SIGCONT');
      this.child.kill('SIGTERM');
      setTimeout(() => this.child.kill('SIGKILL'), 10_000).unref();
    });
  }
}

/** A GraphQL operation over HTTP, as a partner sends it, with the HTTP status beside the result. */
export async function postGraphql<T = any>(url: string, query: string, variables: Record<string, unknown>, key?: string | null): Promise<GqlResult<T>> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (key) headers.authorization = `Bearer ${key}`;
  const res = await fetch(`${url}/graphql`, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
  return { ...((await res.json().catch(() => ({}))) as GqlResult<T>), status: res.status };
}

/** Runs SQL on a test database on a connection of its own. */
export async function probeSql<R = any>(databaseUrl: string, text: string, values: unknown[] = []): Promise<R[]> {
  const client = new Client({ connectionString: databaseUrl, application_name: 'tandem-test-probe' });
  await client.connect();
  try {
    return (await client.query(text, values)).rows as R[];
  } finally {
    await client.end();
  }
}

/**
 * How to run an entry point: its compiled JavaScript in dist/ on the compiled
 * pass (jest.dist.config.js sets TANDEM_TEST_COMPILED), its TypeScript otherwise.
 */
export function entryArgs(entry: string): string[] {
  if (process.env.TANDEM_TEST_COMPILED === '1') return [path.join(ROOT, 'dist', entry.replace(/\.ts$/, '.js'))];
  return ['-r', '@swc-node/register', entry];
}

export interface ServiceSpawn {
  name: string;
  /** The entry point, e.g. apps/api/src/main.ts. */
  entry: string;
  /** The port its /health answers on. */
  port: number;
  databaseUrl: string;
  queuePrefix: string;
  /** Variables of its own (its port, a test fault). */
  env: NodeJS.ProcessEnv;
  healthyWithinMs: number;
}

/**
 * Starts an API or a worker as production runs it (NODE_ENV=production, the
 * service's Node flags) on the run's queue store, and waits for its /health;
 * one that dies or never becomes healthy is stopped and reported with its output.
 */
export async function spawnService(s: ServiceSpawn): Promise<ServiceProcess> {
  const child = spawn(process.execPath, [...SERVICE_NODE_ARGS, ...entryArgs(s.entry)], {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      DATABASE_URL: s.databaseUrl,
      REDIS_URL: TEST_REDIS_URL,
      // The store the run uses: Redis, or the queues on PostgreSQL where no Redis answers.
      TANDEM_QUEUE_STORE: testQueueStore(),
      TANDEM_ADMIN_KEY: TEST_ADMIN_KEY,
      TANDEM_QUEUE_PREFIX: s.queuePrefix,
      // Tests fire requests faster than a partner would.
      TANDEM_RATE_LIMIT_PER_SECOND: '0',
      TANDEM_RATE_LIMIT_ANONYMOUS_PER_SECOND: '0',
      LOG_LEVEL: 'warn',
      SWC_NODE_PROJECT: path.join(ROOT, 'tsconfig.base.json'),
      ...s.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const service = new ServiceProcess(s.name, child);
  for (const until = Date.now() + s.healthyWithinMs; ; await new Promise((r) => setTimeout(r, 200))) {
    if (child.exitCode !== null) throw new Error(`${s.name} exited with ${child.exitCode}:\n${service.log}`);
    const ok = await fetch(`http://127.0.0.1:${s.port}/health`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ok) return service;
    if (Date.now() > until) {
      await service.stop();
      throw new Error(`${s.name} did not become healthy:\n${service.log}`);
    }
  }
}

/**
 * An API and any number of workers as child processes (as bench/support.ts
 * starts them), on one test database and one queue prefix.
 */
export class ProcessStack {
  readonly adminKey = TEST_ADMIN_KEY;
  readonly services: ServiceProcess[] = [];
  readonly queuePrefix = `tandem-test-procs-${process.pid}-${Date.now()}`;
  url = '';

  private constructor(
    readonly databaseUrl: string,
    private readonly dropDb: () => Promise<void>,
  ) {}

  static async start(label: string): Promise<ProcessStack> {
    const db = await createTestDatabase(label);
    const stack = new ProcessStack(db.url, db.drop);
    const port = await freePort();
    await stack.spawn('api', 'apps/api/src/main.ts', port, { PORT: String(port) });
    stack.url = `http://127.0.0.1:${port}`;
    return stack;
  }

  /** Starts a worker; `env` adds variables of its own (a test fault). */
  async startWorker(name: string, env: NodeJS.ProcessEnv = {}): Promise<ServiceProcess> {
    const port = await freePort();
    return this.spawn(name, 'apps/worker/src/main.ts', port, { WORKER_PORT: String(port), ...env });
  }

  async stop(): Promise<void> {
    await Promise.all(this.services.map((s) => s.stop()));
    if (testQueueStore() === 'redis') await clearQueues(TEST_REDIS_URL, this.queuePrefix);
    await this.dropDb();
  }

  gql<T = any>(query: string, variables: Record<string, unknown> = {}, key?: string | null): Promise<GqlResult<T>> {
    return postGraphql<T>(this.url, query, variables, key);
  }

  async ok<T = any>(query: string, variables: Record<string, unknown> = {}, key?: string | null): Promise<T> {
    const r = await this.gql<T>(query, variables, key);
    if (r.errors?.length) throw new Error(`GraphQL errors: ${JSON.stringify(r.errors)}`);
    return r.data as T;
  }

  /** Runs SQL on the stack's database on a connection of its own. */
  sql<R = any>(text: string, values: unknown[] = []): Promise<R[]> {
    return probeSql<R>(this.databaseUrl, text, values);
  }

  private async spawn(name: string, entry: string, port: number, env: NodeJS.ProcessEnv): Promise<ServiceProcess> {
    const service = await spawnService({ name, entry, port, env, databaseUrl: this.databaseUrl, queuePrefix: this.queuePrefix, healthyWithinMs: 60_000 });
    this.services.push(service);
    return service;
  }
}
