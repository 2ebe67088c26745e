import { Context, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { RequestContext } from '@tandem/auth';
import { OrderObject } from '@tandem/routing';
import { DisputeObject, toDisputeObject } from './dispute/dispute.object';
import { DisputeService } from './dispute/dispute.service';
import { FeedbackObject, toFeedbackObject } from './feedback/feedback.object';
import { FeedbackService } from './feedback/feedback.service';

/**
 * Order.feedback and Order.dispute. Routing owns the Order type; these fields
 * are disputes' own, resolved here. Whoever reaches the order (its client, its
 * supplier, the operator) sees all of its feedback and its dispute.
 */
@Resolver(() => OrderObject)
export class OrderDisputeFieldsResolver {
  constructor(
    private readonly feedback: FeedbackService,
    private readonly disputes: DisputeService,
  ) {}

  @ResolveField('feedback', () => [FeedbackObject], { description: 'Feedback on this order the caller may read.' })
  async orderFeedback(@Parent() order: OrderObject, @Context() ctx: RequestContext): Promise<FeedbackObject[]> {
    return (await this.feedback.ofOrder(ctx, order.id)).map(toFeedbackObject);
  }

  @ResolveField('dispute', () => DisputeObject, { nullable: true, description: "The order's dispute, if one was opened." })
  async orderDispute(@Parent() order: OrderObject, @Context() ctx: RequestContext): Promise<DisputeObject | null> {
    const row = await this.disputes.ofOrder(ctx, order.id);
    return row ? toDisputeObject(row) : null;
  }
}
