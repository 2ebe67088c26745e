import { Processor, WorkerHost } from '@nestjs/bullmq';
import { OnModuleInit } from '@nestjs/common';
import { Job } from 'bullmq';
import { JobName, QUEUES, RecurringJobs } from '@tandem/jobs';
import { RoutingReconcileService } from '@tandem/routing';
import { LedgerReconcileService } from '@tandem/settlement';
import { DRAIN_DELAY_SECONDS, JOB_CONCURRENCY } from './concurrency';

/** How often the routing sweep looks for orders a lost job or a crash left behind. */
export const RECONCILE_ROUTING_EVERY_MS = 2_000;

/** Periodic sweeps that re-drive what a lost job or a crash left behind. */
@Processor(QUEUES.maintenance, { concurrency: JOB_CONCURRENCY.maintenance, drainDelay: DRAIN_DELAY_SECONDS })
export class MaintenanceProcessor extends WorkerHost implements OnModuleInit {
  constructor(
    private readonly recurring: RecurringJobs,
    private readonly routing: RoutingReconcileService,
    private readonly ledger: LedgerReconcileService,
  ) {
    super();
  }

  onModuleInit(): void {
    this.recurring.register({ name: 'reconcile-routing', everyMs: RECONCILE_ROUTING_EVERY_MS, data: {} });
  }

  async process(job: Job): Promise<void> {
    switch (job.name as JobName) {
      case 'reconcile-routing':
        await this.routing.reconcile();
        return;
      case 'reconcile-ledger':
        await this.ledger.reconcile();
        return;
      default:
        throw new Error(`no handler for job ${job.name} on the ${QUEUES.maintenance} queue`);
    }
  }
}
