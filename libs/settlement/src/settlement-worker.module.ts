import { Module, OnModuleInit } from '@nestjs/common';
import { RecurringJobs } from '@tandem/jobs';
import { FulfilmentBatcher } from './posting/fulfilment-batcher';
import { SettlementScheduleService } from './schedule/settlement-schedule.service';
import { SettlementModule } from './settlement.module';

/** How often the ledger sweep looks for fulfilled or refunded orders whose entry is missing. */
export const RECONCILE_LEDGER_EVERY_MS = 3_000;

/** What the worker adds: batched posting, the ledger sweep and each network's scheduled settlement runs. */
@Module({
  imports: [SettlementModule],
  providers: [FulfilmentBatcher],
  exports: [SettlementModule, FulfilmentBatcher],
})
export class SettlementWorkerModule implements OnModuleInit {
  constructor(
    private readonly recurring: RecurringJobs,
    private readonly schedules: SettlementScheduleService,
  ) {}

  onModuleInit(): void {
    this.recurring.register({ name: 'reconcile-ledger', everyMs: RECONCILE_LEDGER_EVERY_MS, data: {} });
    this.recurring.registerSync(() => this.schedules.syncAll());
  }
}
