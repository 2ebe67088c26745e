import { EntityManager } from 'typeorm';
import { EVENT_TYPES, EventType, OutboxService, publishEvent } from '@tandem/jobs';
import { OrderEventEntity, OrderEventType } from './order-event.entity';
import { OrderRepository } from './order.repository';

/** The actor of work the worker does on its own (routing, expiry, sweeps). */
export const SYSTEM_ACTOR = 'system';

/**
 * Appends one event to an order's history, in the caller's transaction. Its time
 * is the database's clock at the insert (the column's clock_timestamp() default),
 * not the transaction's start: a worker that stalled mid-transaction must not
 * write a history that says the order moved on long before it did. Under the
 * simulated clock (TANDEM_SIMULATED_CLOCK) the caller passes `at`, the clock's
 * Clock.simulatedNow(), since the database knows only real time.
 *
 * Every order event passes here, so here each is published (order.<type>,
 * docs/api.md "Webhooks and subscriptions") with the order's status right after
 * the change and its reach then (client, supplier, acceptance): webhooks decide
 * with OrderPolicy who may be told, and send only orderId and status.
 */
export async function recordOrderEvent(
  em: EntityManager,
  order: { id: string; networkId: string },
  type: OrderEventType,
  actor: string,
  extra: { supplierId?: string | null; reason?: string | null; at?: Date | null } = {},
): Promise<void> {
  const event = {
    orderId: order.id,
    networkId: order.networkId,
    type,
    actor,
    supplierId: extra.supplierId ?? null,
    detail: extra.reason ? { reason: extra.reason } : {},
  };
  if (extra.at) {
    await em.query(`INSERT INTO order_events (order_id, network_id, type, actor, supplier_id, detail, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`, [
      event.orderId,
      event.networkId,
      event.type,
      event.actor,
      event.supplierId,
      JSON.stringify(event.detail),
      extra.at,
    ]);
  } else await em.insert(OrderEventEntity, event);
  const eventType = `order.${type}`;
  if (!(EVENT_TYPES as readonly string[]).includes(eventType)) return;
  const now = await OrderRepository.reachNow(em, order.id);
  if (!now) return;
  const data: Record<string, string> = { orderId: order.id, status: now.status, clientId: now.clientId };
  if (now.supplierId) data.supplierId = now.supplierId;
  if (now.acceptedAt) data.acceptedAt = now.acceptedAt.toISOString();
  const published = { type: eventType as Exclude<EventType, 'webhook.test'>, networkId: order.networkId, data };
  await publishEvent(new OutboxService(em.connection), em, published, now.now);
}
