import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { JobName, QUEUES, QueueRegistry } from '@tandem/jobs';
import { SettlementScheduleService } from './settlement-schedule.service';

/** How often the ledger sweep runs ("every few seconds"). */
export const RECONCILE_LEDGER_EVERY_MS = 3_000;
const RECONCILE_LEDGER_SCHEDULER = 'reconcile-ledger';
/** How often the keeper checks that the schedulers still exist (a Redis flush or failover loses them). */
const KEEP_EVERY_MS = 10_000;

/**
 * Worker only: registers the 'reconcile-ledger' job scheduler and every network's
 * settlement scheduler at bootstrap, then re-checks them periodically, so a
 * Redis that lost its keys gets them back without a restart.
 */
@Injectable()
export class ScheduleKeeperService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger(ScheduleKeeperService.name);
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly queues: QueueRegistry,
    private readonly schedules: SettlementScheduleService,
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
      const queue = this.queues.get(QUEUES.maintenance);
      const existing = await queue.getJobScheduler(RECONCILE_LEDGER_SCHEDULER);
      if (!existing || Number(existing.every) !== RECONCILE_LEDGER_EVERY_MS) {
        await queue.upsertJobScheduler(
          RECONCILE_LEDGER_SCHEDULER,
          { every: RECONCILE_LEDGER_EVERY_MS },
          { name: 'reconcile-ledger' satisfies JobName, data: {}, opts: { attempts: 1, removeOnComplete: { count: 100 }, removeOnFail: { count: 100 } } },
        );
      }
      await this.schedules.syncAll();
    } catch (e) {
      this.log.error(`could not register the ledger's job schedulers: ${(e as Error).message}`);
    }
  }
}
