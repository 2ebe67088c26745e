import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Job } from 'bullmq';
import { JobName, JobPayloads, QUEUES } from '@tandem/jobs';
import { FulfilmentBatcher, OrderPostingService, SettlementRunService } from '@tandem/settlement';
import { runAsJob } from '@tandem/persistence';
import { DRAIN_DELAY_SECONDS, JOB_CONCURRENCY } from './concurrency';

/**
 * Order postings and scheduled settlement runs; every job is idempotent (entry
 * keys, closing lock). As many jobs run at once as the pool leaves room for
 * (concurrency.ts), so that fulfilments batch up without waiting for a connection.
 */
@Processor(QUEUES.ledger, { concurrency: JOB_CONCURRENCY.ledger, drainDelay: DRAIN_DELAY_SECONDS })
export class LedgerProcessor extends WorkerHost {
  constructor(
    private readonly postings: OrderPostingService,
    private readonly fulfilments: FulfilmentBatcher,
    private readonly runs: SettlementRunService,
  ) {
    super();
  }

  process(job: Job): Promise<unknown> {
    return runAsJob(job.name, () => this.run(job));
  }

  private async run(job: Job): Promise<unknown> {
    switch (job.name as JobName) {
      case 'post-fulfilment': {
        const { orderId } = job.data as JobPayloads['post-fulfilment'];
        return this.fulfilments.post(orderId);
      }
      case 'post-refund': {
        const { orderId } = job.data as JobPayloads['post-refund'];
        return this.postings.postRefund(orderId);
      }
      case 'run-settlement': {
        const { networkId } = job.data as JobPayloads['run-settlement'];
        const result = await this.runs.runScheduled(networkId);
        return result ? { runId: result.run.id, statements: result.statements.length } : 'schedule off';
      }
      default:
        throw new Error(`no handler for job ${job.name} on the ${QUEUES.ledger} queue`);
    }
  }
}
