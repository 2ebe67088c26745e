import { Processor } from '@nestjs/bullmq';
import { Inject } from '@nestjs/common';
import { QUEUES, QueueHandlers } from '@tandem/jobs';
import { QUEUE_HANDLERS } from '../queue-handlers';
import { DRAIN_DELAY_SECONDS, JOB_CONCURRENCY } from './concurrency';
import { QueueProcessor } from './queue.processor';

/** Routing passes and offer expiry (routing's RoutingJobs). */
@Processor(QUEUES.routing, { concurrency: JOB_CONCURRENCY.routing, drainDelay: DRAIN_DELAY_SECONDS })
export class RoutingProcessor extends QueueProcessor<'routing'> {
  constructor(@Inject(QUEUE_HANDLERS) handlers: QueueHandlers) {
    super(QUEUES.routing, handlers.routing);
  }
}
