import { Module } from '@nestjs/common';
import { FulfilmentBatcher } from './posting/fulfilment-batcher';
import { SettlementJobs } from './settlement-jobs';
import { SettlementModule } from './settlement.module';

/** What the worker adds: batched posting and settlement's job handlers (the worker schedules their recurring jobs). */
@Module({
  imports: [SettlementModule],
  providers: [FulfilmentBatcher, SettlementJobs],
  exports: [SettlementModule, FulfilmentBatcher, SettlementJobs],
})
export class SettlementWorkerModule {}
