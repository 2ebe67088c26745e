import { Inject, Injectable } from '@nestjs/common';
import pLimit, { type Limit } from 'p-limit';

/** How many connections the ledger queue's jobs may hold at once (the worker sets it from its pool). */
export const LEDGER_CONNECTIONS = Symbol('LEDGER_CONNECTIONS');

/**
 * Lets at most LEDGER_CONNECTIONS ledger transactions run at once. Jobs waiting
 * here hold no connection, so the queue may run many more jobs than the pool
 * has connections, and concurrent fulfilments gather into large batches.
 */
@Injectable()
export class LedgerConnectionGate {
  private readonly limit: Limit;

  constructor(@Inject(LEDGER_CONNECTIONS) readonly connections: number) {
    this.limit = pLimit(connections);
  }

  run<T>(work: () => Promise<T>): Promise<T> {
    return this.limit(work);
  }

  /** Transactions running or waiting for a connection of the gate. */
  get busy(): { running: number; waiting: number } {
    return { running: this.limit.activeCount, waiting: this.limit.pendingCount };
  }
}
