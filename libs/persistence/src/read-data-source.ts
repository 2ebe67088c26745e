import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource, getDataSourceToken } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { PostgresConnectionOptions } from 'typeorm/driver/postgres/PostgresConnectionOptions';
import { DataSourceSettings, dataSourceOptions } from './data-source';

/**
 * Injection token of the DataSource for reads that may lag behind the primary
 * (DATABASE_READ_URL, a streaming replica): statement lists, health snapshots,
 * the relationships list, network insight. Never for a read that decides money
 * or capacity, and never inside a transaction. Without a read URL it is the
 * primary DataSource itself. Inject it with @InjectReadDataSource().
 */
export const READ_DATA_SOURCE = Symbol('TANDEM_READ_DATA_SOURCE');

export const InjectReadDataSource = (): ParameterDecorator => Inject(READ_DATA_SOURCE);

/** The provider of READ_DATA_SOURCE: a pool of its own on readUrl, or the primary's. */
export function readDataSourceProvider(settings: Omit<DataSourceSettings, 'entities'>, readUrl: string | null | undefined) {
  return {
    provide: READ_DATA_SOURCE,
    inject: [getDataSourceToken()],
    useFactory: async (primary: DataSource): Promise<DataSource> => {
      if (!readUrl) return primary;
      // Named after the primary's sessions (tandem-api-read), so pg_stat_activity tells the two pools apart.
      const primaryName = (primary.options as PostgresConnectionOptions).extra?.application_name ?? 'tandem';
      const replica = new DataSource({
        ...dataSourceOptions({ ...settings, url: readUrl, applicationName: `${primaryName}-read` }),
        // The primary's entities (autoLoadEntities registers them there), so repositories work on the replica too.
        // Classes only: a generated junction table's target is its name, which TypeORM would read as a file glob.
        entities: primary.entityMetadatas.map((m) => m.target).filter((t) => typeof t === 'function'),
        migrations: [],
      });
      return replica.initialize();
    },
  };
}

/** Closes the replica's pool with the application (the primary's is TypeOrmModule's to close). */
@Injectable()
export class ReadDataSourceCloser implements OnApplicationShutdown {
  constructor(
    @Inject(READ_DATA_SOURCE) private readonly reads: DataSource,
    @InjectDataSource() private readonly primary: DataSource,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    if (this.reads !== this.primary && this.reads.isInitialized) await this.reads.destroy();
  }
}
