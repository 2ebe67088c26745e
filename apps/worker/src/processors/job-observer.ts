import { Logger } from '@nestjs/common';
import type { Job } from 'bullmq';
import { JobOutcome, jobDuration, jobsProcessed } from '@tandem/observability';

/**
 * What the worker says about each run of a job: tandem_jobs_total and
 * tandem_job_duration_seconds by queue, job and outcome, and a log line for
 * every failed attempt (warn) and every job moved to failed for good (error),
 * with the job's id, name, attempt and error. Successes are counted, not logged.
 */
export class JobObserver {
  private readonly log = new Logger('Jobs');
  private readonly started = new WeakMap<Job, number>();

  constructor(private readonly queue: string) {}

  /** Called as the processor starts the job. */
  start(job: Job): void {
    this.started.set(job, performance.now());
  }

  completed(job: Job): void {
    this.count(job, 'completed');
  }

  /**
   * After BullMQ recorded the failure: attemptsMade counts this attempt, and a
   * job that will not be retried has its finishedOn set (out of attempts, or an
   * UnrecoverableError).
   */
  failed(job: Job | undefined, error: Error): void {
    if (!job) {
      this.log.error({ queue: this.queue, err: error.message }, `a job of the ${this.queue} queue failed before it could be read`);
      return;
    }
    const forGood = job.finishedOn !== undefined;
    const fields = {
      queue: this.queue,
      jobId: job.id,
      job: job.name,
      attempt: job.attemptsMade,
      attempts: job.opts.attempts ?? 1,
      err: error.message,
    };
    this.count(job, forGood ? 'failed' : 'retrying');
    if (forGood) this.log.error(fields, `job ${job.name} ${job.id} moved to failed after attempt ${fields.attempt} of ${fields.attempts}: ${error.message}`);
    else this.log.warn(fields, `job ${job.name} ${job.id} failed attempt ${fields.attempt} of ${fields.attempts}, will retry: ${error.message}`);
  }

  /**
   * A run of a job the relay ran in place (no BullMQ job): a completion, or a
   * failed attempt (warn), which its queue then retries as a job. The relay
   * hands a run that outlasts its wait to the queue as well, so such a job is
   * counted for both of its runs.
   */
  ranInPlace(job: { id: string; name: string }, startedAt: number, error?: Error): void {
    if (error) {
      this.log.warn(
        { queue: this.queue, jobId: job.id, job: job.name, attempt: 1, err: error.message },
        `job ${job.name} ${job.id} failed in place, will retry on its queue: ${error.message}`,
      );
    }
    this.record(job.name, error ? 'retrying' : 'completed', startedAt);
  }

  private count(job: Job, outcome: JobOutcome): void {
    const started = this.started.get(job);
    this.started.delete(job);
    this.record(job.name, outcome, started);
  }

  private record(name: string, outcome: JobOutcome, startedAt: number | undefined): void {
    const labels = { queue: this.queue, job: name, outcome };
    jobsProcessed.inc(labels);
    if (startedAt !== undefined) jobDuration.observe(labels, (performance.now() - startedAt) / 1000);
  }
}
