import { Injectable, Logger } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { LedgerService, PostInput, PostResult } from '@tandem/ledger';
import { TransactionRunner } from '@tandem/persistence';
import { StoredFeeBreakdown, loadFees } from '../fees/fee-calculator';
import { ENTRY_KINDS, fulfilmentKey, fulfilmentLines, refundKey } from './order-lines';

/** The columns of an order that posting needs (read by SQL: settlement does not import routing). */
interface OrderRow {
  id: string;
  network_id: string;
  client_id: string;
  supplier_id: string | null;
  currency: string;
  status: string;
  fees: StoredFeeBreakdown | null;
}

export type PostingOutcome = 'posted' | 'already-posted' | 'not-applicable';

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
  ) {}

  /** Job 'post-fulfilment': the order's frozen breakdown as one entry, key order:<id>:fulfil. */
  postFulfilment(orderId: string): Promise<PostingOutcome> {
    return this.tx.run(async (em) => {
      const order = await this.load(em, orderId);
      if (!order || !['FULFILLED', 'REFUNDED'].includes(order.status)) {
        this.log.warn(`post-fulfilment: order ${orderId} is ${order?.status ?? 'missing'}; nothing to post`);
        return 'not-applicable';
      }
      return outcome(await this.fulfil(em, order));
    });
  }

  /**
   * Several fulfilments in one transaction: one commit (one WAL flush) for the
   * lot, which is what lets posting keep up with a busy hub. All or none.
   */
  postFulfilments(orderIds: readonly string[]): Promise<PostingOutcome[]> {
    return this.tx.run(async (em) => {
      const ids = [...new Set(orderIds)];
      const orders: OrderRow[] = await em.query(
        `SELECT id, network_id, client_id, supplier_id, currency, status, fees FROM orders WHERE id = ANY($1::uuid[])`,
        [ids],
      );
      const postable = orders.filter((o) => ['FULFILLED', 'REFUNDED'].includes(o.status));
      const created = await this.ledger.postMany(em, postable.map((o) => this.fulfilmentInput(o)));
      const outcomes = new Map<string, PostingOutcome>(postable.map((o, n) => [o.id, created[n] ? 'posted' : 'already-posted']));
      return orderIds.map((id) => outcomes.get(id) ?? 'not-applicable');
    });
  }

  /**
   * Job 'post-refund': the exact reverse of every posting of the fulfilment entry,
   * key order:<id>:refund. Posts the fulfilment first when its job has not run yet,
   * so the two jobs may arrive in either order.
   */
  postRefund(orderId: string): Promise<PostingOutcome> {
    return this.tx.run(async (em) => {
      const order = await this.load(em, orderId);
      if (!order || order.status !== 'REFUNDED') {
        this.log.warn(`post-refund: order ${orderId} is ${order?.status ?? 'missing'}; nothing to post`);
        return 'not-applicable';
      }
      const fulfilment = await this.fulfil(em, order);
      return outcome(
        await this.ledger.post(em, {
          networkId: order.network_id,
          currency: order.currency,
          idempotencyKey: refundKey(order.id),
          kind: ENTRY_KINDS.refund,
          orderId: order.id,
          lines: fulfilment.postings.map((p) => ({
            accountCode: p.accountCode,
            memberId: p.memberId,
            amount: -p.amount,
            line: p.line,
          })),
        }),
      );
    });
  }

  private fulfil(em: EntityManager, order: OrderRow): Promise<PostResult> {
    return this.ledger.post(em, this.fulfilmentInput(order));
  }

  private fulfilmentInput(order: OrderRow): PostInput {
    if (!order.fees || !order.supplier_id) {
      // A FULFILLED order always has both; fail loudly so the job retries and shows up.
      throw new Error(`order ${order.id} is ${order.status} but has no ${order.fees ? 'supplier' : 'fee breakdown'}`);
    }
    const fees = loadFees(order.fees);
    if (fees.currency.trim().toUpperCase() !== order.currency.trim().toUpperCase()) {
      throw new Error(`order ${order.id}: fees in ${fees.currency}, order in ${order.currency}`);
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

  private async load(em: EntityManager, orderId: string): Promise<OrderRow | undefined> {
    const rows: OrderRow[] = await em.query(
      `SELECT id, network_id, client_id, supplier_id, currency, status, fees FROM orders WHERE id = $1`,
      [orderId],
    );
    return rows[0];
  }
}

const outcome = (r: PostResult): PostingOutcome => (r.created ? 'posted' : 'already-posted');
