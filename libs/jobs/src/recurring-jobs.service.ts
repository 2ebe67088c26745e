import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
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

/** Advisory-lock namespace of the schedule keeper (the first key of the two-key form). */
const KEEP_LOCK_SPACE = 0x5c4ed;

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

  constructor(
    private readonly queues: QueueRegistry,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  async start(plan: RecurringPlan): Promise<void> {
    this.plan = plan;
    await this.keep();
    this.timer = setInterval(() => void this.keep(), KEEP_EVERY_MS);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /**
   * One worker at a time, across processes: two workers that both found a
   * scheduler missing would each create it, and on BullMQ's PostgreSQL store the
   * two creations interleave into two first runs at different phases. The lock is
   * taken per queue prefix (deployments may share a database); a worker that does
   * not get it leaves this round to the one that did.
   */
  async keep(): Promise<void> {
    try {
      await this.dataSource.transaction(async (em) => {
        const prefix = this.queues.all()[0]?.opts.prefix ?? '';
        const [{ held }] = await em.query(`SELECT pg_try_advisory_xact_lock($1, hashtext($2)) AS held`, [KEEP_LOCK_SPACE, prefix]);
        if (held) await this.keepUnlocked();
      });
    } catch (e) {
      this.log.error(`could not keep the recurring jobs: ${(e as Error).message}`);
    }
  }

  private async keepUnlocked(): Promise<void> {
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
