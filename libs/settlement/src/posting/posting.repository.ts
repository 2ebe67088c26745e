import { EntityManager } from 'typeorm';
import { FULFILLED_STATUSES } from '@tandem/common';
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

/** The statuses as SQL literals, so the planner matches the partial index orders_posting_sweep (it cannot through a parameter). */
const FULFILLED_IN = FULFILLED_STATUSES.map((s) => `'${s}'`).join(', ');

/** A swept order: one whose entry may be missing. */
export interface LostPostingCandidate {
  id: string;
  status: string;
  updated_at: Date;
  /** A refund of the order is recorded and not posted yet (its fulfilment may be missing too). */
  refund_missing: boolean;
}

export const PostingRepository = {
  /** The orders with these ids, each locked as asked (those skipped as locked elsewhere are left out). */
  lockOrders(em: EntityManager, ids: readonly string[], lock: OrderLock): Promise<OrderToPost[]> {
    return selectRows<OrderToPost>(em, `SELECT ${ORDER_COLUMNS} FROM order_facts o WHERE o.id = ANY($1::uuid[]) ${LOCK_CLAUSE[lock]}`, [[...ids]]);
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
   * Fulfilled orders (every status of FULFILLED_STATUSES, libs/common) changed in
   * [since, before), not parked, whose fulfilment entry is missing or that have a
   * refund not posted yet; oldest change first, at most `limit`. The key is that of
   * fulfilmentKey (order-lines.ts); a refund's entry and its posted_at are written
   * together. Reads through the partial index orders_posting_sweep.
   */
  lostPostingCandidates(em: EntityManager, since: Date, before: Date, limit: number): Promise<LostPostingCandidate[]> {
    return selectRows<LostPostingCandidate>(
      em,
      `SELECT id, status, updated_at, refund_missing FROM (
         SELECT o.id, o.status, o.updated_at,
                EXISTS (SELECT 1 FROM order_refunds r WHERE r.order_id = o.id AND r.posted_at IS NULL) AS refund_missing,
                NOT EXISTS (SELECT 1 FROM ledger_entries e WHERE e.idempotency_key = 'order:' || o.id || ':fulfil') AS fulfilment_missing
           FROM order_facts o
          WHERE o.status IN (${FULFILLED_IN}) AND o.updated_at >= $1 AND o.updated_at < $2
            AND NOT EXISTS (SELECT 1 FROM parked_postings p WHERE p.order_id = o.id)
       ) c
        WHERE c.fulfilment_missing OR c.refund_missing
        ORDER BY updated_at, id
        LIMIT $3`,
      [since, before, limit],
    );
  },
};
