import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Job } from 'bullmq';
import { JobName, JobPayloads, QUEUES } from '@tandem/jobs';
import { HealthSnapshotService } from '@tandem/health';
import { DRAIN_DELAY_SECONDS, JOB_CONCURRENCY } from './concurrency';

/** Relationship-health snapshots (scheduled by HealthWorkerModule through RecurringJobs). */
@Processor(QUEUES.health, { concurrency: JOB_CONCURRENCY.health, drainDelay: DRAIN_DELAY_SECONDS })
export class HealthProcessor extends WorkerHost {
  constructor(private readonly snapshots: HealthSnapshotService) {
    super();
  }

  async process(job: Job): Promise<void> {
    switch (job.name as JobName) {
      case 'snapshot-health':
        await this.snapshots.run((job.data as JobPayloads['snapshot-health']).networkId);
        return;
      default:
        throw new Error(`no handler for job ${job.name} on the ${QUEUES.health} queue`);
    }
  }
}
