import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import DataLoader from 'dataloader';
import { DataSource } from 'typeorm';
import { Caller, MemberCaller } from '@tandem/auth';
import { Clock, badInput, isFulfilledStatus, requireIntInRange, requireText } from '@tandem/common';
import { OutboxService, publishEvent } from '@tandem/jobs';
import { TransactionRunner } from '@tandem/persistence';
import { OrderEntity, OrderLifecycleService } from '@tandem/routing';
import { MAX_TEXT, withinWindow } from '../windows';
import { FeedbackInput, FeedbackSubject } from './feedback.object';
import { FeedbackRepository, FeedbackRow } from './feedback.repository';

/** Which subjects each side of an order may rate (libs/disputes/README.md, "Rules"). */
const MAY_RATE: Record<'CLIENT' | 'SUPPLIER', readonly FeedbackSubject[]> = {
  CLIENT: ['SUPPLIER', 'HUB'],
  SUPPLIER: ['CLIENT', 'HUB'],
};

/**
 * Feedback after fulfilment: the order's client rates its supplier or the hub,
 * its supplier rates its client or the hub, once per order, author and subject,
 * within 30 days of fulfilment. The order of checks follows docs/api.md,
 * "Errors": an operator key is FORBIDDEN (the resolver's @Allow), an order the
 * member is not party to NOT_FOUND, everything else BAD_USER_INPUT.
 */
@Injectable()
export class FeedbackService {
  private readonly byRequest = new WeakMap<object, DataLoader<string, FeedbackRow[]>>();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly tx: TransactionRunner,
    private readonly orders: OrderLifecycleService,
    private readonly outbox: OutboxService,
    private readonly clock: Clock,
  ) {}

  leave(caller: MemberCaller, input: FeedbackInput): Promise<FeedbackRow> {
    return this.tx.run(async (em) => {
      // Locked like every change of the order, so the status read here is the one this feedback lands on.
      const order = await this.orders.lockReachable(em, caller, input.orderId);
      const side = sideOf(caller, order);
      if (!side) throw badInput("only the order's client or supplier may leave feedback", 'orderId');
      if (!MAY_RATE[side].includes(input.subject)) {
        throw badInput(`the order's ${side.toLowerCase()} may rate ${MAY_RATE[side].join(' or ')}`, 'subject');
      }
      const rating = requireIntInRange(input.rating, 'rating', 1, 5);
      const comment = input.comment === null || input.comment === undefined ? null : requireText(input.comment, 'comment', MAX_TEXT, 0);
      if (!isFulfilledStatus(order.status)) throw badInput(`an order in ${order.status} cannot be rated yet`, 'orderId');
      const now = this.clock.now();
      if (!withinWindow(order.fulfilledAt, now)) throw badInput('feedback is accepted within 30 days of fulfilment', 'orderId');
      const row = await FeedbackRepository.insertOnce(em, {
        id: randomUUID(),
        network_id: order.networkId,
        order_id: order.id,
        author_id: caller.memberId,
        subject: input.subject,
        subject_member_id: input.subject === 'HUB' ? null : input.subject === 'SUPPLIER' ? order.supplierId : order.clientId,
        rating,
        comment,
        created_at: now,
      });
      if (!row) throw badInput(`you have already rated the ${input.subject.toLowerCase()} on this order`, 'subject');
      // authorId is for the webhooks' reach only (the order's other party and the operator, never the author); receivers get feedbackId and orderId.
      await publishEvent(this.outbox, em, {
        type: 'feedback.received',
        networkId: order.networkId,
        data: { feedbackId: row.id, orderId: order.id, authorId: caller.memberId },
      });
      return row;
    });
  }

  /** Order.feedback for a list of orders in one query (one DataLoader per GraphQL request); whoever sees the order sees all of it. */
  ofOrder(ctx: object, orderId: string): Promise<FeedbackRow[]> {
    let loader = this.byRequest.get(ctx);
    if (!loader) {
      loader = new DataLoader(async (ids: readonly string[]) => {
        const rows = await FeedbackRepository.ofOrders(this.dataSource.manager, ids);
        return ids.map((id) => rows.filter((r) => r.order_id === id));
      });
      this.byRequest.set(ctx, loader);
    }
    return loader.load(orderId);
  }
}

/** The side of the order the member is on: its client, or the supplier that accepted it. */
function sideOf(caller: Caller, order: OrderEntity): 'CLIENT' | 'SUPPLIER' | null {
  if (caller.kind !== 'MEMBER') return null;
  if (order.clientId === caller.memberId) return 'CLIENT';
  if (order.supplierId === caller.memberId && order.acceptedAt !== null) return 'SUPPLIER';
  return null;
}
