import { Module } from '@nestjs/common';
import { NetworkModule } from '@tandem/network';
import { RoutingModule } from '@tandem/routing';
import { DisputeResolver } from './dispute/dispute.resolver';
import { DisputesModule } from './disputes.module';
import { FeedbackResolver } from './feedback/feedback.resolver';
import { OrderDisputeFieldsResolver } from './order-fields.resolver';

/** The disputes domain's GraphQL surface (API only): leaveFeedback, the dispute mutations, the disputes list, Order.feedback and Order.dispute. */
@Module({
  imports: [DisputesModule, RoutingModule, NetworkModule],
  providers: [FeedbackResolver, DisputeResolver, OrderDisputeFieldsResolver],
})
export class DisputesGraphqlModule {}
