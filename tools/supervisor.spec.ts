import { EventEmitter } from 'node:events';
import { RestartPolicy, StartArgsError, Supervisor, SupervisedProcess, parseStartArgs, restartDelay, servicePlan } from './supervisor';

const policy: RestartPolicy = { initialDelayMs: 1000, maxDelayMs: 30_000, maxRestarts: 5, windowMs: 300_000, stopTimeoutMs: 30_000 };

/** A child process that exits when told to, or when the test says it crashed. */
class FakeProcess extends EventEmitter implements SupervisedProcess {
  signals: NodeJS.Signals[] = [];
  constructor(private readonly obeys = true) {
    super();
  }
  kill(signal: NodeJS.Signals = 'SIGTERM'): boolean {
    this.signals.push(signal);
    if (this.obeys || signal === 'SIGKILL') this.emit('exit', null, signal);
    return true;
  }
  crash(code = 1) {
    this.emit('exit', code, null);
  }
}

describe('restartDelay', () => {
  it('doubles from 1 s to at most 30 s and gives up after 5 restarts inside 5 minutes', () => {
    const now = 1_000_000;
    expect(restartDelay([], now, policy)).toBe(1000);
    expect(restartDelay([now - 1], now, policy)).toBe(2000);
    expect(restartDelay([now - 3, now - 2, now - 1], now, policy)).toBe(8000);
    expect(
      restartDelay(
        [1, 2, 3, 4].map((i) => now - i),
        now,
        { ...policy, maxRestarts: 10 },
      ),
    ).toBe(16_000);
    expect(
      restartDelay(
        [1, 2, 3, 4, 5, 6].map((i) => now - i),
        now,
        { ...policy, maxRestarts: 10 },
      ),
    ).toBe(30_000);
    expect(
      restartDelay(
        [1, 2, 3, 4, 5].map((i) => now - i),
        now,
        policy,
      ),
    ).toBeNull();
    // Restarts older than the window no longer count.
    expect(
      restartDelay(
        [1, 2, 3, 4, 5].map((i) => now - 300_000 - i),
        now,
        policy,
      ),
    ).toBe(1000);
  });
});

describe('Supervisor', () => {
  let clock: number;
  let spawned: Record<string, FakeProcess[]>;
  let lines: string[];
  let obeys: boolean;

  beforeEach(() => {
    jest.useFakeTimers();
    clock = 0;
    spawned = { api: [], worker: [] };
    lines = [];
    obeys = true;
  });
  afterEach(() => jest.useRealTimers());

  const supervisor = () =>
    new Supervisor(
      ['api', 'worker'].map((name) => ({
        name,
        spawn: () => {
          const p = new FakeProcess(obeys);
          spawned[name].push(p);
          return p;
        },
      })),
      (line) => lines.push(line),
      policy,
      () => clock,
    );
  const advance = (ms: number) => {
    clock += ms;
    jest.advanceTimersByTime(ms);
  };

  it('restarts a service that died after 1 s, then 2 s, and leaves the other one running', () => {
    const s = supervisor();
    void s.start();
    spawned.api[0].crash(1);
    expect(lines).toEqual(['api exited (code 1); restarting it in 1 s']);
    advance(999);
    expect(spawned.api).toHaveLength(1);
    advance(1);
    expect(spawned.api).toHaveLength(2);
    spawned.api[1].crash(137);
    advance(1999);
    expect(spawned.api).toHaveLength(2);
    advance(1);
    expect(spawned.api).toHaveLength(3);
    expect(spawned.worker).toHaveLength(1);
    expect(spawned.worker[0].signals).toEqual([]);
  });

  it('stops everything with exit code 1 when a service dies a sixth time within 5 minutes', async () => {
    const s = supervisor();
    const done = s.start();
    for (let i = 0; i < 5; i++) {
      spawned.worker[i].crash(1);
      advance(30_000);
    }
    expect(spawned.worker).toHaveLength(6);
    spawned.worker[5].crash(1);
    expect(lines.at(-1)).toBe('worker exited (code 1) after 5 restarts in 5 min; stopping everything');
    expect(spawned.api[0].signals).toEqual(['SIGTERM']);
    await expect(done).resolves.toBe(1);
    advance(60_000);
    expect(spawned.worker).toHaveLength(6);
  });

  it('on a stop asked for, signals every service, restarts none and resolves with the code given', async () => {
    const s = supervisor();
    const done = s.start();
    spawned.api[0].crash(1); // a restart is pending when the stop comes
    s.stop('SIGINT', 0);
    expect(spawned.worker[0].signals).toEqual(['SIGINT']);
    await expect(done).resolves.toBe(0);
    advance(10_000);
    expect(spawned.api).toHaveLength(1);
  });

  it('kills a service that does not stop within the stop timeout', async () => {
    obeys = false;
    const s = supervisor();
    const done = s.start();
    s.stop('SIGTERM', 0);
    advance(29_999);
    expect(spawned.api[0].signals).toEqual(['SIGTERM']);
    advance(1);
    expect(spawned.api[0].signals).toEqual(['SIGTERM', 'SIGKILL']);
    await expect(done).resolves.toBe(0);
  });
});

describe('servicePlan', () => {
  it("shares PORT among the API processes and numbers the workers' health ports", () => {
    const plan = servicePlan({ apiProcesses: 2, workerProcesses: 3, port: 3000, workerPort: 3001, apiPorts: 'shared' });
    expect(plan.map((s) => [s.name, s.kind, s.env])).toEqual([
      ['api-1', 'api', { PORT: '3000' }],
      ['api-2', 'api', { PORT: '3000' }],
      ['worker-1', 'worker', { WORKER_PORT: '3001' }],
      ['worker-2', 'worker', { WORKER_PORT: '3002' }],
      ['worker-3', 'worker', { WORKER_PORT: '3003' }],
    ]);
  });

  it('gives each API a port of its own for a load balancer, and keeps 0 as "any port"', () => {
    const plan = servicePlan({ apiProcesses: 3, workerProcesses: 2, port: 4000, workerPort: 0, apiPorts: 'separate' });
    expect(plan.map((s) => `${s.name}:${s.port}`)).toEqual(['api-1:4000', 'api-2:4001', 'api-3:4002', 'worker-1:0', 'worker-2:0']);
  });

  it('keeps the plain names for one of each', () => {
    const plan = servicePlan({ apiProcesses: 1, workerProcesses: 1, port: 3000, workerPort: 3001, apiPorts: 'shared' });
    expect(plan.map((s) => s.name)).toEqual(['api', 'worker']);
  });
});

describe('parseStartArgs', () => {
  it('reads --api, --workers and --api-ports, with a space or an equals sign', () => {
    expect(parseStartArgs(['--api', '2', '--workers=3', '--api-ports', 'separate'])).toEqual({ apiProcesses: 2, workerProcesses: 3, apiPorts: 'separate' });
    expect(parseStartArgs([])).toEqual({});
  });

  it('refuses counts outside 1..64, an unknown mode and an unknown argument', () => {
    expect(() => parseStartArgs(['--api', '0'])).toThrow(new StartArgsError('--api takes a whole number from 1 to 64, got "0"'));
    expect(() => parseStartArgs(['--workers'])).toThrow(new StartArgsError('--workers takes a whole number from 1 to 64, got ""'));
    expect(() => parseStartArgs(['--api-ports', 'both'])).toThrow(new StartArgsError('--api-ports is shared or separate, got "both"'));
    expect(() => parseStartArgs(['--apis', '2'])).toThrow(StartArgsError);
  });
});
