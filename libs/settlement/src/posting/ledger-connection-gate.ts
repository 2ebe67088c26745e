import { Inject, Injectable } from '@nestjs/common';
import { ConnectionGate } from '@tandem/persistence';

/** How many connections the ledger queue's jobs may hold at once (the worker sets it from its pool). */
export const LEDGER_CONNECTIONS = Symbol('LEDGER_CONNECTIONS');

/**
 * Lets at most LEDGER_CONNECTIONS ledger transactions run at once. Jobs waiting
 * here hold no connection, so the queue may run many more jobs than the pool
 * has connections, and concurrent fulfilments gather into large batches.
 */
@Injectable()
export class LedgerConnectionGate extends ConnectionGate {
  constructor(@Inject(LEDGER_CONNECTIONS) connections: number) {
    super(connections);
  }
}
