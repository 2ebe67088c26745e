import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Clock } from '@tandem/common';
import { OutboxService } from '@tandem/jobs';
import { TransactionRunner } from '@tandem/persistence';
import { CapacityService } from '../router/capacity.service';
import { RouterService } from '../router/router.service';
import { OfferRepository } from './offer.repository';
import { OrderEntity } from './order.entity';
import { OrderRepository } from './order.repository';
import { SYSTEM_ACTOR, recordOrderEvent } from './order-history';

export type OfferClosing = 'DECLINED' | 'EXPIRED' | 'WITHDRAWN';

const EVENT_OF: Record<OfferClosing, 'declined' | 'expired' | 'withdrawn'> = {
  DECLINED: 'declined',
  EXPIRED: 'expired',
  WITHDRAWN: 'withdrawn',
};

/** Locks an order row for a state change: concurrent accept, decline, expiry and cancel serialize on it. */
export function lockOrder(em: EntityManager, id: string): Promise<OrderEntity | null> {
  return OrderRepository.current(em, id, { lock: true });
}

/** The life of offers: routing passes, closing an open offer, expiry, and withdrawal when a supplier is suspended. */
@Injectable()
export class OfferService {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly router: RouterService,
    private readonly capacity: CapacityService,
    private readonly outbox: OutboxService,
    private readonly clock: Clock,
  ) {}

  /**
   * Closes the open offer of a locked OFFERED order, gives its capacity back and
   * puts the order back to ROUTING with no supplier, price or expiry.
   */
  async closeOpenOffer(em: EntityManager, order: OrderEntity, closing: OfferClosing, actor: string, now: Date, reason?: string | null): Promise<void> {
    if (order.status !== 'OFFERED' || !order.currentOfferId) throw new Error(`order ${order.id} has no open offer`);
    const hold = await OfferRepository.closeIfOpen(em, order.currentOfferId, closing, now);
    const supplierId = order.supplierId;
    if (hold) await this.capacity.release(em, hold.capabilityId, hold.capacityDay);
    // Until the next pass rewrites it, the routing shows that this supplier passed.
    const routing =
      closing === 'WITHDRAWN'
        ? order.routing
        : order.routing.map((r) => (r.supplierId === supplierId ? { ...r, eligible: false, reason: closing, score: null } : r));
    const change = {
      status: 'ROUTING' as const,
      routing,
      supplierId: null,
      capabilityId: null,
      priceMinor: null,
      offerExpiresAt: null,
      currentOfferId: null,
      updatedAt: now,
    };
    Object.assign(order, change);
    await em.update(OrderEntity, { id: order.id }, change);
    await recordOrderEvent(em, order, EVENT_OF[closing], actor, { supplierId, reason, at: this.clock.simulatedNow() });
  }

  /** A cancelled ACCEPTED order no longer counts against its supplier's capacity. */
  async releaseAcceptedCapacity(em: EntityManager, order: OrderEntity): Promise<void> {
    if (!order.currentOfferId) return;
    const hold = await OfferRepository.acceptedHold(em, order.currentOfferId);
    if (hold) await this.capacity.release(em, hold.capabilityId, hold.capacityDay);
  }

  /** Job 'route-order': one routing pass if the order still waits for one (idempotent). */
  async routeOrder(orderId: string): Promise<void> {
    await this.tx.run(async (em) => {
      const order = await lockOrder(em, orderId);
      if (!order || order.status !== 'ROUTING') return;
      await this.router.route(em, order, { now: this.clock.now(), actor: SYSTEM_ACTOR });
    });
  }

  /**
   * Job 'expire-offer': if this offer is still the order's open offer and its time
   * has passed, close it as EXPIRED and route the order on. Runs any number of times.
   * `withConnection` wraps each use of the database (the routing queue's gate), so
   * the wait for an early job holds no connection slot.
   */
  async expireOffer(orderId: string, offerId: string, withConnection: <T>(work: () => Promise<T>) => Promise<T> = (work) => work()): Promise<void> {
    const due = await withConnection(() => OfferRepository.due(this.tx.dataSource.manager, orderId, offerId));
    if (!due || due.status !== 'OPEN') return;
    // A delayed job may fire a few ms early (Redis and this host keep separate clocks): wait that out;
    // anything earlier fails below and BullMQ retries it with backoff.
    const early = new Date(due.expires_at).getTime() - this.clock.now().getTime();
    if (early > 0 && early <= 1_000) await new Promise((r) => setTimeout(r, early));
    await withConnection(() => this.expireDue(orderId, offerId));
  }

  private expireDue(orderId: string, offerId: string): Promise<void> {
    return this.tx.run(async (em) => {
      const order = await lockOrder(em, orderId);
      const now = this.clock.now();
      if (!order || order.status !== 'OFFERED' || order.currentOfferId !== offerId) return;
      if (!order.offerExpiresAt || order.offerExpiresAt.getTime() > now.getTime()) {
        throw new Error(`offer ${offerId} is not due yet`); // BullMQ retries with backoff
      }
      await this.closeOpenOffer(em, order, 'EXPIRED', SYSTEM_ACTOR, now);
      await this.router.route(em, order, { now, actor: SYSTEM_ACTOR });
    });
  }

  /**
   * A supplier was suspended or revoked: withdraw every offer it holds, in the
   * caller's transaction, and queue each order for its next routing pass.
   */
  async withdrawOffersOf(em: EntityManager, supplierId: string, actor: string): Promise<number> {
    const ids = await OrderRepository.offeredTo(em, supplierId);
    let withdrawn = 0;
    for (const id of ids) {
      const order = await lockOrder(em, id);
      if (!order || order.status !== 'OFFERED' || order.supplierId !== supplierId) continue;
      await this.closeOpenOffer(em, order, 'WITHDRAWN', actor, this.clock.now(), 'supplier no longer vetted');
      await this.outbox.enqueue(em, 'route-order', { orderId: id });
      withdrawn++;
    }
    return withdrawn;
  }
}
