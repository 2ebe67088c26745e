import { Inject, Module, OnModuleInit } from '@nestjs/common';
import { RecurringJobs } from '@tandem/jobs';
import { HealthModule } from './health.module';
import { HEALTH_OPTIONS, HealthOptions } from './health/health.options';

/** What the worker adds: the periodic health snapshot (every 15 minutes by default). */
@Module({
  imports: [HealthModule],
  exports: [HealthModule],
})
export class HealthWorkerModule implements OnModuleInit {
  constructor(
    private readonly recurring: RecurringJobs,
    @Inject(HEALTH_OPTIONS) private readonly options: HealthOptions,
  ) {}

  onModuleInit(): void {
    this.recurring.register({ name: 'snapshot-health', everyMs: this.options.snapshotEveryMs, data: {} });
  }
}
