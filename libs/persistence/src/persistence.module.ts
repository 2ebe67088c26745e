import { DynamicModule, Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
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
      providers: [TransactionRunner, readDataSourceProvider(primary, readUrl), ReadDataSourceCloser, SimulatedClockFollower],
      exports: [TransactionRunner, READ_DATA_SOURCE],
    };
  }
}
