import { Args, Context, Mutation, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { Allow, CurrentCaller, MemberCaller, RequestContext } from '@tandem/auth';
import { ROLES } from '@tandem/common';
import { MemberLoader, MemberObject } from '@tandem/network';
import { OrderLoader, OrderObject, toOrderObject } from '@tandem/routing';
import { FeedbackInput, FeedbackObject, toFeedbackObject } from './feedback.object';
import { FeedbackService } from './feedback.service';

@Resolver(() => FeedbackObject)
export class FeedbackResolver {
  constructor(
    private readonly feedback: FeedbackService,
    private readonly orders: OrderLoader,
    private readonly members: MemberLoader,
  ) {}

  @Mutation(() => FeedbackObject, {
    description:
      "The order's client or supplier, once the order is FULFILLED, PARTIALLY_REFUNDED, DISPUTED or REFUNDED, within 30 days of fulfilment: one per author and subject.",
  })
  @Allow(...ROLES)
  async leaveFeedback(@CurrentCaller() caller: MemberCaller, @Args('input', { type: () => FeedbackInput }) input: FeedbackInput): Promise<FeedbackObject> {
    return toFeedbackObject(await this.feedback.leave(caller, input));
  }

  @ResolveField('order', () => OrderObject)
  async order(@Parent() f: FeedbackObject, @Context() ctx: RequestContext): Promise<OrderObject> {
    return toOrderObject(await this.orders.load(ctx, ctx.caller as MemberCaller, f.orderId));
  }

  @ResolveField('author', () => MemberObject)
  author(@Parent() f: FeedbackObject, @Context() ctx: RequestContext): Promise<MemberObject> {
    return this.members.load(ctx, f.authorId);
  }
}
