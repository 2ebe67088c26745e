import { Module } from '@nestjs/common';
import { HealthModule } from '@tandem/health';
import { NetworkInsightService } from './insight/network-insight.service';

/**
 * Network analytics for the operator: growth, retention, the acquisition gap
 * and each category's power balance. It reads health's settings and network
 * facts (HealthModule); health knows nothing of it.
 */
@Module({
  imports: [HealthModule],
  providers: [NetworkInsightService],
  exports: [NetworkInsightService],
})
export class AnalyticsModule {}
