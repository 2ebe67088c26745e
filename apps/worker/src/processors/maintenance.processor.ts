import { Processor } from '@nestjs/bullmq';
import { Inject } from '@nestjs/common';
import { QUEUES, QueueHandlers } from '@tandem/jobs';
import { QUEUE_HANDLERS } from '../queue-handlers';
import { DRAIN_DELAY_SECONDS, JOB_CONCURRENCY } from './concurrency';
import { QueueProcessor } from './queue.processor';

/** Periodic sweeps that re-drive what a lost job or a crash left behind (routing's and settlement's), one at a time. */
@Processor(QUEUES.maintenance, { concurrency: JOB_CONCURRENCY.maintenance, drainDelay: DRAIN_DELAY_SECONDS })
export class MaintenanceProcessor extends QueueProcessor<'maintenance'> {
  constructor(@Inject(QUEUE_HANDLERS) handlers: QueueHandlers) {
    super(QUEUES.maintenance, handlers.maintenance);
  }
}
