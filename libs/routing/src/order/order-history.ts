import { EntityManager } from 'typeorm';
import { EVENT_TYPES, EventType, OutboxJob, OutboxService, publishEventJob } from '@tandem/jobs';
import { selectRows } from '@tandem/persistence';
import { OrderEventType } from './order-event.entity';

/** The actor of work the worker does on its own (routing, expiry, sweeps). */
export const SYSTEM_ACTOR = 'system';

/** Who an order reaches right after a change: what its published event says (with its status). */
export interface OrderReach {
  status: string;
  clientId: string;
  supplierId: string | null;
  acceptedAt: Date | null;
}

/** The published type of an order event, or null for one partners are not told of (withdrawn, dispute_rejected). */
function publishedType(type: OrderEventType): Exclude<EventType, 'webhook.test'> | null {
  const eventType = `order.${type}`;
  return (EVENT_TYPES as readonly string[]).includes(eventType) ? (eventType as Exclude<EventType, 'webhook.test'>) : null;
}

/**
 * The INSERT of one order event, its values given as SQL (parameters, literals
 * or columns of `from`, a CTE of the same statement), for the statements that
 * write the event with the change it records: recordOrderEvent, and the one
 * statement of placing (OrderRepository.placedStatement), offering
 * (RoutePassRepository.offerStatement) and fulfilling an order
 * (OrderRepository.fulfilledStatement), which write it once per row of `from`.
 * `at` null: the database's clock at the insert (see recordOrderEvent).
 */
export function orderEventInsert(
  v: { orderId: string; networkId: string; type: string; actor: string; supplierId: string; detail: string; at: string },
  from?: string,
): string {
  const values = `${v.orderId}, ${v.networkId}, ${v.type}, ${v.actor}, ${v.supplierId}, ${v.detail}, coalesce(${v.at}, clock_timestamp())`;
  return `INSERT INTO order_events (order_id, network_id, type, actor, supplier_id, detail, created_at)
          ${from ? `SELECT ${values} FROM ${from}` : `VALUES (${values})`}`;
}

/**
 * Appends one event to an order's history, in the caller's transaction. Its time
 * is the database's clock at the insert (clock_timestamp(), as the column's
 * default), not the transaction's start: a worker that stalled mid-transaction
 * must not write a history that says the order moved on long before it did.
 * Under the simulated clock (TANDEM_SIMULATED_CLOCK) the caller passes `at`, the
 * clock's Clock.simulatedNow(), since the database knows only real time.
 *
 * Every order event is published (order.<type>, docs/api.md "Webhooks and
 * subscriptions") with the order's status right after the change and its reach
 * then (client, supplier, acceptance): webhooks decide with OrderPolicy who may
 * be told, and send only orderId and status. Here the insert and the read of
 * the order as it is now (with the database's clock after the insert, the
 * event's published time) are one statement; the `placed` event is written
 * with the order itself, in intake's one statement (OrderRepository.placedStatement),
 * and published through orderEventJobs below at the order's own time, with the
 * reach intake knows.
 */
export async function recordOrderEvent(
  em: EntityManager,
  order: { id: string; networkId: string },
  type: OrderEventType,
  actor: string,
  extra: { supplierId?: string | null; reason?: string | null; at?: Date | null } = {},
): Promise<void> {
  const params = [
    order.id,
    order.networkId,
    type,
    actor,
    extra.supplierId ?? null,
    JSON.stringify(extra.reason ? { reason: extra.reason } : {}),
    extra.at ?? null,
  ];
  const insert = orderEventInsert({ orderId: '$1', networkId: '$2', type: '$3', actor: '$4', supplierId: '$5', detail: '$6', at: '$7::timestamptz' });
  const eventType = publishedType(type);
  if (!eventType) {
    await em.query(insert, params);
    return;
  }
  // The main query's snapshot is the statement's start: it sees the caller's change (an earlier statement), not the event.
  const [now] = await selectRows<OrderReach & { now: Date }>(
    em,
    `WITH event AS (${insert} RETURNING order_id)
     SELECT o.status, o.client_id AS "clientId", o.supplier_id AS "supplierId", o.accepted_at AS "acceptedAt", clock_timestamp() AS now
       FROM event JOIN orders o ON o.id = event.order_id`,
    params,
  );
  if (!now) return;
  await publishOrderEvent(em, order, type, now, now.now);
}

/**
 * Publishes an order event already written to the history: order.<type> with
 * the order's reach right after the change, at `occurredAt` (the database's
 * clock then), in the caller's transaction.
 */
async function publishOrderEvent(
  em: EntityManager,
  order: { id: string; networkId: string },
  type: OrderEventType,
  reach: OrderReach,
  occurredAt: Date,
): Promise<void> {
  const jobs = orderEventJobs(order, type, reach, occurredAt);
  if (jobs.length > 0) await new OutboxService(em.connection).enqueueAll(em, jobs);
}

/** The outbox job that publishes an order event (order.<type>), alone; none for an event partners are not told of. */
export function orderEventJobs(order: { id: string; networkId: string }, type: OrderEventType, reach: OrderReach, occurredAt: Date): OutboxJob[] {
  const eventType = publishedType(type);
  if (!eventType) return [];
  const data: Record<string, string> = { orderId: order.id, status: reach.status, clientId: reach.clientId };
  if (reach.supplierId) data.supplierId = reach.supplierId;
  if (reach.acceptedAt) data.acceptedAt = reach.acceptedAt.toISOString();
  return [publishEventJob({ type: eventType, networkId: order.networkId, data }, occurredAt)];
}
