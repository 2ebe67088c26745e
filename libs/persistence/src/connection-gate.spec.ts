import { AsyncLocalStorage } from 'node:async_hooks';
import { ConnectionGate } from './connection-gate';

describe('ConnectionGate', () => {
  it('runs at most its connections at once and the rest in turn, every one to its end', async () => {
    const gate = new ConnectionGate(3);
    const releases: (() => void)[] = [];
    let running = 0;
    let most = 0;
    const done: number[] = [];
    const all = Array.from({ length: 10 }, (_, i) =>
      gate.run(async () => {
        most = Math.max(most, ++running);
        await new Promise<void>((resolve) => releases.push(resolve));
        running--;
        done.push(i);
        return i * 10;
      }),
    );
    // Let the first three start; the seven others wait in the gate, holding nothing.
    await new Promise((resolve) => setImmediate(resolve));
    expect(gate.busy).toEqual({ running: 3, waiting: 7 });
    while (done.length < 10) {
      releases.shift()?.();
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(await Promise.all(all)).toEqual([0, 10, 20, 30, 40, 50, 60, 70, 80, 90]);
    expect(most).toBe(3);
    expect(done).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(gate.busy).toEqual({ running: 0, waiting: 0 });
  });

  it('frees its connection when the work fails', async () => {
    const gate = new ConnectionGate(1);
    await expect(gate.run(() => Promise.reject(new Error('statement timeout')))).rejects.toThrow('statement timeout');
    expect(await gate.run(() => Promise.resolve('next'))).toBe('next');
  });

  it('runs each unit in the async context of its caller, though the unit before it starts it', async () => {
    const gate = new ConnectionGate(2);
    const job = new AsyncLocalStorage<string>();
    const seen: [string, string | undefined][] = [];
    const unit = (name: string) =>
      job.run(name, () =>
        gate.run(async () => {
          seen.push([name, job.getStore()]);
          await new Promise((r) => setTimeout(r, 5));
        }),
      );
    await Promise.all(['a', 'b', 'c', 'd', 'e'].map(unit));
    // c, d and e waited and were started by a or b finishing: each still in its own context (its job, its trace).
    expect(seen).toEqual(['a', 'b', 'c', 'd', 'e'].map((n) => [n, n]));
  });
});
