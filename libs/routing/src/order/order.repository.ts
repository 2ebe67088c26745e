import { EntityManager } from 'typeorm';
import { OutboxJob, OutboxService } from '@tandem/jobs';
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

/** The raw SQL of orders; the ORM reads and updates them by entity elsewhere in routing. */
export const OrderRepository = {
  /**
   * Inserts the order in ROUTING, its `placed` history event and `jobs` (its
   * published event and routing job) in one statement, which commits on its
   * own: one round trip. Unless the client already used the key: null then,
   * and no event and no job. ON CONFLICT waits for a concurrent insert of the
   * same key to finish, so exactly one of two racing requests inserts. The
   * order it answers is the row as stored, built from the values it wrote
   * (every column is written here, none from a default or a trigger), so
   * intake needs no read after the insert. The event's time is the order's own
   * (`o.at`, its createdAt), the time its published event carries.
   */
  async insertPlaced(outbox: OutboxService, em: EntityManager, o: PlacedOrderRow, actor: string, jobs: readonly OutboxJob[]): Promise<OrderEntity | null> {
    const rows = await outbox.enqueueWithChange<{ id: string }>(
      em,
      {
        ctes: `placed AS (
           INSERT INTO orders (id, network_id, client_id, category, region, quantity, deliver_by, budget_minor, currency,
                               notes, status, routing, idempotency_key, input_fingerprint, created_at, updated_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'ROUTING', '[]'::jsonb, $11, $12, $13, $13)
           ON CONFLICT (client_id, idempotency_key) DO NOTHING
           RETURNING id, network_id
         ), event AS (
           INSERT INTO order_events (order_id, network_id, type, actor, supplier_id, detail, created_at)
           SELECT id, network_id, 'placed', $14::text, NULL::uuid, '{}'::jsonb, $13 FROM placed
         )`,
        params: [
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
          actor,
        ],
        guard: 'placed',
        select: 'SELECT id FROM placed',
      },
      jobs,
    );
    if (rows.length === 0) return null;
    return Object.assign(new OrderEntity(), {
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
