import { Processor } from '@nestjs/bullmq';
import { Inject } from '@nestjs/common';
import { QUEUES, QueueHandlers } from '@tandem/jobs';
import { QUEUE_HANDLERS } from '../queue-handlers';
import { DRAIN_DELAY_SECONDS, JOB_CONCURRENCY } from './concurrency';
import { QueueProcessor } from './queue.processor';

/**
 * Order postings and scheduled settlement runs (settlement's SettlementJobs). As
 * many run at once as the pool leaves room for (concurrency.ts), so that
 * fulfilments batch up without waiting for a connection.
 */
@Processor(QUEUES.ledger, { concurrency: JOB_CONCURRENCY.ledger, drainDelay: DRAIN_DELAY_SECONDS })
export class LedgerProcessor extends QueueProcessor<'ledger'> {
  constructor(@Inject(QUEUE_HANDLERS) handlers: QueueHandlers) {
    super(QUEUES.ledger, handlers.ledger);
  }
}
