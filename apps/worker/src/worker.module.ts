import { DynamicModule, Module } from '@nestjs/common';
import { BackgroundStarter } from './background.starter';
import { TandemConfig, TandemConfigModule } from '@tandem/common';
import { HealthWorkerModule } from '@tandem/health';
import { JobsModule } from '@tandem/jobs';
import { NetworkModule } from '@tandem/network';
import { ObservabilityModule } from '@tandem/observability';
import { PersistenceModule } from '@tandem/persistence';
import { RoutingModule } from '@tandem/routing';
import { SettlementWorkerModule } from '@tandem/settlement';
import { WebhooksWorkerModule } from '@tandem/webhooks';
import { HealthProcessor } from './processors/health.processor';
import { LedgerProcessor } from './processors/ledger.processor';
import { MaintenanceProcessor } from './processors/maintenance.processor';
import { LEDGER_CONNECTIONS } from './processors/concurrency';
import { RoutingProcessor } from './processors/routing.processor';
import { WebhooksProcessor } from './processors/webhooks.processor';
import { queueBoardModules } from './queue-board';
import { queueHandlersProvider } from './queue-handlers';
import { WorkerMetrics } from './worker-metrics';

@Module({})
export class WorkerModule {
  static forRoot(config: TandemConfig): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        TandemConfigModule.forRoot(config),
        ObservabilityModule.forRoot({ service: 'worker', logLevel: config.logLevel }),
        PersistenceModule.forRoot({ url: config.databaseUrl, role: 'jobs', readUrl: config.databaseReadUrl }),
        JobsModule.forRoot(config),
        NetworkModule,
        RoutingModule,
        SettlementWorkerModule.forWorker({ ledgerConnections: LEDGER_CONNECTIONS }),
        HealthWorkerModule,
        WebhooksWorkerModule,
        ...queueBoardModules(),
      ],
      providers: [
        queueHandlersProvider,
        RoutingProcessor,
        MaintenanceProcessor,
        LedgerProcessor,
        HealthProcessor,
        WebhooksProcessor,
        BackgroundStarter,
        WorkerMetrics,
      ],
    };
  }
}
