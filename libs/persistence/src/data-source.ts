import { DataSourceOptions } from 'typeorm';
import { MIGRATIONS } from './migrations';

export interface DataSourceSettings {
  url: string;
  entities?: DataSourceOptions['entities'];
  poolSize?: number;
  applicationName?: string;
}

/** The options every DataSource uses: the app's, the worker's, the CLI's and the tests'. */
export function dataSourceOptions(s: DataSourceSettings): DataSourceOptions {
  return {
    type: 'postgres',
    url: s.url,
    entities: s.entities ?? [],
    migrations: MIGRATIONS,
    migrationsTableName: 'migrations',
    synchronize: false,
    migrationsRun: false,
    logging: false,
    extra: { max: s.poolSize ?? 10, application_name: s.applicationName ?? 'tandem' },
  };
}
