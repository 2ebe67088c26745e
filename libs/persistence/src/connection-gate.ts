import { AsyncResource } from 'node:async_hooks';
import pLimit, { type Limit } from 'p-limit';

/**
 * Lets at most `connections` units of database work run at once, each holding
 * at most one connection of the pool. Work waiting here holds no connection,
 * so a queue may run many more jobs than it has connections: jobs that wait on
 * something else (a batch to fill, a webhook receiver) do so without starving
 * the pool, and the worker's bound (apps/worker/src/processors/concurrency.ts)
 * counts the gate's connections, not the queue's jobs.
 */
export class ConnectionGate {
  private readonly limit: Limit;

  constructor(readonly connections: number) {
    this.limit = pLimit(connections);
  }

  /**
   * Runs the work once a connection is free, in the caller's async context: a
   * unit that waited is started by the one that finished before it, and would
   * otherwise carry that one's context (its job's name and trace).
   */
  run<T>(work: () => Promise<T>): Promise<T> {
    return this.limit(AsyncResource.bind(work));
  }

  /** Units of work running or waiting for a connection of the gate. */
  get busy(): { running: number; waiting: number } {
    return { running: this.limit.activeCount, waiting: this.limit.pendingCount };
  }
}
