import { EntityManager } from 'typeorm';
import { execute, selectRow, selectRows } from '@tandem/persistence';
import type { RoutingRow } from '../order/order.entity';

/** What an order's explanation is worked out from: its order's shape, at its offer's time. */
export interface ExplanationSourceRow {
  order_id: string;
  network_id: string;
  client_id: string;
  category: string;
  currency: string;
  region: string;
  quantity: number;
  budget_minor: string;
  deliver_by: Date;
  offered_at: Date;
}

/** An offer whose explanation is due. */
export interface PendingExplanationRow extends ExplanationSourceRow {
  offer_id: string;
}

/** An order's routing as stored, with the offer whose explanation is due (null when none is). */
export interface StoredRoutingRow extends ExplanationSourceRow {
  offer_id: string | null;
  routing: RoutingRow[];
}

/** The SQL of routing_explanations: offers whose explanation (Order.routing's excluded rows) is still to be written. */
export const ExplanationRepository = {
  /**
   * In the offer's transaction: this order's explanation is due for this offer (a
   * later offer replaces an earlier one), when `when` holds. SQL for a statement
   * that writes it beside the offer (RoutePassRepository.offerStatement).
   */
  queueSql(orderParam: string, offerParam: string, when: string): string {
    return `INSERT INTO routing_explanations (order_id, offer_id) SELECT ${orderParam}, ${offerParam} WHERE ${when}
            ON CONFLICT (order_id) DO UPDATE SET offer_id = EXCLUDED.offer_id, queued_at = now()`;
  },

  /** The oldest due explanations with their orders and offer times, skipping those another run holds. */
  due(em: EntityManager, limit: number): Promise<PendingExplanationRow[]> {
    return selectRows<PendingExplanationRow>(
      em,
      `SELECT p.order_id, p.offer_id, o.network_id, o.client_id, o.category, o.currency, o.region, o.quantity,
              o.budget_minor::text AS budget_minor, o.deliver_by, f.offered_at
         FROM routing_explanations p
         JOIN orders o ON o.id = p.order_id
         JOIN offers f ON f.id = p.offer_id
        ORDER BY p.queued_at
        LIMIT $1
        FOR UPDATE OF p SKIP LOCKED`,
      [limit],
    );
  },

  /**
   * The orders' routing as stored now, each with its due explanation's shape
   * when one is due for its current offer (offer_id null when none is): what a
   * read needs to show the whole routing before the explainer has written it.
   * One snapshot, so a routing read here and an explanation found gone agree.
   */
  routingsWithDue(em: EntityManager, orderIds: readonly string[]): Promise<StoredRoutingRow[]> {
    return selectRows<StoredRoutingRow>(
      em,
      `SELECT o.id AS order_id, p.offer_id, o.routing, o.network_id, o.client_id, o.category, o.currency, o.region, o.quantity,
              o.budget_minor::text AS budget_minor, o.deliver_by, f.offered_at
         FROM orders o
         LEFT JOIN routing_explanations p ON p.order_id = o.id AND p.offer_id = o.current_offer_id
         LEFT JOIN offers f ON f.id = p.offer_id
        WHERE o.id = ANY ($1::uuid[])`,
      [orderIds],
    );
  },

  /**
   * Milliseconds until the oldest due explanation is `ageMs` old (0 when it is
   * already), or null when none is due.
   */
  async untilOldestIsAged(em: EntityManager, ageMs: number): Promise<number | null> {
    const row = await selectRow<{ wait_ms: number | null }>(
      em,
      `SELECT greatest(0, $1 - extract(epoch FROM (clock_timestamp() - min(queued_at))) * 1000)::int AS wait_ms FROM routing_explanations`,
      [ageMs],
    );
    return row?.wait_ms === null || row?.wait_ms === undefined ? null : Math.min(ageMs, row.wait_ms);
  },

  /**
   * Locks the orders' rows that nobody else holds and reads the step each is
   * at: its current (or accepted) offer and its routing. An order another
   * transaction holds is skipped, not waited for: a routing pass holding it may
   * be waiting for this run's lock on its routing_explanations row (deadlock).
   * NO KEY UPDATE is the lock the routing update needs: rows that only
   * reference the order (an offer, an event, taking a key share) do not make
   * it skip.
   */
  async lockFreeSteps(em: EntityManager, orderIds: readonly string[]): Promise<Map<string, { current_offer_id: string | null; routing: RoutingRow[] }>> {
    const rows = await selectRows<{ id: string; current_offer_id: string | null; routing: RoutingRow[] }>(
      em,
      `SELECT id, current_offer_id, routing FROM orders WHERE id = ANY ($1::uuid[]) FOR NO KEY UPDATE SKIP LOCKED`,
      [orderIds],
    );
    return new Map(rows.map((r) => [r.id, r]));
  },

  /** Writes the orders' routing in one statement. The explanation is not a change of state: updated_at stays the offer's. */
  async writeRoutings(em: EntityManager, writes: readonly { orderId: string; routing: RoutingRow[] }[]): Promise<void> {
    if (writes.length === 0) return;
    await execute(em, `UPDATE orders o SET routing = w.routing FROM unnest($1::uuid[], $2::jsonb[]) AS w(id, routing) WHERE o.id = w.id`, [
      writes.map((w) => w.orderId),
      writes.map((w) => JSON.stringify(w.routing)),
    ]);
  },

  /** Done with these offers' explanations, in one statement (a later offer's stays due). */
  async done(em: EntityManager, explained: readonly Pick<PendingExplanationRow, 'order_id' | 'offer_id'>[]): Promise<void> {
    if (explained.length === 0) return;
    await execute(
      em,
      `DELETE FROM routing_explanations p USING unnest($1::uuid[], $2::uuid[]) AS d(order_id, offer_id)
        WHERE p.order_id = d.order_id AND p.offer_id = d.offer_id`,
      [explained.map((e) => e.order_id), explained.map((e) => e.offer_id)],
    );
  },
};
