import { DynamicModule, Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CONFIG, Clock, TandemConfig, clockFor } from '@tandem/common';
import { DataSourceSettings, dataSourceOptions } from './data-source';
import { READ_DATA_SOURCE, ReadDataSourceCloser, readDataSourceProvider } from './read-data-source';
import { SimulatedClockFollower } from './simulated-clock';
import { TransactionRunner } from './transaction';

@Global()
@Module({})
export class PersistenceModule {
  /**
   * Entities are registered by each domain module with TypeOrmModule.forFeature.
   * `readUrl` (DATABASE_READ_URL) gives READ_DATA_SOURCE a replica of its own.
   */
  static forRoot(settings: Omit<DataSourceSettings, 'entities'> & { readUrl?: string | null }): DynamicModule {
    const { readUrl, ...primary } = settings;
    return {
      module: PersistenceModule,
      imports: [
        TypeOrmModule.forRoot({
          ...dataSourceOptions(primary),
          autoLoadEntities: true,
          // Fail fast at start instead of retrying for minutes on a wrong URL.
          retryAttempts: 0,
        }),
      ],
      providers: [
        TransactionRunner,
        readDataSourceProvider(primary, readUrl),
        ReadDataSourceCloser,
        // The one clock of business time (libs/common/src/clock.ts): real unless the settings ask for the simulated one.
        { provide: Clock, useFactory: (config?: TandemConfig) => clockFor(config ?? {}), inject: [{ token: CONFIG, optional: true }] },
        SimulatedClockFollower,
      ],
      exports: [TransactionRunner, READ_DATA_SOURCE, Clock],
    };
  }
}
