import { EntityManager } from 'typeorm';
import { selectRows } from '@tandem/persistence';
import { OrderEntity } from './order.entity';

export interface PlacedOrderRow {
  id: string;
  networkId: string;
  clientId: string;
  category: string;
  region: string;
  quantity: number;
  deliverBy: Date;
  budgetMinor: bigint;
  currency: string;
  notes: string | null;
  idempotencyKey: string;
  inputFingerprint: string;
  at: Date;
}

/** An order intake inserted, with its placed event. */
export interface PlacedOrder {
  order: OrderEntity;
  /** The database's clock just after the placed event was written: the published event's time. */
  occurredAt: Date;
}

/** The raw SQL of orders; the ORM reads and updates them by entity elsewhere in routing. */
export const OrderRepository = {
  /**
   * Inserts the order in ROUTING and its `placed` history event, in one
   * statement, unless the client already used the key; null then (and no
   * event). ON CONFLICT waits for a concurrent insert of the same key to
   * finish, so exactly one of two racing requests inserts. The order it answers
   * is the row as stored, built from the values it wrote (every column is
   * written here, none from a default or a trigger), so intake needs no read
   * after the insert. The event is written as recordOrderEvent writes one
   * (order-history.ts): its time is `event.at` under the simulated clock, else
   * the database's clock at the insert; `occurredAt` is clock_timestamp() just
   * after it, what recordOrderEvent publishes an event with.
   */
  async insertPlaced(em: EntityManager, o: PlacedOrderRow, event: { actor: string; at: Date | null }): Promise<PlacedOrder | null> {
    const [row] = await selectRows<{ occurredAt: Date }>(
      em,
      `WITH placed AS (
         INSERT INTO orders (id, network_id, client_id, category, region, quantity, deliver_by, budget_minor, currency,
                             notes, status, routing, idempotency_key, input_fingerprint, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'ROUTING', '[]'::jsonb, $11, $12, $13, $13)
         ON CONFLICT (client_id, idempotency_key) DO NOTHING
         RETURNING id, network_id
       ), event AS (
         INSERT INTO order_events (order_id, network_id, type, actor, supplier_id, detail, created_at)
         SELECT id, network_id, 'placed', $14::text, NULL::uuid, '{}'::jsonb, coalesce($15::timestamptz, clock_timestamp()) FROM placed
         RETURNING id
       )
       SELECT clock_timestamp() AS "occurredAt" FROM event`,
      [
        o.id,
        o.networkId,
        o.clientId,
        o.category,
        o.region,
        o.quantity,
        o.deliverBy,
        o.budgetMinor.toString(),
        o.currency,
        o.notes,
        o.idempotencyKey,
        o.inputFingerprint,
        o.at,
        event.actor,
        event.at,
      ],
    );
    if (!row) return null;
    const order = Object.assign(new OrderEntity(), {
      id: o.id,
      networkId: o.networkId,
      clientId: o.clientId,
      category: o.category,
      region: o.region,
      quantity: o.quantity,
      deliverBy: o.deliverBy,
      budgetMinor: o.budgetMinor,
      currency: o.currency,
      notes: o.notes,
      status: 'ROUTING',
      supplierId: null,
      capabilityId: null,
      priceMinor: null,
      offerExpiresAt: null,
      currentOfferId: null,
      routing: [],
      idempotencyKey: o.idempotencyKey,
      inputFingerprint: o.inputFingerprint,
      acceptedAt: null,
      fulfilledAt: null,
      cancelledAt: null,
      refundedAt: null,
      createdAt: o.at,
      updatedAt: o.at,
    } satisfies OrderEntity);
    return { order, occurredAt: row.occurredAt };
  },

  /** The supplier's orders with an open offer, in id order (the order their rows are locked in). */
  async offeredTo(em: EntityManager, supplierId: string): Promise<string[]> {
    const rows = await selectRows<{ id: string }>(em, `SELECT id FROM orders WHERE supplier_id = $1 AND status = 'OFFERED' ORDER BY id`, [supplierId]);
    return rows.map((r) => r.id);
  },

  /**
   * Orders in ROUTING not touched since `before`, oldest first. SKIP LOCKED: an
   * order another session holds (a job routing it right now, a stalled process)
   * is left to it or to the next sweep; the locks end with the statement.
   */
  async stuckInRouting(em: EntityManager, before: Date, limit: number): Promise<string[]> {
    const rows = await selectRows<{ id: string }>(
      em,
      `SELECT id FROM orders WHERE status = 'ROUTING' AND updated_at < $1
        ORDER BY updated_at LIMIT $2 FOR UPDATE SKIP LOCKED`,
      [before, limit],
    );
    return rows.map((r) => r.id);
  },
};
