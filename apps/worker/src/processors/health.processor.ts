import { Processor } from '@nestjs/bullmq';
import { Inject } from '@nestjs/common';
import { QUEUES, QueueHandlers } from '@tandem/jobs';
import { QUEUE_HANDLERS } from '../queue-handlers';
import { DRAIN_DELAY_SECONDS, JOB_CONCURRENCY } from './concurrency';
import { QueueProcessor } from './queue.processor';

/** Relationship-health snapshots (health's HealthJobs). */
@Processor(QUEUES.health, { concurrency: JOB_CONCURRENCY.health, drainDelay: DRAIN_DELAY_SECONDS })
export class HealthProcessor extends QueueProcessor<'health'> {
  constructor(@Inject(QUEUE_HANDLERS) handlers: QueueHandlers) {
    super(QUEUES.health, handlers.health);
  }
}
