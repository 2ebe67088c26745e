import { EntityManager } from 'typeorm';
import { execute, selectRow, selectRows } from '@tandem/persistence';
import { ParkReason, PermanentFailure } from './posting-failure';

export type PostingStep = 'FULFILMENT' | 'REFUND';

export interface ParkedRow {
  order_id: string;
  network_id: string;
  step: PostingStep;
  reason: ParkReason;
  attempts: number;
  parked_at: Date;
}

const PARKED_COLUMNS = 'order_id, network_id, step, reason, attempts, parked_at';

/** The SQL of parked_postings; an order's network is read through routing's view order_facts. */
export const ParkedPostingRepository = {
  /** Records the failure; a second one for the same order replaces it and counts the attempt. */
  async park(em: EntityManager, orderId: string, step: PostingStep, failure: PermanentFailure): Promise<void> {
    await execute(
      em,
      `INSERT INTO parked_postings (order_id, network_id, step, reason, sqlstate, detail)
       SELECT o.id, o.network_id, $2, $3, $4, $5 FROM order_facts o WHERE o.id = $1
       ON CONFLICT (order_id) DO UPDATE
         SET step = EXCLUDED.step, reason = EXCLUDED.reason, sqlstate = EXCLUDED.sqlstate, detail = EXCLUDED.detail,
             attempts = parked_postings.attempts + 1, parked_at = clock_timestamp()`,
      [orderId, step, failure.reason, failure.sqlstate, failure.detail],
    );
  },

  /** True when the order was parked. */
  async unpark(em: EntityManager, orderId: string): Promise<boolean> {
    return (await execute(em, `DELETE FROM parked_postings WHERE order_id = $1`, [orderId])) > 0;
  },

  async isParked(em: EntityManager, orderId: string): Promise<boolean> {
    return (await selectRows(em, `SELECT 1 FROM parked_postings WHERE order_id = $1`, [orderId])).length > 0;
  },

  /** The network's parked postings, oldest first, at most `limit`. */
  list(em: EntityManager, networkId: string, limit: number): Promise<ParkedRow[]> {
    return selectRows<ParkedRow>(em, `SELECT ${PARKED_COLUMNS} FROM parked_postings WHERE network_id = $1 ORDER BY parked_at, order_id LIMIT $2`, [
      networkId,
      limit,
    ]);
  },

  of(em: EntityManager, orderIds: readonly string[]): Promise<ParkedRow[]> {
    return selectRows<ParkedRow>(em, `SELECT ${PARKED_COLUMNS} FROM parked_postings WHERE order_id = ANY($1::uuid[])`, [[...orderIds]]);
  },

  async count(em: EntityManager): Promise<number> {
    return (await selectRow<{ n: number }>(em, `SELECT count(*)::int AS n FROM parked_postings`))?.n ?? 0;
  },
};
