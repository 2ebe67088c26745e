import { Module } from '@nestjs/common';
import { RoutingModule } from '@tandem/routing';
import { DisputeService } from './dispute/dispute.service';
import { FeedbackService } from './feedback/feedback.service';

/** Feedback and disputes, on top of routing (orders change through its lifecycle) and settlement (refunds). */
@Module({
  imports: [RoutingModule],
  providers: [FeedbackService, DisputeService],
  exports: [FeedbackService, DisputeService],
})
export class DisputesModule {}
