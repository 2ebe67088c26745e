import { WorkerHost } from '@nestjs/bullmq';
import { Job } from 'bullmq';
import { JobHandlers, QueueName, runJob } from '@tandem/jobs';
import { runAsJob } from '@tandem/persistence';

/**
 * What every processor does: look the job up in its queue's handler map. The
 * job's name labels the transactions it opens, for the test fault (runAsJob).
 */
export abstract class QueueProcessor<Q extends QueueName> extends WorkerHost {
  protected constructor(
    private readonly queue: Q,
    private readonly handlers: JobHandlers<Q>,
  ) {
    super();
  }

  process(job: Job): Promise<unknown> {
    return runAsJob(job.name, () => runJob(this.queue, this.handlers, job));
  }
}
