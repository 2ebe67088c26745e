import { Module } from '@nestjs/common';
import { NetworkModule } from '@tandem/network';
import { AnalyticsModule } from './analytics.module';
import { NetworkInsightResolver } from './insight/network-insight.resolver';
import { SupplierShareResolver } from './insight/supplier-share.resolver';

/** The analytics GraphQL surface (API only): networkInsight. */
@Module({
  imports: [AnalyticsModule, NetworkModule],
  providers: [NetworkInsightResolver, SupplierShareResolver],
})
export class AnalyticsGraphqlModule {}
