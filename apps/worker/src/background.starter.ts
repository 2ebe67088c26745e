import { Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { OutboxRelayService, RecurringJobs } from '@tandem/jobs';

/** The worker owns the outbox relay and the recurring jobs; the API only writes to the outbox. */
@Injectable()
export class BackgroundStarter implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    private readonly relay: OutboxRelayService,
    private readonly recurring: RecurringJobs,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.relay.start();
    await this.recurring.start();
  }

  onApplicationShutdown(): void {
    this.recurring.stop();
  }
}
