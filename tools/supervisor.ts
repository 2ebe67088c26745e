/**
 * Keeps npm start's services (the API and the worker) running: a service that
 * dies is started again after a delay that doubles, and one that keeps dying
 * stops everything with exit code 1, so a broken deployment does not spin.
 */
export interface RestartPolicy {
  /** Delay before the first restart; doubles with each further restart inside the window. */
  initialDelayMs: number;
  maxDelayMs: number;
  /** More than this many restarts of one service inside windowMs stops everything. */
  maxRestarts: number;
  windowMs: number;
  /** After a graceful stop was asked for, how long a service may take before it is killed. */
  stopTimeoutMs: number;
}

export const DEFAULT_RESTART_POLICY: RestartPolicy = { initialDelayMs: 1000, maxDelayMs: 30_000, maxRestarts: 5, windowMs: 5 * 60_000, stopTimeoutMs: 30_000 };

/** What the supervisor needs of a child process (node's ChildProcess has it). */
export interface SupervisedProcess {
  once(event: 'exit', listener: (code: number | null, signal: NodeJS.Signals | null) => void): unknown;
  kill(signal?: NodeJS.Signals): boolean;
}

export interface ServiceSpec {
  name: string;
  spawn: () => SupervisedProcess;
}

/** The delay before restarting a service that has restarted at the given times, or null to give up. */
export function restartDelay(restartTimes: number[], now: number, policy: RestartPolicy): number | null {
  const recent = restartTimes.filter((t) => now - t < policy.windowMs).length;
  if (recent >= policy.maxRestarts) return null;
  return Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** recent);
}

export class Supervisor {
  private readonly running = new Map<string, SupervisedProcess>();
  private readonly restarts = new Map<string, number[]>();
  private readonly pending = new Set<NodeJS.Timeout>();
  private stopping = false;
  private exitCode = 0;
  private finish!: (code: number) => void;
  /** Resolves with the exit code once every service has stopped for good. */
  readonly done = new Promise<number>((resolve) => (this.finish = resolve));

  constructor(
    private readonly services: ServiceSpec[],
    private readonly log: (line: string) => void,
    private readonly policy: RestartPolicy = DEFAULT_RESTART_POLICY,
    private readonly now: () => number = Date.now,
  ) {}

  start(): Promise<number> {
    for (const service of this.services) this.launch(service);
    return this.done;
  }

  /** Stops every service (signal first, SIGKILL after stopTimeoutMs) and then resolves done with exitCode. */
  stop(signal: NodeJS.Signals, exitCode: number): void {
    if (this.stopping) return;
    this.stopping = true;
    this.exitCode = exitCode;
    for (const timer of this.pending) clearTimeout(timer);
    this.pending.clear();
    for (const child of this.running.values()) child.kill(signal);
    if (this.running.size === 0) return this.finish(this.exitCode);
    const killer = setTimeout(() => {
      for (const [name, child] of this.running) {
        this.log(`${name} did not stop within ${this.policy.stopTimeoutMs / 1000} s; killing it`);
        child.kill('SIGKILL');
      }
    }, this.policy.stopTimeoutMs);
    killer.unref();
  }

  private launch(service: ServiceSpec): void {
    const child = service.spawn();
    this.running.set(service.name, child);
    child.once('exit', (code, signal) => {
      this.running.delete(service.name);
      if (this.stopping) {
        if (this.running.size === 0) this.finish(this.exitCode);
        return;
      }
      this.onUnexpectedExit(service, `${signal ?? `code ${code}`}`);
    });
  }

  private onUnexpectedExit(service: ServiceSpec, how: string): void {
    const now = this.now();
    const times = this.restarts.get(service.name) ?? [];
    const delay = restartDelay(times, now, this.policy);
    if (delay === null) {
      this.log(`${service.name} exited (${how}) after ${this.policy.maxRestarts} restarts in ${this.policy.windowMs / 60_000} min; stopping everything`);
      this.stop('SIGTERM', 1);
      return;
    }
    this.restarts.set(service.name, [...times.filter((t) => now - t < this.policy.windowMs), now]);
    this.log(`${service.name} exited (${how}); restarting it in ${delay / 1000} s`);
    const timer = setTimeout(() => {
      this.pending.delete(timer);
      if (!this.stopping) this.launch(service);
    }, delay);
    this.pending.add(timer);
  }
}

/** How npm start's API processes take their requests (README.md, "Scaling out"). */
export type ApiPortMode = 'shared' | 'separate';

export interface ServicePlanSettings {
  apiProcesses: number;
  workerProcesses: number;
  port: number;
  workerPort: number;
  apiPorts: ApiPortMode;
}

/** One process npm start runs: its name in the logs, its entry point and the variables it gets. */
export interface PlannedService {
  name: string;
  kind: 'api' | 'worker';
  /** The port it listens on (shared by every API process in 'shared' mode). */
  port: number;
  env: Record<string, string>;
}

/**
 * The processes for N APIs and M workers. APIs share PORT through Node's cluster
 * module ('shared': the supervisor is the cluster's primary and hands out the
 * connections), or take PORT, PORT+1, ... for a load balancer in front
 * ('separate'). Workers take WORKER_PORT, WORKER_PORT+1, ... for their /health.
 * A port of 0 stays 0 (the OS picks one for each).
 */
export function servicePlan(s: ServicePlanSettings): PlannedService[] {
  const numbered = (kind: 'api' | 'worker', count: number, i: number) => (count === 1 ? kind : `${kind}-${i + 1}`);
  const offset = (base: number, i: number) => (base === 0 ? 0 : base + i);
  const apis = Array.from({ length: s.apiProcesses }, (_, i): PlannedService => {
    const port = s.apiPorts === 'shared' ? s.port : offset(s.port, i);
    return { name: numbered('api', s.apiProcesses, i), kind: 'api', port, env: { PORT: String(port) } };
  });
  const workers = Array.from({ length: s.workerProcesses }, (_, i): PlannedService => {
    const port = offset(s.workerPort, i);
    return { name: numbered('worker', s.workerProcesses, i), kind: 'worker', port, env: { WORKER_PORT: String(port) } };
  });
  return [...apis, ...workers];
}

/** Reads `--api N`, `--workers M` (or `--api=N`) and `--api-ports shared|separate` from npm start's arguments. */
export function parseStartArgs(argv: string[]): { apiProcesses?: number; workerProcesses?: number; apiPorts?: ApiPortMode } {
  const out: { apiProcesses?: number; workerProcesses?: number; apiPorts?: ApiPortMode } = {};
  const count = (flag: string, raw: string | undefined) => {
    const n = Number(raw);
    if (!raw || !Number.isInteger(n) || n < 1 || n > 64)
      throw new StartArgsError(`${flag} takes a whole number from 1 to 64, got ${JSON.stringify(raw ?? '')}`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split('=', 2);
    const value = () => inline ?? argv[++i];
    if (flag === '--api') out.apiProcesses = count(flag, value());
    else if (flag === '--workers') out.workerProcesses = count(flag, value());
    else if (flag === '--api-ports') {
      const mode = value();
      if (mode !== 'shared' && mode !== 'separate') throw new StartArgsError(`--api-ports is shared or separate, got ${JSON.stringify(mode ?? '')}`);
      out.apiPorts = mode;
    } else throw new StartArgsError(`unknown argument ${JSON.stringify(argv[i])}; npm start takes --api N, --workers M and --api-ports shared|separate`);
  }
  return out;
}

export class StartArgsError extends Error {}
