import { EntityManager } from 'typeorm';
import { StatementWithOutbox } from '@tandem/jobs';
import { entityRows, selectRows, selectRowsPrepared } from '@tandem/persistence';
import { OrderEntity } from './order.entity';
import { orderEventInsert } from './order-history';

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

/** What intake writes of an order, with the type each value is sent as: one list for the single and the batch statement. */
const PLACED_COLUMNS: readonly { name: string; type: string; value: (o: PlacedOrderRow, actor: string) => unknown }[] = [
  { name: 'id', type: 'uuid', value: (o) => o.id },
  { name: 'network_id', type: 'uuid', value: (o) => o.networkId },
  { name: 'client_id', type: 'uuid', value: (o) => o.clientId },
  { name: 'category', type: 'text', value: (o) => o.category },
  { name: 'region', type: 'text', value: (o) => o.region },
  { name: 'quantity', type: 'int', value: (o) => o.quantity },
  { name: 'deliver_by', type: 'timestamptz', value: (o) => o.deliverBy },
  { name: 'budget_minor', type: 'bigint', value: (o) => o.budgetMinor.toString() },
  { name: 'currency', type: 'text', value: (o) => o.currency },
  { name: 'notes', type: 'text', value: (o) => o.notes },
  { name: 'idempotency_key', type: 'text', value: (o) => o.idempotencyKey },
  { name: 'input_fingerprint', type: 'text', value: (o) => o.inputFingerprint },
  { name: 'at', type: 'timestamptz', value: (o) => o.at },
  { name: 'actor', type: 'text', value: (_o, actor) => actor },
];

/** After an `intake` CTE of PLACED_COLUMNS: the orders not already placed under their keys, and their `placed` events. */
const placedInserts = `placed AS (
         INSERT INTO orders (id, network_id, client_id, category, region, quantity, deliver_by, budget_minor, currency,
                             notes, status, routing, idempotency_key, input_fingerprint, created_at, updated_at)
         SELECT id, network_id, client_id, category, region, quantity, deliver_by, budget_minor, currency,
                notes, 'ROUTING', '[]'::jsonb, idempotency_key, input_fingerprint, at, at
           FROM intake
         ON CONFLICT (client_id, idempotency_key) DO NOTHING
         RETURNING id
       ), event AS (
         ${orderEventInsert({ orderId: 'i.id', networkId: 'i.network_id', type: "'placed'", actor: 'i.actor', supplierId: 'NULL::uuid', detail: "'{}'::jsonb", at: 'i.at' }, 'placed JOIN intake i USING (id)')}
       )`;

/** The intake CTE of one order, from one parameter per column. */
const PLACED_ONE = `intake AS (
         SELECT ${PLACED_COLUMNS.map((c, n) => `$${n + 1}::${c.type} AS ${c.name}`).join(', ')}
       ), ${placedInserts}`;

/** The intake CTE of a batch, from one array per column. */
const PLACED_MANY = `intake AS (
         SELECT * FROM unnest(${PLACED_COLUMNS.map((c, n) => `$${n + 1}::${c.type}[]`).join(', ')})
           AS i(${PLACED_COLUMNS.map((c) => c.name).join(', ')})
       ), ${placedInserts}`;

/** The raw SQL of orders; the ORM reads and updates them by entity elsewhere in routing. */
export const OrderRepository = {
  /**
   * The statement that inserts one order in ROUTING and its `placed` history
   * event, for OutboxService.enqueueWithChanges to write its jobs with (one
   * statement, committing on its own): unless the client already used the key,
   * when it answers no row and writes no event and no job. ON CONFLICT waits
   * for a concurrent insert of the same key to finish, so exactly one of two
   * racing requests inserts. The event's time is the order's own (`at`, its
   * createdAt), the time its published event carries. An order placed alone
   * goes this way; placedBatchStatement stores several.
   */
  placedStatement(o: PlacedOrderRow, actor: string): StatementWithOutbox {
    return { ctes: PLACED_ONE, params: PLACED_COLUMNS.map((c) => c.value(o, actor)), guard: 'placed', select: 'SELECT id FROM placed' };
  },

  /**
   * placedStatement for a batch (OrderIntakeService), for
   * OutboxService.enqueueWithChanges: the orders from arrays, one element
   * each; the ids of those inserted are answered, and each order's jobs are
   * written only when it was. A batch holds each key once.
   */
  placedBatchStatement(orders: readonly { row: PlacedOrderRow; actor: string }[]): StatementWithOutbox {
    return {
      ctes: PLACED_MANY,
      params: PLACED_COLUMNS.map((c) => orders.map(({ row, actor }) => c.value(row, actor))),
      guard: 'placed',
      select: 'SELECT id FROM placed',
    };
  },

  /**
   * The order as placedStatement stored it, built from the values it wrote
   * (every column is written there, none from a default or a trigger), so
   * intake needs no read after the insert.
   */
  placedEntity(o: PlacedOrderRow): OrderEntity {
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

  /**
   * The order as it is now, or null, in one plain statement (no query builder);
   * with `lock`, its row is locked for the caller's transaction (FOR UPDATE).
   */
  async current(em: EntityManager, id: string, opts: { lock?: boolean } = {}): Promise<OrderEntity | null> {
    const rows = entityRows(em.connection, OrderEntity);
    // Every routing pass and state change starts here: prepared, so each connection plans it once.
    const [row] = await selectRowsPrepared<Record<string, unknown>>(
      em,
      `SELECT ${rows.columns('o')} FROM orders o WHERE o.id = $1${opts.lock ? ' FOR UPDATE' : ''}`,
      [id],
    );
    return row ? rows.map(row) : null;
  },

  /**
   * The statement that marks an order FULFILLED at `at` with its `fulfilled`
   * history event, for OutboxService.enqueueWithChange to write its jobs with
   * (one statement, committing on its own): only while the order is still
   * ACCEPTED by `supplierId`, else it answers no row and writes nothing. A
   * concurrent change holding the row is waited for, and the condition is
   * checked again on the row it left.
   */
  fulfilledStatement(orderId: string, supplierId: string, at: Date, actor: string): StatementWithOutbox {
    return {
      ctes: `fulfilled AS (
         UPDATE orders SET status = 'FULFILLED', fulfilled_at = $3, updated_at = $3
          WHERE id = $1 AND status = 'ACCEPTED' AND supplier_id = $2
         RETURNING id, network_id
       ), event AS (
         ${orderEventInsert({ orderId: 'id', networkId: 'network_id', type: "'fulfilled'", actor: '$4::text', supplierId: '$2::uuid', detail: "'{}'::jsonb", at: '$3::timestamptz' }, 'fulfilled')}
       )`,
      params: [orderId, supplierId, at, actor],
      guard: 'fulfilled',
      select: 'SELECT id FROM fulfilled',
    };
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
