import { Processor } from '@nestjs/bullmq';
import { Inject } from '@nestjs/common';
import { QUEUES, QueueHandlers } from '@tandem/jobs';
import { QUEUE_HANDLERS } from '../queue-handlers';
import { DRAIN_DELAY_SECONDS, JOB_CONCURRENCY } from './concurrency';
import { QueueProcessor } from './queue.processor';

/** Domain events fanned out, and webhook deliveries (webhooks' WebhookJobs). */
@Processor(QUEUES.webhooks, { concurrency: JOB_CONCURRENCY.webhooks, drainDelay: DRAIN_DELAY_SECONDS })
export class WebhooksProcessor extends QueueProcessor<'webhooks'> {
  constructor(@Inject(QUEUE_HANDLERS) handlers: QueueHandlers) {
    super(QUEUES.webhooks, handlers.webhooks);
  }
}
