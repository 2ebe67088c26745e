import { DataSourceOptions } from 'typeorm';
import { DATABASE_ROLES, DatabaseRole, roleOf } from './database-role';
import { MIGRATIONS } from './migrations';

export interface DataSourceSettings {
  url: string;
  entities?: DataSourceOptions['entities'];
  poolSize?: number;
  applicationName?: string;
  /** How long its sessions may wait (database-role.ts); from applicationName when absent. */
  role?: DatabaseRole;
}

/** The application name a role's sessions show in pg_stat_activity when none is given. */
const NAME_OF: { readonly [R in DatabaseRole]: string } = { api: 'tandem-api', jobs: 'tandem-worker', migrations: 'tandem-migrate' };

/** The options every DataSource uses: the app's, the worker's, the CLI's and the tests'. */
export function dataSourceOptions(s: DataSourceSettings): DataSourceOptions {
  const role = s.role ?? roleOf(s.applicationName);
  const waits = DATABASE_ROLES[role];
  return {
    type: 'postgres',
    url: s.url,
    entities: s.entities ?? [],
    migrations: MIGRATIONS,
    migrationsTableName: 'migrations',
    synchronize: false,
    migrationsRun: false,
    logging: false,
    extra: {
      max: s.poolSize ?? waits.poolSize,
      application_name: s.applicationName ?? (s.role ? NAME_OF[role] : 'tandem'),
      // Sent as startup parameters: every session of the pool starts with them.
      statement_timeout: waits.statementMs,
      lock_timeout: waits.lockMs,
      idle_in_transaction_session_timeout: waits.idleInTransactionMs,
      connectionTimeoutMillis: waits.connectMs,
      keepAlive: true,
    },
  };
}
