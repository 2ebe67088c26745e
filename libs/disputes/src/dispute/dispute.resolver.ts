import { Args, Context, ID, Int, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { Allow, CurrentCaller, MemberCaller, NetworkCaller, OperatorCaller, RequestContext } from '@tandem/auth';
import { ROLES } from '@tandem/common';
import { MoneyInput } from '@tandem/money';
import { MemberLoader, MemberObject } from '@tandem/network';
import { OrderLoader, OrderObject, toOrderObject } from '@tandem/routing';
import { DisputeConnectionObject } from './dispute-connection.object';
import { DisputeObject, DisputeStatus, DisputeStatusEnum, toDisputeObject } from './dispute.object';
import { DisputeService } from './dispute.service';

@Resolver(() => DisputeObject)
export class DisputeResolver {
  constructor(
    private readonly service: DisputeService,
    private readonly orders: OrderLoader,
    private readonly members: MemberLoader,
  ) {}

  @Query(() => DisputeConnectionObject, {
    description:
      "Operator: the network's disputes; a member key: the disputes of its own orders, as their client or the supplier that accepted them. Open ones oldest first, then the others newest first (created, then id).",
  })
  @Allow('OPERATOR', ...ROLES)
  async disputes(
    @CurrentCaller() caller: NetworkCaller,
    @Args('status', { type: () => DisputeStatusEnum, nullable: true, description: 'Only the disputes in this status; all of them when absent.' })
    status?: DisputeStatus | null,
    @Args('first', { type: () => Int, nullable: true, description: 'How many disputes to return, 0 to 100; 20 when absent.' }) first?: number | null,
    @Args('after', { type: () => String, nullable: true, description: "The disputes after this edge's cursor; from the start when absent." })
    after?: string | null,
  ): Promise<DisputeConnectionObject> {
    const page = await this.service.list(caller, { status, first, after });
    return { ...page, edges: page.edges.map((e) => ({ node: toDisputeObject(e.node), cursor: e.cursor })) };
  }

  @Mutation(() => DisputeObject, {
    description: "The order's client, within 30 days of fulfilment, while the order is FULFILLED or PARTIALLY_REFUNDED and has no dispute.",
  })
  @Allow('CLIENT')
  async openDispute(
    @CurrentCaller() caller: MemberCaller,
    @Args('orderId', { type: () => ID }) orderId: string,
    @Args('reason', { type: () => String }) reason: string,
  ): Promise<DisputeObject> {
    return toDisputeObject(await this.service.open(caller, orderId, reason));
  }

  @Mutation(() => DisputeObject, { description: "The order's supplier, while the dispute is OPEN." })
  @Allow('SUPPLIER')
  async respondToDispute(
    @CurrentCaller() caller: MemberCaller,
    @Args('disputeId', { type: () => ID }) disputeId: string,
    @Args('response', { type: () => String }) response: string,
  ): Promise<DisputeObject> {
    return toDisputeObject(await this.service.respond(caller, disputeId, response));
  }

  @Mutation(() => DisputeObject, {
    description: 'Operator, while the dispute is OPEN: with refund, refunds that part of the price (as refundOrderPartially) and RESOLVED; without, REJECTED.',
  })
  @Allow('OPERATOR')
  async resolveDispute(
    @CurrentCaller() caller: OperatorCaller,
    @Args('disputeId', { type: () => ID }) disputeId: string,
    @Args('refund', { type: () => MoneyInput, nullable: true }) refund?: MoneyInput | null,
    @Args('note', { type: () => String, nullable: true }) note?: string | null,
  ): Promise<DisputeObject> {
    return toDisputeObject(await this.service.resolve(caller, disputeId, refund ?? null, note ?? null));
  }

  @ResolveField('order', () => OrderObject)
  async order(@Parent() d: DisputeObject, @Context() ctx: RequestContext): Promise<OrderObject> {
    return toOrderObject(await this.orders.load(ctx, ctx.caller as NetworkCaller, d.orderId));
  }

  @ResolveField('openedBy', () => MemberObject)
  openedBy(@Parent() d: DisputeObject, @Context() ctx: RequestContext): Promise<MemberObject> {
    return this.members.load(ctx, d.openedById);
  }
}
