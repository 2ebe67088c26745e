import { EntityManager } from 'typeorm';
import { OrderEventEntity, OrderEventType } from './order-event.entity';

/** The actor of work the worker does on its own (routing, expiry, sweeps). */
export const SYSTEM_ACTOR = 'system';

/** Appends one event to an order's history, in the caller's transaction. */
export async function recordOrderEvent(
  em: EntityManager,
  order: { id: string; networkId: string },
  type: OrderEventType,
  actor: string,
  at: Date,
  extra: { supplierId?: string | null; reason?: string | null } = {},
): Promise<void> {
  await em.insert(OrderEventEntity, {
    orderId: order.id,
    networkId: order.networkId,
    type,
    actor,
    supplierId: extra.supplierId ?? null,
    detail: extra.reason ? { reason: extra.reason } : {},
    createdAt: at,
  });
}
