import { Module } from '@nestjs/common';
import { NetworkModule } from '@tandem/network';
import { HealthModule } from './health.module';
import { HealthResolver } from './health/health.resolver';
import { RelationshipsResolver } from './relationships/relationships.resolver';
import { HealthSettingsResolver } from './settings/health-settings.resolver';
import { HealthEventResolver } from './snapshot/health-event.resolver';

/** The health domain's GraphQL surface (API only). */
@Module({
  imports: [HealthModule, NetworkModule],
  providers: [HealthResolver, HealthEventResolver, HealthSettingsResolver, RelationshipsResolver],
})
export class HealthGraphqlModule {}
