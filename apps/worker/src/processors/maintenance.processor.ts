import { InjectQueue, Processor, WorkerHost } from '@nestjs/bullmq';
import { OnApplicationBootstrap } from '@nestjs/common';
import { Job, Queue } from 'bullmq';
import { JobName, QUEUES } from '@tandem/jobs';
import { RoutingReconcileService } from '@tandem/routing';
import { LedgerReconcileService, RECONCILE_LEDGER_EVERY_MS } from '@tandem/settlement';

/** How often the sweeps run (BullMQ job schedulers: one schedule however many workers start). */
export const SWEEP_EVERY_MS: Partial<Record<JobName, number>> = {
  'reconcile-routing': 2_000,
  'reconcile-ledger': RECONCILE_LEDGER_EVERY_MS,
};

/** Periodic sweeps that re-drive what a lost job or a crash left behind. */
@Processor(QUEUES.maintenance)
export class MaintenanceProcessor extends WorkerHost implements OnApplicationBootstrap {
  constructor(
    @InjectQueue(QUEUES.maintenance) private readonly queue: Queue,
    private readonly routing: RoutingReconcileService,
    private readonly ledger: LedgerReconcileService,
  ) {
    super();
  }

  async onApplicationBootstrap(): Promise<void> {
    for (const [name, every] of Object.entries(SWEEP_EVERY_MS)) {
      await this.queue.upsertJobScheduler(name, { every }, { name, data: {}, opts: { removeOnComplete: true, removeOnFail: 100 } });
    }
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
