import { OnWorkerEvent, WorkerHost } from '@nestjs/bullmq';
import { Job } from 'bullmq';
import { JobHandlers, QueueName, runJob, traceCarrierOf } from '@tandem/jobs';
import { inJobSpan } from '@tandem/observability';
import { runAsJob } from '@tandem/persistence';
import { JobObserver } from './job-observer';

/**
 * What a run of a job is inside: a span that continues the trace of the
 * request that wrote its outbox row, and the job's name and data labelling the
 * transactions it opens, for the test fault (runAsJob). Every processor's run
 * and the relay's in-place runs (in-place-jobs.ts) alike.
 */
export function inJobContext<T>(job: Parameters<typeof inJobSpan>[0] & { data: unknown }, work: () => Promise<T>): Promise<T> {
  const { data, ...span } = job;
  return inJobSpan(span, () => runAsJob(job.name, data, work));
}

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
    return inJobContext({ queue: this.queue, name: job.name, id: job.id, attempt: job.attemptsMade + 1, carrier: traceCarrierOf(job), data: job.data }, () =>
      runJob(this.queue, this.handlers, job),
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
