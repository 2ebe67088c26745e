import { EntityManager } from 'typeorm';
import { OrderEventEntity, OrderEventType } from './order-event.entity';

/** The actor of work the worker does on its own (routing, expiry, sweeps). */
export const SYSTEM_ACTOR = 'system';

/**
 * Appends one event to an order's history, in the caller's transaction. Its time
 * is the database's clock at the insert (the column's clock_timestamp() default),
 * not the transaction's start: a worker that stalled mid-transaction must not
 * write a history that says the order moved on long before it did.
 */
export async function recordOrderEvent(
  em: EntityManager,
  order: { id: string; networkId: string },
  type: OrderEventType,
  actor: string,
  extra: { supplierId?: string | null; reason?: string | null } = {},
): Promise<void> {
  await em.insert(OrderEventEntity, {
    orderId: order.id,
    networkId: order.networkId,
    type,
    actor,
    supplierId: extra.supplierId ?? null,
    detail: extra.reason ? { reason: extra.reason } : {},
  });
}
