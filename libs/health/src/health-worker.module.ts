import { Module } from '@nestjs/common';
import { HealthModule } from './health.module';
import { HealthScheduleKeeper } from './snapshot/health-schedule.keeper';

/** What the worker adds: the job scheduler of the periodic health snapshot. */
@Module({
  imports: [HealthModule],
  providers: [HealthScheduleKeeper],
  exports: [HealthModule],
})
export class HealthWorkerModule {}
