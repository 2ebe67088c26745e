import { Injectable, Logger } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { badInput, isFulfilledStatus, isUuid, notFound } from '@tandem/common';
import { LedgerService, PostInput, PostResult } from '@tandem/ledger';
import { TransactionRunner } from '@tandem/persistence';
import { FeeBreakdown } from '../fees/fee-calculator';
import { orderFeesOf } from '../fees/order-fees.repository';
import { ENTRY_KINDS, fulfilmentKey, fulfilmentLines, refundLines } from './order-lines';
import { toRefund } from './order-refunds';
import { ParkedPostingService, PostingStep } from './parked-posting.service';
import { OrderToPost, PostingRepository } from './posting.repository';
import { RefundRepository } from './refund.repository';
import { UnpostableOrderError, permanentFailure } from './posting-failure';

/** An order as posting reads it, with the breakdown frozen at acceptance (from order_fees). */
interface OrderRow extends OrderToPost {
  fees: FeeBreakdown | null;
}

/**
 * parked: failed for a reason retrying cannot fix, recorded for the operator (the job ends).
 * locked-elsewhere: another session holds the order (the sweep skips it rather than wait).
 */
export type PostingOutcome = 'posted' | 'already-posted' | 'not-applicable' | 'parked' | 'locked-elsewhere';

export interface PostOptions {
  /** The sweep's way: take the order row with FOR UPDATE SKIP LOCKED and never wait behind another worker. */
  skipLocked?: boolean;
}

/**
 * Turns fulfilled and refunded orders into ledger entries. Each job may run any
 * number of times, in any order: the entry keys make it post once.
 */
@Injectable()
export class OrderPostingService {
  private readonly log = new Logger(OrderPostingService.name);

  constructor(
    private readonly tx: TransactionRunner,
    private readonly ledger: LedgerService,
    private readonly parked: ParkedPostingService,
  ) {}

  /** Job 'post-fulfilment': the order's frozen breakdown as one entry, key order:<id>:fulfil. */
  postFulfilment(orderId: string, options: PostOptions = {}): Promise<PostingOutcome> {
    return this.parkIfPermanent(orderId, 'FULFILMENT', () =>
      this.tx.run(async (em) => {
        const order = await this.load(em, orderId, options);
        if (order === 'locked') return 'locked-elsewhere';
        if (order?.parked) return 'parked';
        if (!order || !isFulfilledStatus(order.status)) {
          this.log.warn(`post-fulfilment: order ${orderId} is ${order?.status ?? 'missing'}; nothing to post`);
          return 'not-applicable';
        }
        return outcome(await this.fulfil(em, order));
      }),
    );
  }

  /**
   * Several fulfilments in one transaction: one commit (one WAL flush) for the
   * lot, which is what lets posting keep up with a busy hub. All or none.
   */
  postFulfilments(orderIds: readonly string[]): Promise<PostingOutcome[]> {
    return this.tx.run(async (em) => {
      const ids = [...new Set(orderIds)];
      // FOR KEY SHARE: the sweep (FOR UPDATE SKIP LOCKED) leaves these orders to this transaction.
      const orders = await withFees(em, await PostingRepository.lockOrders(em, ids, 'key-share'));
      const postable = orders.filter((o) => isFulfilledStatus(o.status) && !o.parked);
      const created = await this.ledger.postMany(
        em,
        postable.map((o) => this.fulfilmentInput(o)),
      );
      const outcomes = new Map<string, PostingOutcome>(postable.map((o, n) => [o.id, created[n] ? 'posted' : 'already-posted']));
      for (const o of orders) if (o.parked) outcomes.set(o.id, 'parked');
      return orderIds.map((id) => outcomes.get(id) ?? 'not-applicable');
    });
  }

  /**
   * Job 'post-refund': every refund of the order recorded and not posted yet, oldest
   * first, each its own entry (key order:<id>:refund:<n>) reversing what that refund
   * reversed (libs/settlement/src/posting/order-refunds.ts). Posts the fulfilment
   * first when its job has not run yet, so the jobs may arrive in any order.
   */
  postRefund(orderId: string, options: PostOptions = {}): Promise<PostingOutcome> {
    return this.parkIfPermanent(orderId, 'REFUND', () => this.refund(orderId, options));
  }

  /**
   * Operator, once the cause is fixed: takes the order off the parked list and
   * posts it now (the refund too when the order is REFUNDED). A failure that
   * still will not heal parks it again and is returned as 'parked'.
   */
  async retryParked(networkId: string, orderId: string): Promise<PostingOutcome> {
    if (!isUuid(orderId)) throw notFound('Order');
    const order = await this.tx.run(async (em) => {
      const state = await PostingRepository.postingState(em, networkId, orderId);
      if (!state) throw notFound('Order');
      if (!state.parked) throw badInput("this order's posting is not parked", 'orderId');
      await this.parked.unpark(em, orderId);
      return state;
    });
    // refund() posts the fulfilment first, and finds nothing more to do for an order without refunds;
    // a failure is parked under the step that still has something to post.
    const step: PostingStep = order.status === 'REFUNDED' || order.status === 'PARTIALLY_REFUNDED' ? 'REFUND' : 'FULFILMENT';
    return this.parkIfPermanent(orderId, step, () => this.refund(orderId, {}));
  }

  private async parkIfPermanent(orderId: string, step: PostingStep, post: () => Promise<PostingOutcome>): Promise<PostingOutcome> {
    try {
      return await post();
    } catch (e) {
      const failure = permanentFailure(e);
      if (!failure) throw e;
      await this.parked.park(orderId, step, failure);
      return 'parked';
    }
  }

  private refund(orderId: string, options: PostOptions): Promise<PostingOutcome> {
    return this.tx.run(async (em) => {
      const order = await this.load(em, orderId, options);
      if (order === 'locked') return 'locked-elsewhere';
      if (order?.parked) return 'parked';
      if (!order || !isFulfilledStatus(order.status)) {
        this.log.warn(`post-refund: order ${orderId} is ${order?.status ?? 'missing'}; nothing to post`);
        return 'not-applicable';
      }
      const fulfilment = await this.fulfil(em, order);
      const fees = order.fees as FeeBreakdown;
      const parties = { clientId: order.client_id, supplierId: order.supplier_id as string };
      let posted = fulfilment.created;
      for (const row of await RefundRepository.unposted(em, order.id)) {
        const result = await this.ledger.post(em, {
          networkId: order.network_id,
          currency: order.currency,
          idempotencyKey: row.entry_key,
          kind: ENTRY_KINDS.refund,
          orderId: order.id,
          lines: refundLines(parties, toRefund(row, fees).reversed),
        });
        await RefundRepository.markPosted(em, row.id, result.entry.createdAt);
        posted ||= result.created;
      }
      return posted ? 'posted' : 'already-posted';
    });
  }

  private fulfil(em: EntityManager, order: OrderRow): Promise<PostResult> {
    return this.ledger.post(em, this.fulfilmentInput(order));
  }

  private fulfilmentInput(order: OrderRow): PostInput {
    if (!order.fees || !order.supplier_id) {
      // A FULFILLED order always has both: this one cannot be posted as it stands.
      throw new UnpostableOrderError(`order ${order.id} is ${order.status} but has no ${order.fees ? 'supplier' : 'fee breakdown'}`);
    }
    const fees = order.fees;
    if (fees.currency.trim().toUpperCase() !== order.currency.trim().toUpperCase()) {
      throw new UnpostableOrderError(`order ${order.id}: fees in ${fees.currency}, order in ${order.currency}`);
    }
    return {
      networkId: order.network_id,
      currency: order.currency,
      idempotencyKey: fulfilmentKey(order.id),
      kind: ENTRY_KINDS.fulfilment,
      orderId: order.id,
      lines: fulfilmentLines({ clientId: order.client_id, supplierId: order.supplier_id }, fees),
    };
  }

  /**
   * The order, locked for this posting: FOR KEY SHARE for the jobs (it does not
   * block routing's updates), FOR UPDATE SKIP LOCKED for the sweep, which then
   * passes over an order another session is posting ('locked') instead of
   * queueing behind it, however long that session is stalled.
   */
  private async load(em: EntityManager, orderId: string, options: PostOptions): Promise<OrderRow | undefined | 'locked'> {
    const rows = await withFees(em, await PostingRepository.lockOrders(em, [orderId], options.skipLocked ? 'update-skip-locked' : 'key-share'));
    if (rows[0] || !options.skipLocked) return rows[0];
    return (await PostingRepository.orderExists(em, orderId)) ? 'locked' : undefined;
  }
}

/** The orders with their frozen breakdowns (none for an order never accepted). */
async function withFees(em: EntityManager, orders: readonly OrderToPost[]): Promise<OrderRow[]> {
  const fees = await orderFeesOf(
    em,
    orders.map((o) => o.id),
  );
  return orders.map((o) => ({ ...o, fees: fees.get(o.id) ?? null }));
}

const outcome = (r: PostResult): PostingOutcome => (r.created ? 'posted' : 'already-posted');
