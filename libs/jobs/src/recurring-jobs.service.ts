import { Injectable, Logger } from '@nestjs/common';
import { JOB_QUEUE, JobName, JobPayloads } from './job-types';
import { QueueRegistry } from './queue-registry';

/** A job that runs every `everyMs`, under one BullMQ job scheduler whatever the number of workers. */
export interface RecurringJob<N extends JobName = JobName> {
  name: N;
  everyMs: number;
  data: JobPayloads[N];
}

/** Any one recurring job, its data typed by its own name. */
export type AnyRecurringJob = { [N in JobName]: RecurringJob<N> }[JobName];

/** Schedules whose set depends on data (e.g. one per network): brought in line on every keep. */
export type ScheduleSync = () => Promise<void>;

/** Everything the worker schedules, declared in one place (apps/worker/src/recurring-jobs.ts). */
export interface RecurringPlan {
  fixed: readonly AnyRecurringJob[];
  synced: readonly ScheduleSync[];
}

const KEEP_EVERY_MS = 10_000;

/**
 * Keeps the worker's recurring jobs: upserts the plan at start and re-checks it
 * periodically, so a Redis that lost its keys (a flush, a failover) gets them
 * back without a restart.
 */
@Injectable()
export class RecurringJobs {
  private readonly log = new Logger(RecurringJobs.name);
  private plan: RecurringPlan = { fixed: [], synced: [] };
  private timer?: NodeJS.Timeout;

  constructor(private readonly queues: QueueRegistry) {}

  async start(plan: RecurringPlan): Promise<void> {
    this.plan = plan;
    await this.keep();
    this.timer = setInterval(() => void this.keep(), KEEP_EVERY_MS);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  async keep(): Promise<void> {
    for (const job of this.plan.fixed) {
      try {
        const queue = this.queues.get(JOB_QUEUE[job.name]);
        const existing = await queue.getJobScheduler(job.name);
        if (existing && Number(existing.every) === job.everyMs) continue;
        await queue.upsertJobScheduler(
          job.name,
          { every: job.everyMs },
          // A failed run is not retried: the next one comes soon and does the whole sweep again.
          { name: job.name, data: job.data, opts: { attempts: 1, removeOnComplete: { count: 100 }, removeOnFail: { count: 100 } } },
        );
      } catch (e) {
        this.log.error(`could not schedule ${job.name}: ${(e as Error).message}`);
      }
    }
    for (const sync of this.plan.synced) {
      await sync().catch((e: Error) => this.log.error(`could not bring schedules in line: ${e.message}`));
    }
  }
}
