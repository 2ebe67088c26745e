import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { QueueRegistry } from '@tandem/jobs';

/** Redis is up when BullMQ's own connection answers PING. */
@Injectable()
export class RedisHealthIndicator {
  constructor(
    private readonly indicators: HealthIndicatorService,
    private readonly queues: QueueRegistry,
  ) {}

  async isHealthy(key = 'redis') {
    const check = this.indicators.check(key);
    try {
      const client = (await this.queues.all()[0].client) as unknown as { ping(): Promise<string> };
      const pong = await Promise.race([
        client.ping(),
        new Promise<string>((_, reject) => setTimeout(() => reject(new Error('timeout')), 1000)),
      ]);
      return pong === 'PONG' ? check.up() : check.down({ message: `unexpected reply ${pong}` });
    } catch (e) {
      return check.down({ message: (e as Error).message });
    }
  }
}
