import path from 'node:path';
import { ConfigError } from '@tandem/common';

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

function parseEmbedded(raw: string | undefined): boolean {
  const v = (raw ?? '').trim().toLowerCase();
  if (v === '' || v === 'false' || v === '0') return false;
  if (v === 'true' || v === '1') return true;
  throw new ConfigError(`TANDEM_EMBEDDED must be true or false, got ${JSON.stringify(raw)}`);
}

export async function chooseServices(env: NodeJS.ProcessEnv, listening: (port: number) => Promise<boolean>, cwd = process.cwd()): Promise<ServiceChoice> {
  const forced = parseEmbedded(env.TANDEM_EMBEDDED);
  const dataDir = path.resolve(cwd, env.TANDEM_DATA_DIR?.trim() || '.tandem');
  if (forced) {
    return { database: 'embedded', databaseReason: 'TANDEM_EMBEDDED=true', queues: 'postgres', queuesReason: 'TANDEM_EMBEDDED=true', dataDir };
  }
  const [pgUp, redisUp] = await Promise.all([env.DATABASE_URL ? true : listening(5432), env.REDIS_URL || env.TANDEM_QUEUE_STORE ? true : listening(6379)]);

  const database: Pick<ServiceChoice, 'database' | 'databaseReason'> = env.DATABASE_URL
    ? { database: 'server', databaseReason: 'DATABASE_URL is set' }
    : pgUp
      ? { database: 'server', databaseReason: 'DATABASE_URL is unset and PostgreSQL answers on 127.0.0.1:5432' }
      : { database: 'embedded', databaseReason: 'DATABASE_URL is unset and nothing answers on 127.0.0.1:5432' };

  const store = env.TANDEM_QUEUE_STORE?.trim().toLowerCase();
  const queues: Pick<ServiceChoice, 'queues' | 'queuesReason'> = store
    ? { queues: store === 'postgres' ? 'postgres' : 'redis', queuesReason: `TANDEM_QUEUE_STORE=${store}` }
    : env.REDIS_URL
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
