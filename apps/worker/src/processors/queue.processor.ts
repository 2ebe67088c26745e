import { OnWorkerEvent, WorkerHost } from '@nestjs/bullmq';
import { Job } from 'bullmq';
import { JobHandlers, QueueName, runJob, traceCarrierOf } from '@tandem/jobs';
import { inJobSpan } from '@tandem/observability';
import { runAsJob } from '@tandem/persistence';
import { JobObserver } from './job-observer';

/**
 * What every processor does: look the job up in its queue's handler map, inside
 * a span that continues the trace of the request that wrote its outbox row, and
 * report each run (job-observer.ts). The job's name labels the transactions it
 * opens, for the test fault (runAsJob).
 */
export abstract class QueueProcessor<Q extends QueueName> extends WorkerHost {
  private readonly observer: JobObserver;

  protected constructor(
    private readonly queue: Q,
    private readonly handlers: JobHandlers<Q>,
  ) {
    super();
    this.observer = new JobObserver(queue);
  }

  process(job: Job): Promise<unknown> {
    this.observer.start(job);
    return inJobSpan({ queue: this.queue, name: job.name, id: job.id, attempt: job.attemptsMade + 1, carrier: traceCarrierOf(job) }, () =>
      runAsJob(job.name, job.data, () => runJob(this.queue, this.handlers, job)),
    );
  }

  @OnWorkerEvent('completed')
  onCompleted(job: Job): void {
    this.observer.completed(job);
  }

  @OnWorkerEvent('failed')
  onFailed(job: Job | undefined, error: Error): void {
    this.observer.failed(job, error);
  }
}
