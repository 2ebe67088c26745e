import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ChildProcess, spawn } from 'node:child_process';
import { TandemConfig, loadConfig } from '@tandem/common';
import SERVICE_NODE_ARGS from '../tools/service-node-args.json';
import { dropDatabase, ensureDatabase, migrate } from '@tandem/persistence';

/** p-th percentile (0-100) of a sample, nearest-rank. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}

export interface Figure {
  /** What was measured, e.g. "placeOrder throughput". */
  name: string;
  value: number;
  unit: string;
  /** The same kind of figure for the stack's own limit, measured in the same run. */
  baseline?: { name: string; value: number };
  /** The target, as text ("ratio >= 0.5", "p99 < 20 ms"), and whether it was met. */
  target?: string;
  met?: boolean;
}

export class Report {
  readonly figures: Figure[] = [];

  add(f: Figure): void {
    this.figures.push(f);
    const base = f.baseline ? ` (baseline ${f.baseline.name}: ${fmt(f.baseline.value)})` : '';
    const target = f.target ? ` [${f.target}: ${f.met ? 'met' : 'NOT met'}]` : '';
    console.log(`  ${f.name}: ${fmt(f.value)} ${f.unit}${base}${target}`);
  }

  write(dir: string): void {
    mkdirSync(dir, { recursive: true });
    const stamp = new Date().toISOString();
    writeFileSync(path.join(dir, 'latest.json'), JSON.stringify({ at: stamp, machine: machine(), figures: this.figures }, null, 2));
    const rows = this.figures.map(
      (f) =>
        `| ${f.name} | ${fmt(f.value)} ${f.unit} | ${f.baseline ? `${f.baseline.name}: ${fmt(f.baseline.value)}` : ''} | ${f.target ?? ''} | ${
          f.target ? (f.met ? 'met' : '**not met**') : ''
        } |`,
    );
    writeFileSync(
      path.join(dir, 'latest.md'),
      [`Benchmarks, ${stamp}, ${machine()}`, '', '| figure | value | baseline (same run) | target | |', '| --- | --- | --- | --- | --- |', ...rows, ''].join('\n'),
    );
  }
}

export function fmt(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  return Math.abs(n) >= 100 ? n.toFixed(0) : Math.abs(n) >= 10 ? n.toFixed(1) : n.toFixed(2);
}

function machine(): string {
  const os = require('node:os') as typeof import('node:os');
  return `${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
}

/** A running API and worker, each its own process as in production, on a bench database of their own. */
export interface BenchStack {
  config: TandemConfig;
  url: string;
  /** Peak resident memory of each process so far, in MB (Linux VmHWM). */
  peakRssMb: { api: number; worker: number };
  startWorker(): Promise<void>;
  stopWorker(): Promise<void>;
  stop(): Promise<void>;
}

const ROOT = path.resolve(__dirname, '..');
let nextPort = 4100;

function spawnService(entry: string, env: NodeJS.ProcessEnv, port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, [...SERVICE_NODE_ARGS, '-r', '@swc-node/register', entry], {
    cwd: ROOT,
    env: { ...env, SWC_NODE_PROJECT: path.join(ROOT, 'tsconfig.base.json') },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    const until = Date.now() + 60_000;
    const poll = async () => {
      if (child.exitCode !== null) return reject(new Error(`${entry} exited with ${child.exitCode}`));
      const ok = await fetch(`http://127.0.0.1:${port}/health`).then((r) => r.status === 200).catch(() => false);
      if (ok) return resolve(child);
      if (Date.now() > until) return reject(new Error(`${entry} did not become healthy`));
      setTimeout(poll, 200);
    };
    void poll();
  });
}

/** The process's peak resident set (VmHWM) in MB, or 0 where /proc is not there. */
function peakRssMb(child: ChildProcess | undefined): number {
  try {
    const status = readFileSync(`/proc/${child?.pid}/status`, 'utf8');
    return Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024;
  } catch {
    return 0;
  }
}

function stopService(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/** Where the stack's queues run, as the bench reports it: `redis`, or `postgres` (TANDEM_QUEUE_STORE=postgres). */
export function queueMode(config: Pick<TandemConfig, 'queueStore'>): string {
  return config.queueStore;
}

export async function startStack(dbName: string, opts: { worker?: boolean } = {}): Promise<BenchStack> {
  const base = new URL(process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
  base.pathname = `/${dbName}`;
  const databaseUrl = base.toString();
  await dropDatabase(databaseUrl);
  await ensureDatabase(databaseUrl);
  await migrate(databaseUrl);
  const port = nextPort++;
  const workerPort = nextPort++;
  const env = {
    ...process.env,
    NODE_ENV: 'production',
    DATABASE_URL: databaseUrl,
    TANDEM_ADMIN_KEY: 'tnd_admin_bench_key_0123456789',
    TANDEM_QUEUE_PREFIX: `tandem-bench-${dbName}`,
    LOG_LEVEL: 'warn',
    PORT: String(port),
    WORKER_PORT: String(workerPort),
  };
  const config: TandemConfig = { ...loadConfig(env), port };
  console.log(`  queues on ${queueMode(config)}${config.queueStore === 'postgres' ? ' (BullMQ PostgreSQL backend, TANDEM_QUEUE_STORE=postgres)' : ''}`);
  const api = await spawnService('apps/api/src/main.ts', env, port);
  let worker: ChildProcess | undefined;
  const peak = { api: 0, worker: 0 };
  const sample = () => {
    peak.api = Math.max(peak.api, peakRssMb(api));
    peak.worker = Math.max(peak.worker, peakRssMb(worker));
  };
  const stack: BenchStack = {
    config,
    url: `http://127.0.0.1:${port}`,
    peakRssMb: peak,
    async startWorker() {
      worker ??= await spawnService('apps/worker/src/main.ts', env, workerPort);
    },
    async stopWorker() {
      sample();
      await stopService(worker);
      worker = undefined;
    },
    async stop() {
      sample();
      await stopService(worker);
      await stopService(api);
    },
  };
  if (opts.worker !== false) await stack.startWorker();
  return stack;
}

export async function gql<T = any>(url: string, query: string, variables: Record<string, unknown> = {}, key?: string): Promise<T> {
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: T; errors?: unknown[] };
  if (body.errors?.length) throw new Error(`GraphQL errors: ${JSON.stringify(body.errors)}`);
  return body.data as T;
}

/** pgbench's TPC-B-like transactions per second on the same server, as the posting baseline. */
export function pgbenchTps(databaseUrl: string, seconds: number, clients: number): number {
  const u = new URL(databaseUrl);
  u.pathname = '/tandem_bench_pgbench';
  const env = { ...process.env, PGHOST: u.hostname, PGPORT: u.port || '5432', PGUSER: decodeURIComponent(u.username || 'postgres') };
  execFileSync('psql', ['-d', 'postgres', '-c', 'DROP DATABASE IF EXISTS tandem_bench_pgbench', '-c', 'CREATE DATABASE tandem_bench_pgbench'], { env, stdio: 'ignore' });
  execFileSync('pgbench', ['-i', '-q', '-s', '1', 'tandem_bench_pgbench'], { env, stdio: 'ignore' });
  const out = execFileSync('pgbench', ['-b', 'tpcb-like', '-c', String(clients), '-j', String(clients), '-T', String(seconds), 'tandem_bench_pgbench'], { env }).toString();
  const m = /tps = ([\d.]+)/.exec(out);
  execFileSync('psql', ['-d', 'postgres', '-c', 'DROP DATABASE IF EXISTS tandem_bench_pgbench'], { env, stdio: 'ignore' });
  if (!m) throw new Error(`pgbench printed no tps:\n${out}`);
  return Number(m[1]);
}
