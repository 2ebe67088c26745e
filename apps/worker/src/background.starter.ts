import { BeforeApplicationShutdown, Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { HEALTH_OPTIONS, HealthOptions } from '@tandem/health';
import { OutboxRelayService, QueueHandlers, RecurringJobs } from '@tandem/jobs';
import { SettlementJobs } from '@tandem/settlement';
import { inPlaceRunner } from './processors/in-place-jobs';
import { QUEUE_HANDLERS } from './queue-handlers';
import { recurringPlan } from './recurring-jobs';

/** The worker owns the outbox relay and the recurring jobs; the API only writes to the outbox. */
@Injectable()
export class BackgroundStarter implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown {
  constructor(
    private readonly relay: OutboxRelayService,
    private readonly recurring: RecurringJobs,
    @Inject(HEALTH_OPTIONS) private readonly health: HealthOptions,
    private readonly settlement: SettlementJobs,
    @Inject(QUEUE_HANDLERS) private readonly handlers: QueueHandlers,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    // Fan-outs of published events run as the relay takes them (processors/in-place-jobs.ts).
    this.relay.runInPlace(inPlaceRunner(this.handlers));
    this.relay.start();
    await this.recurring.start(recurringPlan(this.health, this.settlement));
  }

  /**
   * The relay stops before anything closes: Nest closes the queues and the
   * database pool in its own order, and a batch waiting for its in-place runs
   * then would fail and run them all again at the next start.
   */
  async beforeApplicationShutdown(): Promise<void> {
    await this.relay.stop();
    this.relay.runInPlace(undefined);
  }

  onApplicationShutdown(): void {
    this.recurring.stop();
  }
}
