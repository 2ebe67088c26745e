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
