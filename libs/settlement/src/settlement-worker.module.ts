import { Module } from '@nestjs/common';
import { ScheduleKeeperService } from './schedule/schedule-keeper.service';
import { SettlementModule } from './settlement.module';

/** What the worker adds: the job schedulers of the ledger sweep and of settlement runs. */
@Module({
  imports: [SettlementModule],
  providers: [ScheduleKeeperService],
  exports: [SettlementModule],
})
export class SettlementWorkerModule {}
