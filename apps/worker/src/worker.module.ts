import { DynamicModule, Module } from '@nestjs/common';
import { TandemConfig, TandemConfigModule } from '@tandem/common';
import { HealthWorkerModule } from '@tandem/health';
import { JobsModule } from '@tandem/jobs';
import { NetworkModule } from '@tandem/network';
import { ObservabilityModule } from '@tandem/observability';
import { PersistenceModule } from '@tandem/persistence';
import { RoutingModule } from '@tandem/routing';
import { SettlementWorkerModule } from '@tandem/settlement';
import { HealthProcessor } from './processors/health.processor';
import { LedgerProcessor } from './processors/ledger.processor';
import { MaintenanceProcessor } from './processors/maintenance.processor';
import { RoutingProcessor } from './processors/routing.processor';
import { RelayStarter } from './relay.starter';

export interface WorkerOptions {
  /** Tests that drive the relay by hand turn the background loop off. */
  relay?: boolean;
}

@Module({})
export class WorkerModule {
  static forRoot(config: TandemConfig, options: WorkerOptions = {}): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        TandemConfigModule.forRoot(config),
        ObservabilityModule.forRoot({ service: 'worker', logLevel: config.logLevel }),
        PersistenceModule.forRoot({ url: config.databaseUrl, applicationName: 'tandem-worker' }),
        JobsModule.forRoot({ redisUrl: config.redisUrl, prefix: config.queuePrefix }),
        NetworkModule,
        RoutingModule,
        SettlementWorkerModule,
        HealthWorkerModule,
      ],
      providers: [RoutingProcessor, MaintenanceProcessor, LedgerProcessor, HealthProcessor, ...(options.relay === false ? [] : [RelayStarter])],
    };
  }
}
