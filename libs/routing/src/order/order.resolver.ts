import { Args, Context, ID, Int, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { Allow, CurrentCaller, NetworkCaller, RequestContext } from '@tandem/auth';
import { ROLES } from '@tandem/common';
import { MoneyInput, MoneyObject, money, sumMinor, toMoneyOutput } from '@tandem/money';
import { MemberLoader, MemberObject } from '@tandem/network';
import {
  FeeBreakdownObject,
  OrderFeesLoader,
  PostingProblemLoader,
  PostingProblemObject,
  RefundObject,
  RefundsLoader,
  toFeeBreakdownObject,
  toRefundObject,
} from '@tandem/settlement';
import { OrderInput } from './dto/order.input';
import { OrderEventsLoader } from './order-events.loader';
import { OrderRoutingLoader } from './order-routing.loader';
import { OrderIntakeService } from './order-intake.service';
import { OrderLifecycleService } from './order-lifecycle.service';
import {
  OrderConnectionObject,
  OrderEventObject,
  OrderObject,
  OrderStatusEnum,
  RoutingCandidateObject,
  toOrderEventObject,
  toOrderObject,
} from './order.object';
import { OrderPolicy } from './order.policy';
import { OrderQueryService } from './order-query.service';

const ANY_NETWORK_KEY = ['OPERATOR', ...ROLES] as const;

@Resolver(() => OrderObject)
export class OrderResolver {
  constructor(
    private readonly intake: OrderIntakeService,
    private readonly lifecycle: OrderLifecycleService,
    private readonly queries: OrderQueryService,
    private readonly policy: OrderPolicy,
    private readonly members: MemberLoader,
    private readonly eventLoader: OrderEventsLoader,
    private readonly routingLoader: OrderRoutingLoader,
    private readonly postingProblems: PostingProblemLoader,
    private readonly orderFees: OrderFeesLoader,
    private readonly refundsLoader: RefundsLoader,
  ) {}

  @Query(() => OrderObject)
  @Allow(...ANY_NETWORK_KEY)
  async order(@CurrentCaller() caller: NetworkCaller, @Args('id', { type: () => ID }) id: string): Promise<OrderObject> {
    return toOrderObject(await this.queries.get(caller, id));
  }

  @Query(() => OrderConnectionObject)
  @Allow(...ANY_NETWORK_KEY)
  async orders(
    @CurrentCaller() caller: NetworkCaller,
    @Args('status', { type: () => OrderStatusEnum, nullable: true }) status?: OrderStatusEnum | null,
    @Args('first', { type: () => Int, nullable: true }) first?: number | null,
    @Args('after', { type: () => String, nullable: true }) after?: string | null,
    @Args('from', { type: () => Date, nullable: true, description: 'Beyond the contract: orders created at or after this instant.' })
    from?: Date | null,
    @Args('to', { type: () => Date, nullable: true, description: 'Beyond the contract: orders created before this instant (not after from).' })
    to?: Date | null,
    @Args('supplierId', { type: () => ID, nullable: true, description: 'Beyond the contract: orders offered to or taken by this supplier.' })
    supplierId?: string | null,
    @Args('clientId', { type: () => ID, nullable: true, description: 'Beyond the contract: orders placed for this client.' })
    clientId?: string | null,
  ): Promise<OrderConnectionObject> {
    const page = await this.queries.list(caller, { status, first, after, from, to, supplierId, clientId });
    return { ...page, edges: page.edges.map((e) => ({ node: toOrderObject(e.node), cursor: e.cursor })) };
  }

  @Mutation(() => OrderObject, { description: "Client, or operator on a client's behalf." })
  @Allow('OPERATOR', 'CLIENT')
  async placeOrder(@CurrentCaller() caller: NetworkCaller, @Args('input', { type: () => OrderInput }) input: OrderInput): Promise<OrderObject> {
    return toOrderObject(await this.intake.place(caller, input));
  }

  @Mutation(() => OrderObject, { description: 'The supplier holding the offer.' })
  @Allow('SUPPLIER')
  async acceptOrder(@CurrentCaller() caller: NetworkCaller, @Args('orderId', { type: () => ID }) orderId: string): Promise<OrderObject> {
    return toOrderObject(await this.lifecycle.accept(caller, orderId));
  }

  @Mutation(() => OrderObject, { description: 'The supplier holding the offer.' })
  @Allow('SUPPLIER')
  async declineOrder(
    @CurrentCaller() caller: NetworkCaller,
    @Args('orderId', { type: () => ID }) orderId: string,
    @Args('reason', { type: () => String, nullable: true }) reason?: string | null,
  ): Promise<OrderObject> {
    return toOrderObject(await this.lifecycle.decline(caller, orderId, reason));
  }

  @Mutation(() => OrderObject, { description: 'The supplier that accepted.' })
  @Allow('SUPPLIER')
  async fulfilOrder(@CurrentCaller() caller: NetworkCaller, @Args('orderId', { type: () => ID }) orderId: string): Promise<OrderObject> {
    return toOrderObject(await this.lifecycle.fulfil(caller, orderId));
  }

  @Mutation(() => OrderObject, { description: 'The client or the operator, before fulfilment.' })
  @Allow('OPERATOR', 'CLIENT')
  async cancelOrder(
    @CurrentCaller() caller: NetworkCaller,
    @Args('orderId', { type: () => ID }) orderId: string,
    @Args('reason', { type: () => String, nullable: true }) reason?: string | null,
  ): Promise<OrderObject> {
    return toOrderObject(await this.lifecycle.cancel(caller, orderId, reason));
  }

  @Mutation(() => OrderObject, {
    description: 'Operator, after fulfilment: refunds whatever remains of the price; with no earlier refund, the exact reverse of every posting of the order.',
  })
  @Allow('OPERATOR')
  async refundOrder(@CurrentCaller() caller: NetworkCaller, @Args('orderId', { type: () => ID }) orderId: string): Promise<OrderObject> {
    return toOrderObject(await this.lifecycle.refund(caller, orderId));
  }

  @Mutation(() => OrderObject, { description: 'Operator, after fulfilment: refunds part of the price; every leg reverses in proportion (README.md).' })
  @Allow('OPERATOR')
  async refundOrderPartially(
    @CurrentCaller() caller: NetworkCaller,
    @Args('orderId', { type: () => ID }) orderId: string,
    @Args('amount', { type: () => MoneyInput }) amount: MoneyInput,
    @Args('reason', { type: () => String, nullable: true }) reason?: string | null,
  ): Promise<OrderObject> {
    return toOrderObject(await this.lifecycle.refundPartially(caller, orderId, amount, reason));
  }

  @Query(() => FeeBreakdownObject, {
    description:
      'Operator, beyond the contract: what a refund of amount (refundOrderPartially, or resolveDispute with that refund) would reverse on every leg now (price = the amount, clientPays = what the client gets back, supplierReceives = what the supplier gives back), with the same errors; changes nothing.',
  })
  @Allow('OPERATOR')
  async refundPreview(
    @CurrentCaller() caller: NetworkCaller,
    @Args('orderId', { type: () => ID, description: 'The order a refund is being considered for: FULFILLED, PARTIALLY_REFUNDED or DISPUTED.' }) orderId: string,
    @Args('amount', { type: () => MoneyInput, description: "The part of the price to refund, in the order's currency, 0 < amount ≤ price − refundedAmount." })
    amount: MoneyInput,
    @Context() ctx: RequestContext,
  ): Promise<FeeBreakdownObject> {
    return toFeeBreakdownObject(await this.lifecycle.previewRefund(caller, orderId, amount), (id) => this.members.load(ctx, id));
  }

  @Mutation(() => OrderObject, { description: 'Operator: withdraws the open offer, if any, and routes the order again (also from UNROUTABLE).' })
  @Allow('OPERATOR')
  async rerouteOrder(@CurrentCaller() caller: NetworkCaller, @Args('orderId', { type: () => ID }) orderId: string): Promise<OrderObject> {
    return toOrderObject(await this.lifecycle.reroute(caller, orderId));
  }

  @Mutation(() => OrderObject, { description: 'Operator: offers the order to this supplier, which must be eligible; an open offer to another is withdrawn.' })
  @Allow('OPERATOR')
  async assignOrder(
    @CurrentCaller() caller: NetworkCaller,
    @Args('orderId', { type: () => ID }) orderId: string,
    @Args('supplierId', { type: () => ID }) supplierId: string,
  ): Promise<OrderObject> {
    return toOrderObject(await this.lifecycle.assign(caller, orderId, supplierId));
  }

  @ResolveField('client', () => MemberObject)
  client(@Parent() order: OrderObject, @Context() ctx: RequestContext): Promise<MemberObject> {
    return this.members.load(ctx, order.clientId);
  }

  @ResolveField('supplier', () => MemberObject, { nullable: true })
  supplier(@Parent() order: OrderObject, @Context() ctx: RequestContext): Promise<MemberObject> | null {
    return order.supplierId ? this.members.load(ctx, order.supplierId) : null;
  }

  @ResolveField('fees', () => FeeBreakdownObject, { nullable: true })
  async fees(@Parent() order: OrderObject, @Context() ctx: RequestContext): Promise<FeeBreakdownObject | null> {
    // Frozen by settlement at acceptance; loaded for the whole list in one query.
    const fees = await this.orderFees.load(ctx, order.id);
    return fees ? toFeeBreakdownObject(fees, (id) => this.members.load(ctx, id)) : null;
  }

  @ResolveField('refunds', () => [RefundObject], { description: 'Every refund, oldest first.' })
  async refunds(@Parent() order: OrderObject, @Context() ctx: RequestContext): Promise<RefundObject[]> {
    const refunds = await this.refundsLoader.load(ctx, order.id);
    return Promise.all(refunds.map((r) => toRefundObject(r, (id) => this.members.load(ctx, id))));
  }

  @ResolveField('refundedAmount', () => MoneyObject, { description: 'Sum of refunds[].amount; zero before any refund.' })
  async refundedAmount(@Parent() order: OrderObject, @Context() ctx: RequestContext): Promise<MoneyObject> {
    const refunds = await this.refundsLoader.load(ctx, order.id);
    return toMoneyOutput(money(sumMinor(refunds.map((r) => r.amount)), order.budget.currency));
  }

  @ResolveField('postingProblem', () => PostingProblemObject, {
    nullable: true,
    description: 'Why the ledger could not post this order (parked until an operator retries it); null when nothing is wrong.',
  })
  postingProblem(@Parent() order: OrderObject, @Context() ctx: RequestContext): Promise<PostingProblemObject | null> {
    return this.postingProblems.load(ctx, order.id);
  }

  @ResolveField('routing', () => [RoutingCandidateObject])
  async routing(@Parent() order: OrderObject, @Context() ctx: RequestContext): Promise<RoutingCandidateObject[]> {
    const own = ctx.caller ? this.policy.ownRowsOnly(ctx.caller, order) : null;
    // At an offer the excluded rows may still be on their way (RoutingExplainerService): the loader fills them in.
    const all = order.status === 'OFFERED' || order.status === 'ACCEPTED' ? await this.routingLoader.load(ctx, order.id) : order.routingRows;
    const rows = own === null ? all : all.filter((r) => r.supplierId === own);
    return rows.map((r) => ({ supplierId: r.supplierId, eligible: r.eligible, reason: r.reason, score: r.score }));
  }

  @ResolveField('events', () => [OrderEventObject])
  async events(@Parent() order: OrderObject, @Context() ctx: RequestContext): Promise<OrderEventObject[]> {
    const caller = ctx.caller;
    const view = {
      operator: caller?.kind === 'OPERATOR',
      ownSupplierId: caller ? this.policy.ownRowsOnly(caller, order) : null,
      clientId: order.clientId,
    };
    return (await this.eventLoader.load(ctx, order.id)).map((e) => toOrderEventObject(e, view));
  }
}
