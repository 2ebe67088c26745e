import { Args, Context, ID, Mutation, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { Allow, CurrentCaller, MemberCaller, NetworkCaller, OperatorCaller, RequestContext } from '@tandem/auth';
import { MoneyInput } from '@tandem/money';
import { MemberLoader, MemberObject } from '@tandem/network';
import { OrderObject, OrderQueryService, toOrderObject } from '@tandem/routing';
import { DisputeObject, toDisputeObject } from './dispute.object';
import { DisputeService } from './dispute.service';

@Resolver(() => DisputeObject)
export class DisputeResolver {
  constructor(
    private readonly disputes: DisputeService,
    private readonly orders: OrderQueryService,
    private readonly members: MemberLoader,
  ) {}

  @Mutation(() => DisputeObject, {
    description: "The order's client, within 30 days of fulfilment, while the order is FULFILLED or PARTIALLY_REFUNDED and has no dispute.",
  })
  @Allow('CLIENT')
  async openDispute(
    @CurrentCaller() caller: MemberCaller,
    @Args('orderId', { type: () => ID }) orderId: string,
    @Args('reason', { type: () => String }) reason: string,
  ): Promise<DisputeObject> {
    return toDisputeObject(await this.disputes.open(caller, orderId, reason));
  }

  @Mutation(() => DisputeObject, { description: "The order's supplier, while the dispute is OPEN." })
  @Allow('SUPPLIER')
  async respondToDispute(
    @CurrentCaller() caller: MemberCaller,
    @Args('disputeId', { type: () => ID }) disputeId: string,
    @Args('response', { type: () => String }) response: string,
  ): Promise<DisputeObject> {
    return toDisputeObject(await this.disputes.respond(caller, disputeId, response));
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
    return toDisputeObject(await this.disputes.resolve(caller, disputeId, refund ?? null, note ?? null));
  }

  @ResolveField('order', () => OrderObject)
  async order(@Parent() d: DisputeObject, @Context() ctx: RequestContext): Promise<OrderObject> {
    return toOrderObject(await this.orders.get(ctx.caller as NetworkCaller, d.orderId));
  }

  @ResolveField('openedBy', () => MemberObject)
  openedBy(@Parent() d: DisputeObject, @Context() ctx: RequestContext): Promise<MemberObject> {
    return this.members.load(ctx, d.openedById);
  }
}
