import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { QUEUE_STORE, QueueRegistry, QueueStore } from '@tandem/jobs';

/**
 * The queue store is up when BullMQ's own backend answers a count. /health names
 * it after what it checks: `redis`, or `queues` when they run on PostgreSQL.
 */
@Injectable()
export class RedisHealthIndicator {
  constructor(
    private readonly indicators: HealthIndicatorService,
    private readonly queues: QueueRegistry,
    @Inject(QUEUE_STORE) private readonly store: QueueStore,
  ) {}

  /** The key of this check in /health's JSON. */
  get key(): string {
    return this.store === 'redis' ? 'redis' : 'queues';
  }

  async isHealthy(key = this.key) {
    const check = this.indicators.check(key);
    let timer: NodeJS.Timeout | undefined;
    try {
      // A count through the queue's own backend works whichever store BullMQ runs on.
      await Promise.race([
        this.queues.all()[0].getJobCounts('wait'),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error('timeout')), 1000);
        }),
      ]);
      return check.up();
    } catch (e) {
      return check.down({ message: (e as Error).message });
    } finally {
      clearTimeout(timer);
    }
  }
}
