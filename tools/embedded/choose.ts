import path from 'node:path';
import { SettingName, readSetting } from '@tandem/common';

/**
 * Which PostgreSQL and which queue store npm start (and the demo) use, and why:
 * real servers when they are configured or answer on their standard ports,
 * else an embedded PostgreSQL and queues kept in it (README.md,
 * "Prerequisites").
 */
export interface ServiceChoice {
  database: 'server' | 'embedded';
  databaseReason: string;
  queues: 'redis' | 'postgres';
  queuesReason: string;
  /** Where the embedded PostgreSQL keeps its data (TANDEM_DATA_DIR, else .tandem/). */
  dataDir: string;
}

/**
 * Whether the variable is set (blank is unset, as in libs/common/src/config.ts);
 * a set value must pass the configuration's own check, else its one line is thrown.
 */
function isSet(env: NodeJS.ProcessEnv, name: SettingName): boolean {
  if ((env[name] ?? '').trim() === '') return false;
  readSetting(name, env);
  return true;
}

export async function chooseServices(env: NodeJS.ProcessEnv, listening: (port: number) => Promise<boolean>, cwd = process.cwd()): Promise<ServiceChoice> {
  const forced = readSetting('TANDEM_EMBEDDED', env);
  const dataDir = path.resolve(cwd, readSetting('TANDEM_DATA_DIR', env));
  if (forced) {
    return { database: 'embedded', databaseReason: 'TANDEM_EMBEDDED=true', queues: 'postgres', queuesReason: 'TANDEM_EMBEDDED=true', dataDir };
  }
  const databaseSet = isSet(env, 'DATABASE_URL');
  const redisSet = isSet(env, 'REDIS_URL');
  const store = isSet(env, 'TANDEM_QUEUE_STORE') ? readSetting('TANDEM_QUEUE_STORE', env) : null;
  const [pgUp, redisUp] = await Promise.all([databaseSet ? true : listening(5432), redisSet || store ? true : listening(6379)]);

  const database: Pick<ServiceChoice, 'database' | 'databaseReason'> = databaseSet
    ? { database: 'server', databaseReason: 'DATABASE_URL is set' }
    : pgUp
      ? { database: 'server', databaseReason: 'DATABASE_URL is unset and PostgreSQL answers on 127.0.0.1:5432' }
      : { database: 'embedded', databaseReason: 'DATABASE_URL is unset and nothing answers on 127.0.0.1:5432' };

  const queues: Pick<ServiceChoice, 'queues' | 'queuesReason'> = store
    ? { queues: store, queuesReason: `TANDEM_QUEUE_STORE=${store}` }
    : redisSet
      ? { queues: 'redis', queuesReason: 'REDIS_URL is set' }
      : redisUp
        ? { queues: 'redis', queuesReason: 'REDIS_URL is unset and Redis answers on 127.0.0.1:6379' }
        : { queues: 'postgres', queuesReason: 'REDIS_URL is unset and nothing answers on 127.0.0.1:6379' };
  return { ...database, ...queues, dataDir };
}

/** The environment the services run with: the embedded database's URL and the queue store chosen. */
export function serviceEnv(env: NodeJS.ProcessEnv, choice: ServiceChoice, embeddedUrl: string | null): NodeJS.ProcessEnv {
  return {
    ...env,
    ...(embeddedUrl ? { DATABASE_URL: embeddedUrl } : {}),
    TANDEM_QUEUE_STORE: choice.queues,
  };
}
