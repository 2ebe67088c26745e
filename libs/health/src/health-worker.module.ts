import { Module } from '@nestjs/common';
import { HealthJobs } from './health-jobs';
import { HealthModule } from './health.module';

/** What the worker adds: health's job handlers (the worker schedules the periodic snapshot). */
@Module({
  imports: [HealthModule],
  providers: [HealthJobs],
  exports: [HealthModule, HealthJobs],
})
export class HealthWorkerModule {}
