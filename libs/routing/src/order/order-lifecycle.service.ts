import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Caller, NetworkCaller, actorLabel } from '@tandem/auth';
import { Clock, OrderStatus, badInput, isRefundableStatus, isUuid, notFound, requireText } from '@tandem/common';
import { OutboxJob, OutboxService } from '@tandem/jobs';
import { parseMoney } from '@tandem/money';
import { TransactionRunner } from '@tandem/persistence';
import { FeeBreakdown, RecordedRefund, freezeOrderFees, planRefund, recordRefund } from '@tandem/settlement';
import { AcceptanceFeesService } from '../fees/acceptance-fees.service';
import { RouterService } from '../router/router.service';
import { MemberFactsRepository } from './member-facts.repository';
import { OfferRepository } from './offer.repository';
import { OfferService, lockOrder } from './offer.service';
import { OrderEntity } from './order.entity';
import { orderEventJobs, recordOrderEvent } from './order-history';
import { OrderRepository } from './order.repository';
import { OrderPolicy } from './order.policy';

export const MAX_REASON = 2000;

/**
 * The state changes callers make to an order, one transaction each, on the
 * locked order row. The order of checks follows docs/api.md, "Errors":
 * out of reach is NOT_FOUND, reachable but in the wrong state is BAD_USER_INPUT.
 */
@Injectable()
export class OrderLifecycleService {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly policy: OrderPolicy,
    private readonly offers: OfferService,
    private readonly router: RouterService,
    private readonly fees: AcceptanceFeesService,
    private readonly outbox: OutboxService,
    private readonly clock: Clock,
  ) {}

  /** The supplier holding the offer accepts it, before it expires; the fees are frozen now. */
  accept(caller: NetworkCaller, orderId: string): Promise<OrderEntity> {
    return this.change(caller, orderId, async (em, order, now) => {
      if (!this.policy.holdsOffer(caller, order)) throw badInput('this order is not offered to you', 'orderId');
      if (!order.offerExpiresAt || now.getTime() >= order.offerExpiresAt.getTime()) {
        throw badInput('the offer has expired', 'orderId');
      }
      if (order.currentOfferId) await OfferRepository.acceptIfOpen(em, order.currentOfferId, now);
      const fees = await this.fees.feesFor(
        em,
        { clientId: order.clientId, supplierId: order.supplierId as string, priceMinor: order.priceMinor as bigint, currency: order.currency },
        now,
      );
      const change = { status: 'ACCEPTED' as const, acceptedAt: now, updatedAt: now };
      Object.assign(order, change);
      await em.update(OrderEntity, { id: order.id }, change);
      // Settlement's table, in this same transaction: accepted and frozen together, or neither.
      await freezeOrderFees(em, order.id, fees);
      await recordOrderEvent(em, order, 'accepted', actorLabel(caller), { supplierId: order.supplierId, at: this.clock.simulatedNow() });
    });
  }

  /** The supplier holding the offer passes on it; the order is routed on by a 'route-order' job. */
  decline(caller: NetworkCaller, orderId: string, reason?: string | null): Promise<OrderEntity> {
    return this.change(caller, orderId, async (em, order, now) => {
      // Read once the order is known to be in reach: NOT_FOUND comes before BAD_USER_INPUT.
      const why = optionalReason(reason);
      if (!this.policy.holdsOffer(caller, order)) throw badInput('this order is not offered to you', 'orderId');
      await this.offers.closeOpenOffer(em, order, 'DECLINED', actorLabel(caller), now, why);
      // Routed by the worker, so the decliner's answer does not show who got the order next.
      await this.outbox.enqueue(em, 'route-order', { orderId: order.id });
    });
  }

  /**
   * The supplier that accepted delivered; the ledger posts the order from the
   * 'post-fulfilment' job. A read and one statement, with no transaction: the
   * statement writes the change, its history event and its jobs only while the
   * order is still ACCEPTED by that supplier (OrderRepository.fulfilledStatement),
   * so a change that came between the two is read again and decides the answer.
   */
  async fulfil(caller: NetworkCaller, orderId: string): Promise<OrderEntity> {
    if (!isUuid(orderId)) throw notFound('Order');
    const em = this.tx.dataSource.manager;
    for (let attempt = 1; ; attempt++) {
      const order = await OrderRepository.current(em, orderId);
      if (!order || !this.policy.canSee(caller, order)) throw notFound('Order');
      if (!this.policy.accepted(caller, order)) throw badInput('this order was not accepted by you', 'orderId');
      if (order.status !== 'ACCEPTED') throw badInput(`an order in ${order.status} cannot be fulfilled`, 'orderId');
      const now = this.clock.now();
      const supplierId = order.supplierId as string;
      const reach = { status: 'FULFILLED', clientId: order.clientId, supplierId, acceptedAt: order.acceptedAt };
      const jobs: OutboxJob[] = [...orderEventJobs(order, 'fulfilled', reach, now), { name: 'post-fulfilment', payload: { orderId } }];
      const written = await this.outbox.enqueueWithChange(em, OrderRepository.fulfilledStatement(orderId, supplierId, now, actorLabel(caller)), jobs);
      if (written.length > 0) return Object.assign(order, { status: 'FULFILLED' as const, fulfilledAt: now, updatedAt: now });
      if (attempt === 3) throw new Error(`fulfil: order ${orderId} kept changing while it was being fulfilled`);
    }
  }

  /** The client or the operator, before fulfilment: an open offer is withdrawn, held capacity given back. */
  cancel(caller: NetworkCaller, orderId: string, reason?: string | null): Promise<OrderEntity> {
    return this.change(caller, orderId, async (em, order, now) => {
      const why = optionalReason(reason);
      if (!this.policy.actsForClient(caller, order)) throw badInput('only the client or the operator may cancel this order', 'orderId');
      const actor = actorLabel(caller);
      if (order.status === 'OFFERED') {
        await this.offers.closeOpenOffer(em, order, 'WITHDRAWN', actor, now, 'order cancelled');
      } else if (order.status === 'ACCEPTED') {
        await this.offers.releaseAcceptedCapacity(em, order);
      } else if (order.status !== 'ROUTING' && order.status !== 'UNROUTABLE') {
        throw badInput(`an order in ${order.status} cannot be cancelled`, 'orderId');
      }
      const change = { status: 'CANCELLED' as const, cancelledAt: now, updatedAt: now };
      Object.assign(order, change);
      await em.update(OrderEntity, { id: order.id }, change);
      await recordOrderEvent(em, order, 'cancelled', actor, { reason: why, at: this.clock.simulatedNow() });
    });
  }

  /** Operator, after fulfilment: refunds whatever remains of the price; the ledger posts it from the 'post-refund' job. */
  refund(caller: NetworkCaller, orderId: string): Promise<OrderEntity> {
    return this.change(caller, orderId, async (em, order, now) => {
      this.requireRefundable(order);
      await this.applyRefund(em, order, { amount: null, reason: null, actor: actorLabel(caller), now });
    });
  }

  /**
   * Operator, after fulfilment: refunds part of the price (docs/api.md, "Partial
   * refunds"), 0 < amount ≤ what remains, in the order's currency. Concurrent
   * refunds queue on the order's row lock, so together they never exceed the price.
   */
  refundPartially(caller: NetworkCaller, orderId: string, amount: { amount: string; currency: string }, reason?: string | null): Promise<OrderEntity> {
    return this.change(caller, orderId, async (em, order, now) => {
      const minor = this.refundAmount(order, amount);
      const why = optionalReason(reason);
      this.requireRefundable(order);
      await this.applyRefund(em, order, { amount: minor, reason: why, actor: actorLabel(caller), now });
    });
  }

  /**
   * Operator: what a refund of `amount` would reverse on every leg now, by the
   * rule that records it (settlement's planRefund) and with its checks; writes
   * nothing, so a portal previews without a copy of the rule. A DISPUTED order
   * is previewed too: its resolution may refund it.
   */
  async previewRefund(caller: NetworkCaller, orderId: string, amount: { amount: string; currency: string }): Promise<FeeBreakdown> {
    const em = this.tx.dataSource.manager;
    const order = isUuid(orderId) ? await em.findOneBy(OrderEntity, { id: orderId }) : null;
    if (!order || !this.policy.canSee(caller, order)) throw notFound('Order');
    const minor = this.refundAmount(order, amount);
    if (order.status !== 'DISPUTED') this.requireRefundable(order);
    return (await planRefund(em, order.id, minor)).legs;
  }

  /**
   * The order, locked in the caller's transaction, if the caller reaches it
   * (else NOT_FOUND): for a library above routing (disputes) that changes an
   * order through the steps below, in one transaction with its own rows.
   */
  async lockReachable(em: EntityManager, caller: Caller, orderId: string): Promise<OrderEntity> {
    const order = isUuid(orderId) ? await lockOrder(em, orderId) : null;
    if (!order || !this.policy.canSee(caller, order)) throw notFound('Order');
    return order;
  }

  /** A refund amount as asked: MoneyInput in the order's currency, greater than zero (BAD_USER_INPUT otherwise). */
  refundAmount(order: OrderEntity, amount: { amount: string; currency: string }): bigint {
    const parsed = parseMoney(amount, { field: 'amount', positive: true });
    if (parsed.currency !== order.currency) throw badInput(`the amount must be in the order's currency, ${order.currency}`, 'amount.currency');
    return parsed.minor;
  }

  /** A locked order becomes DISPUTED (from FULFILLED or PARTIALLY_REFUNDED); returns the status it had, to return to. */
  async markDisputed(em: EntityManager, order: OrderEntity, actor: string, reason: string): Promise<OrderStatus> {
    const before = order.status;
    if (!isRefundableStatus(before)) throw badInput(`an order in ${before} cannot be disputed`, 'orderId');
    await this.setStatus(em, order, { status: 'DISPUTED', updatedAt: this.clock.now() });
    await recordOrderEvent(em, order, 'disputed', actor, { reason, at: this.clock.simulatedNow() });
    return before;
  }

  /**
   * A locked DISPUTED order's dispute ends: with a refund, that part of the price
   * is refunded exactly as refundOrderPartially does; without, the order returns
   * to the status it had before the dispute.
   */
  async endDispute(
    em: EntityManager,
    order: OrderEntity,
    end: { refund: bigint | null; statusBefore: OrderStatus; actor: string; note: string | null },
  ): Promise<RecordedRefund | null> {
    if (order.status !== 'DISPUTED') throw badInput(`the order is ${order.status}, not DISPUTED`, 'orderId');
    const now = this.clock.now();
    if (end.refund !== null) return this.applyRefund(em, order, { amount: end.refund, reason: end.note, actor: end.actor, now });
    await this.setStatus(em, order, { status: end.statusBefore, updatedAt: now });
    await recordOrderEvent(em, order, 'dispute_rejected', end.actor, { reason: end.note, at: this.clock.simulatedNow() });
    return null;
  }

  private requireRefundable(order: OrderEntity): void {
    if (order.status === 'DISPUTED') throw badInput('this order is DISPUTED: its dispute must be resolved first', 'orderId');
    if (!isRefundableStatus(order.status)) throw badInput(`an order in ${order.status} cannot be refunded`, 'orderId');
  }

  /**
   * Records one refund (settlement's recordRefund: BAD_USER_INPUT above what
   * remains) and moves the order: PARTIALLY_REFUNDED while part of the price
   * remains, REFUNDED once the refunds add up to it. The entry is posted by the
   * 'post-refund' job, from the outbox row written in this transaction.
   */
  private async applyRefund(
    em: EntityManager,
    order: OrderEntity,
    r: { amount: bigint | null; reason: string | null; actor: string; now: Date },
  ): Promise<RecordedRefund> {
    const refund = await recordRefund(em, { orderId: order.id, networkId: order.networkId, amount: r.amount, reason: r.reason, at: this.clock.simulatedNow() });
    const change = refund.complete
      ? { status: 'REFUNDED' as const, refundedAt: r.now, updatedAt: r.now }
      : { status: 'PARTIALLY_REFUNDED' as const, updatedAt: r.now };
    await this.setStatus(em, order, change);
    await recordOrderEvent(em, order, refund.complete ? 'refunded' : 'partially_refunded', r.actor, {
      supplierId: order.supplierId,
      reason: r.reason,
      at: this.clock.simulatedNow(),
    });
    await this.outbox.enqueue(em, 'post-refund', { orderId: order.id });
    return refund;
  }

  private async setStatus(em: EntityManager, order: OrderEntity, change: Partial<OrderEntity> & { status: OrderStatus; updatedAt: Date }): Promise<void> {
    Object.assign(order, change);
    await em.update(OrderEntity, { id: order.id }, change);
  }

  /** Operator: withdraw the open offer, if any, and route again now. */
  reroute(caller: NetworkCaller, orderId: string): Promise<OrderEntity> {
    return this.change(caller, orderId, async (em, order, now) => {
      await this.reopen(em, order, caller, now, 'rerouted by the operator');
      await this.router.route(em, order, { now, actor: actorLabel(caller) });
    });
  }

  /** Operator: offer the order to this supplier, which must be eligible and have capacity. */
  assign(caller: NetworkCaller, orderId: string, supplierId: string): Promise<OrderEntity> {
    return this.change(caller, orderId, async (em, order, now) => {
      const roles = isUuid(supplierId) ? await MemberFactsRepository.rolesIn(em, order.networkId, supplierId) : null;
      if (!roles) throw notFound('Supplier');
      if (order.status === 'OFFERED' && order.supplierId === supplierId) {
        throw badInput('the order is already offered to that supplier', 'supplierId');
      }
      await this.reopen(em, order, caller, now, 'assigned by the operator');
      await this.router.route(em, order, { now, actor: actorLabel(caller), onlySupplierId: supplierId });
    });
  }

  /** Back to ROUTING from OFFERED (withdrawing the offer) or UNROUTABLE; other states cannot be routed again. */
  private async reopen(em: EntityManager, order: OrderEntity, caller: NetworkCaller, now: Date, why: string): Promise<void> {
    if (order.status === 'OFFERED') {
      await this.offers.closeOpenOffer(em, order, 'WITHDRAWN', actorLabel(caller), now, why);
    } else if (order.status === 'UNROUTABLE') {
      order.status = 'ROUTING';
      await em.update(OrderEntity, { id: order.id }, { status: 'ROUTING', updatedAt: now });
    } else if (order.status !== 'ROUTING') {
      throw badInput(`an order in ${order.status} cannot be routed again`, 'orderId');
    }
  }

  /** Locks the order, checks reach (NOT_FOUND), applies the change and returns the order as it now is. */
  private async change(caller: Caller, orderId: string, apply: (em: EntityManager, order: OrderEntity, now: Date) => Promise<void>): Promise<OrderEntity> {
    if (!isUuid(orderId)) throw notFound('Order');
    return this.tx.run(async (em) => {
      const order = await lockOrder(em, orderId);
      if (!order || !this.policy.canSee(caller, order)) throw notFound('Order');
      await apply(em, order, this.clock.now());
      const changed = await OrderRepository.current(em, orderId);
      if (!changed) throw new Error(`order ${orderId} vanished inside its own locked change`);
      return changed;
    });
  }
}

function optionalReason(reason: string | null | undefined): string | null {
  if (reason === null || reason === undefined) return null;
  return requireText(reason, 'reason', MAX_REASON, 0);
}
