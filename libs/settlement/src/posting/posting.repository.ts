import { EntityManager } from 'typeorm';
import { selectRows } from '@tandem/persistence';

/**
 * Settlement's SQL for posting orders. Orders are read through routing's public
 * view order_facts (settlement must not import routing), entries through the
 * ledger's ledger_entries (libs/ledger/README.md). order_facts is a projection
 * of the one table orders, so a row lock taken through it locks the order.
 */

/** The columns of an order that posting needs. */
export interface OrderToPost {
  id: string;
  network_id: string;
  client_id: string;
  supplier_id: string | null;
  currency: string;
  status: string;
  /** Parked already: left alone until an operator retries it (retryParked unparks first). */
  parked: boolean;
}

/**
 * How posting holds an order until commit. key-share: the jobs' way, it does
 * not block routing's updates and leaves the order to them against the sweep;
 * update-skip-locked: the sweep's way, an order another session holds is
 * passed over rather than waited for.
 */
export type OrderLock = 'key-share' | 'update-skip-locked';

const LOCK_CLAUSE: Record<OrderLock, string> = {
  'key-share': 'FOR KEY SHARE OF o',
  'update-skip-locked': 'FOR UPDATE OF o SKIP LOCKED',
};

const ORDER_COLUMNS = `o.id, o.network_id, o.client_id, o.supplier_id, o.currency, o.status,
  EXISTS (SELECT 1 FROM parked_postings p WHERE p.order_id = o.id) AS parked`;

/** A swept order: one whose entry may be missing. */
export interface LostPostingCandidate {
  id: string;
  status: string;
  updated_at: Date;
}

export const PostingRepository = {
  /** The orders with these ids, each locked as asked (those skipped as locked elsewhere are left out). */
  lockOrders(em: EntityManager, ids: readonly string[], lock: OrderLock): Promise<OrderToPost[]> {
    return selectRows<OrderToPost>(em, `SELECT ${ORDER_COLUMNS} FROM order_facts o WHERE o.id = ANY($1::uuid[]) ${LOCK_CLAUSE[lock]}`, [
      [...ids],
    ]);
  },

  async orderExists(em: EntityManager, id: string): Promise<boolean> {
    return (await selectRows(em, `SELECT 1 FROM order_facts WHERE id = $1`, [id])).length > 0;
  },

  /** The order's status and whether its posting is parked; undefined when the network has no such order. */
  async postingState(em: EntityManager, networkId: string, orderId: string): Promise<{ status: string; parked: boolean } | undefined> {
    const [row] = await selectRows<{ status: string; parked: boolean }>(
      em,
      `SELECT o.status, EXISTS (SELECT 1 FROM parked_postings p WHERE p.order_id = o.id) AS parked
         FROM order_facts o WHERE o.id = $1 AND o.network_id = $2`,
      [orderId, networkId],
    );
    return row;
  },

  /**
   * FULFILLED or REFUNDED orders changed in [since, before), not parked, whose
   * fulfilment entry (or, when refunded, refund entry) is missing; oldest change
   * first, at most `limit`. The keys are those of fulfilmentKey and refundKey
   * (order-lines.ts). Reads through the partial index orders_posting_sweep.
   */
  lostPostingCandidates(em: EntityManager, since: Date, before: Date, limit: number): Promise<LostPostingCandidate[]> {
    return selectRows<LostPostingCandidate>(
      em,
      `SELECT o.id, o.status, o.updated_at FROM order_facts o
        WHERE o.status IN ('FULFILLED', 'REFUNDED') AND o.updated_at >= $1 AND o.updated_at < $2
          AND NOT EXISTS (SELECT 1 FROM parked_postings p WHERE p.order_id = o.id)
          AND (NOT EXISTS (SELECT 1 FROM ledger_entries e WHERE e.idempotency_key = 'order:' || o.id || ':fulfil')
               OR (o.status = 'REFUNDED'
                   AND NOT EXISTS (SELECT 1 FROM ledger_entries e WHERE e.idempotency_key = 'order:' || o.id || ':refund')))
        ORDER BY o.updated_at, o.id
        LIMIT $3`,
      [since, before, limit],
    );
  },
};
