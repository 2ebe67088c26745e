import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { QueueRegistry } from '@tandem/jobs';

/** The queue store is up when BullMQ's own connection answers a count. */
@Injectable()
export class RedisHealthIndicator {
  constructor(
    private readonly indicators: HealthIndicatorService,
    private readonly queues: QueueRegistry,
  ) {}

  async isHealthy(key = 'redis') {
    const check = this.indicators.check(key);
    try {
      // A count through the queue's own backend works whichever store BullMQ runs on.
      await Promise.race([
        this.queues.all()[0].getJobCounts('wait'),
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout')), 1000)),
      ]);
      return check.up();
    } catch (e) {
      return check.down({ message: (e as Error).message });
    }
  }
}
