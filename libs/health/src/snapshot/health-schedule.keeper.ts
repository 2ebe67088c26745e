import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { JobName, QUEUES, QueueRegistry } from '@tandem/jobs';
import { HEALTH_OPTIONS, HealthOptions } from '../health/health.options';

export const SNAPSHOT_HEALTH_SCHEDULER = 'snapshot-health';
/** How often the keeper checks the scheduler still exists (a Redis flush or failover loses it). */
const KEEP_EVERY_MS = 60_000;

/**
 * Worker only: registers the BullMQ job scheduler of 'snapshot-health' (every
 * 15 minutes by default) at bootstrap and re-registers it if Redis lost it.
 * One scheduler id per queue prefix, so several workers share one schedule.
 */
@Injectable()
export class HealthScheduleKeeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger(HealthScheduleKeeper.name);
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly queues: QueueRegistry,
    @Inject(HEALTH_OPTIONS) private readonly options: HealthOptions,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.keep();
    this.timer = setInterval(() => void this.keep(), KEEP_EVERY_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  async keep(): Promise<void> {
    try {
      const queue = this.queues.get(QUEUES.health);
      const existing = await queue.getJobScheduler(SNAPSHOT_HEALTH_SCHEDULER);
      if (existing && Number(existing.every) === this.options.snapshotEveryMs) return;
      await queue.upsertJobScheduler(
        SNAPSHOT_HEALTH_SCHEDULER,
        { every: this.options.snapshotEveryMs },
        {
          name: 'snapshot-health' satisfies JobName,
          data: {},
          // A failed run is not retried: the next one comes soon and computes everything again.
          opts: { attempts: 1, removeOnComplete: { count: 100 }, removeOnFail: { count: 100 } },
        },
      );
    } catch (e) {
      this.log.error(`could not register the health snapshot scheduler: ${(e as Error).message}`);
    }
  }
}
