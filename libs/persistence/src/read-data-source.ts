import { Inject } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
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
      const replica = new DataSource({
        ...dataSourceOptions({ ...settings, url: readUrl, applicationName: `${settings.applicationName ?? 'tandem'}-read` }),
        migrations: [],
      });
      return replica.initialize();
    },
  };
}
