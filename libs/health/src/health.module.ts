import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AcquisitionBaselineModule, NetworkModule } from '@tandem/network';
import { HEALTH_OPTIONS, healthOptionsFromEnv } from './health/health.options';
import { HealthPolicy } from './health/health.policy';
import { HealthService } from './health/health.service';
import { HealthMeasuresService } from './measures/health-measures.service';
import { NetworkStatsService } from './measures/network-stats.service';
import { RelationshipsService } from './relationships/relationships.service';
import { HealthSettingsService } from './settings/health-settings.service';
import { HealthEventEntity } from './snapshot/health-event.entity';
import { HealthSnapshotEntity } from './snapshot/health-snapshot.entity';
import { HealthSnapshotService } from './snapshot/health-snapshot.service';

const SERVICES = [HealthService, HealthMeasuresService, NetworkStatsService, HealthSnapshotService, HealthSettingsService, HealthPolicy, RelationshipsService];

/**
 * Relationship health: the trust equation over each member's recorded history,
 * snapshots and at-risk events. Imported by the API (through
 * HealthGraphqlModule), the worker (through HealthWorkerModule) and routing
 * (HealthService.standingsOf: each supplier's score and reliability part, which its ranking weighs).
 */
@Module({
  imports: [TypeOrmModule.forFeature([HealthSnapshotEntity, HealthEventEntity]), NetworkModule, AcquisitionBaselineModule],
  providers: [...SERVICES, { provide: HEALTH_OPTIONS, useFactory: () => healthOptionsFromEnv() }],
  exports: [...SERVICES, HEALTH_OPTIONS, AcquisitionBaselineModule],
})
export class HealthModule {}
