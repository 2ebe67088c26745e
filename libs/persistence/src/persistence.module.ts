import { DynamicModule, Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSourceSettings, dataSourceOptions } from './data-source';
import { TransactionRunner } from './transaction';

@Global()
@Module({})
export class PersistenceModule {
  /** Entities are registered by each domain module with TypeOrmModule.forFeature. */
  static forRoot(settings: Omit<DataSourceSettings, 'entities'>): DynamicModule {
    return {
      module: PersistenceModule,
      imports: [
        TypeOrmModule.forRoot({
          ...dataSourceOptions(settings),
          autoLoadEntities: true,
          // Fail fast at start instead of retrying for minutes on a wrong URL.
          retryAttempts: 0,
        }),
      ],
      providers: [TransactionRunner],
      exports: [TransactionRunner],
    };
  }
}
