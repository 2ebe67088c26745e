import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { AddressInfo, createServer } from 'node:net';
import path from 'node:path';
import { ChildProcess, spawn } from 'node:child_process';
import { TandemConfig, loadConfig } from '@tandem/common';
import SERVICE_NODE_ARGS from '../tools/service-node-args.json';
import Redis from 'ioredis';
import { Client } from 'pg';
import { dropDatabase, ensureDatabase, migrate } from '@tandem/persistence';

/** p-th percentile (0-100) of a sample, nearest-rank. */
/** Milliseconds of each of n calls made one after another (call i gets its index). */
export async function timed(n: number, call: (i: number) => Promise<unknown>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = process.hrtime.bigint();
    await call(i);
    out.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  return out;
}

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
      [`Benchmarks, ${stamp}, ${machine()}`, '', '| figure | value | baseline (same run) | target | |', '| --- | --- | --- | --- | --- |', ...rows, ''].join(
        '\n',
      ),
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
  /**
   * Runs `work`; with BENCH_CPU_PROFILE=<dir> the API is CPU-profiled during it
   * alone (bench/cpu-profile.ts) and the profile written to <dir>/<label>.cpuprofile.
   */
  profileApi<T>(label: string, work: () => Promise<T>): Promise<T>;
  /**
   * The same for the worker (started after BENCH_CPU_PROFILE was set, with
   * bench/cpu-profile.ts preloaded): <dir>/<label>.cpuprofile holds the worker
   * during `work` alone. Without a running worker, or without the variable, it just runs `work`.
   */
  profileWorker<T>(label: string, work: () => Promise<T>): Promise<T>;
  /**
   * Runs `work` and says how much CPU each part of the stack spent meanwhile:
   * the API, the worker, the PostgreSQL sessions of the stack's database
   * (Linux /proc; zeros elsewhere) and the Redis server the queues run on (its
   * own INFO cpu, which counts every client of that server; zero when the
   * queues run on PostgreSQL). Per request, it tells where a request's cost is.
   */
  cpuDuring<T>(work: () => Promise<T>): Promise<{ result: T; cpuMs: CpuMs }>;
}

/** CPU time (user + system) in milliseconds, by process. */
export interface CpuMs {
  api: number;
  worker: number;
  postgres: number;
  redis: number;
}

/** CPU per unit of work (an order, a request) across the stack: the total, and its parts as the row's unit. */
export function cpuPer(cpu: CpuMs, units: number): { value: number; unit: string } {
  const per = (ms: number) => fmt(ms / units);
  return {
    value: (cpu.api + cpu.worker + cpu.postgres + cpu.redis) / units,
    unit: `ms (API ${per(cpu.api)} / worker ${per(cpu.worker)} / PostgreSQL ${per(cpu.postgres)} / Redis ${per(cpu.redis)})`,
  };
}

const CLOCK_TICKS_PER_SECOND = 100;

/** user + system CPU of a process so far, in ms (/proc/<pid>/stat, fields 14 and 15), or 0. */
export function processCpuMs(pid: number | undefined): number {
  if (!pid) return 0;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

/**
 * The CPU the queues' Redis server has used so far, in ms (INFO cpu: its main
 * thread and its I/O threads, user and system), or 0 when the queues run on
 * PostgreSQL or on a Redis Cluster (several servers).
 */
export async function redisCpuMs(config: Pick<TandemConfig, 'queueStore' | 'redisUrl' | 'redisClusterNodes'>): Promise<number> {
  if (config.queueStore !== 'redis' || config.redisClusterNodes) return 0;
  const redis = new Redis(config.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    const info = await redis.info('cpu');
    const field = (name: string) => Number(new RegExp(`^${name}:([0-9.]+)`, 'm').exec(info)?.[1] ?? 0);
    return (field('used_cpu_user') + field('used_cpu_sys')) * 1000;
  } finally {
    redis.disconnect();
  }
}

/** The server process ids of the sessions connected to a database (the server runs on this machine). */
export async function backendPids(databaseUrl: string): Promise<number[]> {
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    const { rows } = await db.query<{ pid: number }>(`SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`);
    return rows.map((r) => r.pid);
  } finally {
    await db.end();
  }
}

const ROOT = path.resolve(__dirname, '..');

/** A port nothing listens on now: the machine is shared, and another bench may hold any fixed one. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** Where CPU profiles go when the run asks for them (BENCH_CPU_PROFILE=<dir>), else undefined. */
const PROFILE_DIR = process.env.BENCH_CPU_PROFILE ? path.resolve(process.env.BENCH_CPU_PROFILE) : undefined;

/**
 * What the services run: the compiled build, as the image and `npm run
 * start:prod` run it (the default; bench.ts builds it first), or with
 * BENCH_BUILD=source the TypeScript sources through @swc-node/register, as
 * `npm start` runs them. A preload (the profiler, bench/cpu-profile.ts) is
 * TypeScript, so with one swc comes along either way.
 */
export const BENCH_BUILD: 'source' | 'dist' = process.env.BENCH_BUILD === 'source' ? 'source' : 'dist';

function serviceArgs(entry: string, preload: string[]): string[] {
  const script = BENCH_BUILD === 'dist' ? path.join('dist', entry.replace(/\.ts$/, '.js')) : entry;
  if (BENCH_BUILD === 'dist' && !existsSync(path.join(ROOT, script))) throw new Error(`BENCH_BUILD=dist: ${script} is missing; run npm run build first`);
  const swc = BENCH_BUILD === 'source' || preload.length > 0 ? ['-r', '@swc-node/register'] : [];
  return [...SERVICE_NODE_ARGS, ...swc, ...preload.flatMap((p) => ['-r', p]), script];
}

export function spawnService(entry: string, env: NodeJS.ProcessEnv, port: number, preload: string[] = []): Promise<ChildProcess> {
  const child = spawn(process.execPath, serviceArgs(entry, preload), {
    cwd: ROOT,
    env: { ...env, SWC_NODE_PROJECT: path.join(ROOT, 'tsconfig.base.json') },
    // The IPC channel carries bench/cpu-profile.ts's start and stop.
    stdio: preload.length ? ['ignore', 'ignore', 'inherit', 'ipc'] : ['ignore', 'ignore', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    const until = Date.now() + 60_000;
    const poll = async () => {
      if (child.exitCode !== null) return reject(new Error(`${entry} exited with ${child.exitCode}`));
      const ok = await fetch(`http://127.0.0.1:${port}/health`)
        .then((r) => r.status === 200)
        .catch(() => false);
      if (ok) return resolve(child);
      if (Date.now() > until) {
        child.kill('SIGKILL');
        return reject(new Error(`${entry} did not become healthy`));
      }
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

export function stopService(child: ChildProcess | undefined): Promise<void> {
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
  const port = await freePort();
  const workerPort = await freePort();
  const env = {
    ...process.env,
    NODE_ENV: 'production',
    DATABASE_URL: databaseUrl,
    TANDEM_ADMIN_KEY: 'tnd_admin_bench_key_0123456789',
    TANDEM_QUEUE_PREFIX: `tandem-bench-${dbName}`,
    LOG_LEVEL: 'warn',
    PORT: String(port),
    WORKER_PORT: String(workerPort),
    // A bench measures the paths, not the limiter: at 100 requests a second per key it answers 429s fast,
    // and a floor of refusals is no floor (bench/fleet.ts does the same).
    TANDEM_RATE_LIMIT_PER_SECOND: '0',
    TANDEM_RATE_LIMIT_ANONYMOUS_PER_SECOND: '0',
  };
  const config: TandemConfig = { ...loadConfig(env), port };
  console.log(`  queues on ${queueMode(config)}${config.queueStore === 'postgres' ? ' (BullMQ PostgreSQL backend, TANDEM_QUEUE_STORE=postgres)' : ''}`);
  const profilePrefix = PROFILE_DIR ? path.join(PROFILE_DIR, `${dbName}-api-${process.pid}`) : undefined;
  const workerProfilePrefix = PROFILE_DIR ? path.join(PROFILE_DIR, `${dbName}-worker-${process.pid}`) : undefined;
  if (PROFILE_DIR) mkdirSync(PROFILE_DIR, { recursive: true });
  const preload = PROFILE_DIR ? [path.join(__dirname, 'cpu-profile.ts')] : [];
  const api = await spawnService('apps/api/src/main.ts', profilePrefix ? { ...env, TANDEM_CPU_PROFILE_PREFIX: profilePrefix } : env, port, preload);
  const profiles = { api: 0, worker: 0 };
  let worker: ChildProcess | undefined;
  const peak = { api: 0, worker: 0 };
  const sample = () => {
    peak.api = Math.max(peak.api, peakRssMb(api));
    peak.worker = Math.max(peak.worker, peakRssMb(worker));
  };
  /** Drives bench/cpu-profile.ts in one child over its IPC channel during `work`. */
  const profiled = async <T>(who: 'api' | 'worker', child: ChildProcess | undefined, prefix: string | undefined, label: string, work: () => Promise<T>) => {
    if (!child || !prefix || !PROFILE_DIR) return work();
    child.send('start');
    try {
      return await work();
    } finally {
      child.send('stop');
      const written = `${prefix}.${profiles[who]++}.cpuprofile`;
      const until = Date.now() + 10_000;
      while (!existsSync(written) && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
      const to = path.join(PROFILE_DIR, `${label}.cpuprofile`);
      if (existsSync(written)) renameSync(written, to);
      console.log(`  CPU profile of the ${who === 'api' ? 'API' : 'worker'} during ${label}: ${existsSync(to) ? path.relative(ROOT, to) : 'not written'}`);
    }
  };
  const stack: BenchStack = {
    config,
    url: `http://127.0.0.1:${port}`,
    peakRssMb: peak,
    async startWorker() {
      // A new worker process numbers its profiles from 0 again (bench/cpu-profile.ts).
      if (!worker) profiles.worker = 0;
      worker ??= await spawnService(
        'apps/worker/src/main.ts',
        workerProfilePrefix ? { ...env, TANDEM_CPU_PROFILE_PREFIX: workerProfilePrefix } : env,
        workerPort,
        preload,
      );
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
    profileApi(label, work) {
      return profiled('api', api, profilePrefix, label, work);
    },
    profileWorker(label, work) {
      return profiled('worker', worker, workerProfilePrefix, label, work);
    },
    async cpuDuring(work) {
      const before = new Map((await backendPids(databaseUrl)).map((pid) => [pid, processCpuMs(pid)]));
      const api0 = processCpuMs(api.pid);
      const worker0 = processCpuMs(worker?.pid);
      const redis0 = await redisCpuMs(config);
      const result = await work();
      const cpuMs: CpuMs = {
        api: processCpuMs(api.pid) - api0,
        worker: processCpuMs(worker?.pid) - worker0,
        postgres: 0,
        redis: (await redisCpuMs(config)) - redis0,
      };
      // A session opened meanwhile counts whole: all of its CPU was spent in the window.
      for (const pid of await backendPids(databaseUrl)) cpuMs.postgres += processCpuMs(pid) - (before.get(pid) ?? 0);
      return { result, cpuMs };
    },
  };
  if (opts.worker !== false) {
    // A worker that cannot start must not leave the API running behind the bench.
    await stack.startWorker().catch(async (e: unknown) => {
      await stack.stop();
      throw e;
    });
  }
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
  execFileSync('psql', ['-d', 'postgres', '-c', 'DROP DATABASE IF EXISTS tandem_bench_pgbench', '-c', 'CREATE DATABASE tandem_bench_pgbench'], {
    env,
    stdio: 'ignore',
  });
  execFileSync('pgbench', ['-i', '-q', '-s', '1', 'tandem_bench_pgbench'], { env, stdio: 'ignore' });
  // The load starts on clean pages, as the scenario it stands beside does.
  execFileSync('psql', ['-d', 'tandem_bench_pgbench', '-c', 'CHECKPOINT'], { env, stdio: 'ignore' });
  const out = execFileSync('pgbench', ['-b', 'tpcb-like', '-c', String(clients), '-j', String(clients), '-T', String(seconds), 'tandem_bench_pgbench'], {
    env,
  }).toString();
  const m = /tps = ([\d.]+)/.exec(out);
  execFileSync('psql', ['-d', 'postgres', '-c', 'DROP DATABASE IF EXISTS tandem_bench_pgbench'], { env, stdio: 'ignore' });
  if (!m) throw new Error(`pgbench printed no tps:\n${out}`);
  return Number(m[1]);
}
