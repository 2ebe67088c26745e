import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import DataLoader from 'dataloader';
import { DataSource, EntityManager } from 'typeorm';
import { Caller, MemberCaller, NetworkCaller, OperatorCaller, actorLabel } from '@tandem/auth';
import { Clock, OrderStatus, Page, badInput, isUuid, notFound, pageOf, pageSize, requireText } from '@tandem/common';
import { OutboxService, publishEvent } from '@tandem/jobs';
import { TransactionRunner } from '@tandem/persistence';
import { OrderEntity, OrderLifecycleService, OrderPolicy } from '@tandem/routing';
import { MAX_TEXT, withinWindow } from '../windows';
import { decodeDisputeCursor, encodeDisputeCursor } from './dispute-cursor';
import { DisputeListFilter, DisputeListRow, DisputeRepository, DisputeRow } from './dispute.repository';

export interface DisputeListArgs {
  status?: DisputeRow['status'] | null;
  first?: number | null;
  after?: string | null;
}

/**
 * Disputes (libs/disputes/README.md, "Rules"): the order's
 * client opens one, once, within 30 days of fulfilment, while the order is
 * FULFILLED or PARTIALLY_REFUNDED, and the order becomes DISPUTED; its supplier
 * may answer once while it is OPEN; the operator resolves it with a refund (as
 * refundOrderPartially) or rejects it (the order returns to the status it had).
 * A dispute holds no money. Each change is one transaction that locks the order
 * first (routing's row lock, the one every refund takes) and then the dispute,
 * so a resolution and a refund of the same order never both go through.
 */
@Injectable()
export class DisputeService {
  private readonly byRequest = new WeakMap<object, DataLoader<string, DisputeRow | null>>();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly tx: TransactionRunner,
    private readonly orders: OrderLifecycleService,
    private readonly policy: OrderPolicy,
    private readonly outbox: OutboxService,
    private readonly clock: Clock,
  ) {}

  open(caller: MemberCaller, orderId: string, reason: string): Promise<DisputeRow> {
    return this.tx.run(async (em) => {
      const order = await this.orders.lockReachable(em, caller, orderId);
      if (!this.policy.isClient(caller, order)) throw badInput("only the order's client may open a dispute", 'orderId');
      const why = requireText(reason, 'reason', MAX_TEXT);
      if (await DisputeRepository.existsForOrder(em, order.id)) throw badInput('this order already has a dispute', 'orderId');
      const now = this.clock.now();
      if (order.fulfilledAt !== null && !withinWindow(order.fulfilledAt, now)) {
        throw badInput('a dispute may be opened within 30 days of fulfilment', 'orderId');
      }
      const statusBefore = await this.orders.markDisputed(em, order, actorLabel(caller), why);
      const row = await DisputeRepository.insertOnce(em, {
        id: randomUUID(),
        network_id: order.networkId,
        order_id: order.id,
        opened_by_id: caller.memberId,
        reason: why,
        order_status_before: statusBefore,
        currency: order.currency,
        created_at: now,
      });
      // The order row lock makes a second dispute wait and then see this one; the unique key is the last word.
      if (!row) throw badInput('this order already has a dispute', 'orderId');
      return row;
    });
  }

  respond(caller: MemberCaller, disputeId: string, response: string): Promise<DisputeRow> {
    return this.change(caller, disputeId, async (em, dispute, order) => {
      if (!this.policy.accepted(caller, order)) throw badInput("only the order's supplier may answer its dispute", 'disputeId');
      const text = requireText(response, 'response', MAX_TEXT);
      if (dispute.status !== 'OPEN') throw badInput(`the dispute is ${dispute.status}`, 'disputeId');
      if (!(await DisputeRepository.respond(em, dispute.id, text, this.clock.now())))
        throw badInput('the supplier has already answered this dispute', 'disputeId');
    });
  }

  resolve(caller: OperatorCaller, disputeId: string, refund: { amount: string; currency: string } | null, note: string | null): Promise<DisputeRow> {
    return this.change(caller, disputeId, async (em, dispute, order) => {
      const refundMinor = refund ? this.orders.refundAmount(order, refund) : null;
      const resolution = note === null ? null : requireText(note, 'note', MAX_TEXT, 0);
      if (dispute.status !== 'OPEN') throw badInput(`the dispute is ${dispute.status}`, 'disputeId');
      await this.orders.endDispute(em, order, {
        refund: refundMinor,
        statusBefore: dispute.order_status_before as OrderStatus,
        actor: actorLabel(caller),
        note: resolution,
      });
      const status = refundMinor === null ? 'REJECTED' : 'RESOLVED';
      if (!(await DisputeRepository.close(em, dispute.id, { status, resolution, refundMinor, at: this.clock.now() }))) {
        throw badInput('the dispute is no longer OPEN', 'disputeId');
      }
      await publishEvent(this.outbox, em, { type: 'dispute.resolved', networkId: order.networkId, data: { disputeId: dispute.id, orderId: order.id, status } });
    });
  }

  /**
   * The disputes list: the operator's whole network, a member's the disputes of
   * its own orders (as client, or as the supplier that accepted them); open ones
   * oldest first, then the rest newest first (libs/disputes/README.md, "The disputes list").
   */
  async list(caller: NetworkCaller, args: DisputeListArgs): Promise<Page<DisputeRow>> {
    const size = pageSize(args.first);
    const after = args.after ? decodeDisputeCursor(args.after) : null;
    const filter: DisputeListFilter = {
      networkId: caller.networkId,
      memberId: caller.kind === 'MEMBER' ? caller.memberId : null,
      status: args.status ?? null,
    };
    const em = this.dataSource.manager;
    const [rows, totalCount] = await Promise.all([DisputeRepository.page(em, filter, after, size + 1), DisputeRepository.count(em, filter)]);
    const cursorOf = (r: DisputeListRow) => encodeDisputeCursor({ open: r.status === 'OPEN', createdAt: r.created_ms, id: r.id });
    // What `after` pointed past, as pointsPastARow (libs/common/src/connection.ts) reads it.
    return pageOf(rows, size, totalCount, cursorOf, after !== null && totalCount - rows.length > 0);
  }

  /** Order.dispute for a list of orders in one query (one DataLoader per GraphQL request). */
  ofOrder(ctx: object, orderId: string): Promise<DisputeRow | null> {
    let loader = this.byRequest.get(ctx);
    if (!loader) {
      loader = new DataLoader(async (ids: readonly string[]) => {
        const rows = await DisputeRepository.ofOrders(this.dataSource.manager, ids);
        return ids.map((id) => rows.find((r) => r.order_id === id) ?? null);
      });
      this.byRequest.set(ctx, loader);
    }
    return loader.load(orderId);
  }

  /** The dispute and its order, both locked (order first), if the caller reaches the order (else NOT_FOUND); the change, then the dispute as it now is. */
  private async change(
    caller: NetworkCaller,
    disputeId: string,
    apply: (em: EntityManager, dispute: DisputeRow, order: OrderEntity) => Promise<void>,
  ): Promise<DisputeRow> {
    if (!isUuid(disputeId)) throw notFound('Dispute');
    return this.tx.run(async (em) => {
      const found = await DisputeRepository.byId(em, disputeId);
      if (!found || !reachesNetwork(caller, found)) throw notFound('Dispute');
      const order = await this.orders.lockReachable(em, caller, found.order_id).catch(() => {
        throw notFound('Dispute');
      });
      const dispute = (await DisputeRepository.byId(em, disputeId, true)) as DisputeRow;
      await apply(em, dispute, order);
      return (await DisputeRepository.byId(em, disputeId)) as DisputeRow;
    });
  }
}

function reachesNetwork(caller: Caller, dispute: DisputeRow): boolean {
  return caller.kind !== 'ADMIN' && caller.networkId === dispute.network_id;
}
