import { TandemConfig, redactUrl } from '@tandem/common';
import { redisClient } from '@tandem/jobs';
import { ensureDatabase, migrate } from '@tandem/persistence';

export class PreflightError extends Error {}

/** Checks PostgreSQL (and Redis when the queues are there), creates the database if needed and runs pending migrations. */
export async function preflight(config: TandemConfig, log: (line: string) => void): Promise<void> {
  const db = redactUrl(config.databaseUrl);
  try {
    if (await ensureDatabase(config.databaseUrl)) log(`created database ${db}`);
  } catch (e) {
    throw new PreflightError(`cannot reach PostgreSQL at ${db}: ${(e as Error).message}`);
  }
  const ran = await migrate(config.databaseUrl).catch((e: Error) => {
    throw new PreflightError(`migrations failed on ${db}: ${e.message}`);
  });
  log(ran.length ? `ran migrations: ${ran.join(', ')}` : 'database schema is up to date');
  if (config.queueStore === 'postgres') return; // the queues live in the database just checked

  // A Cluster client when the settings name a cluster: it must reach a node and read the slot map.
  const redis = redisClient(config, { lazyConnect: true, connectTimeout: 3000, maxRetriesPerRequest: 0, retryStrategy: () => null });
  let cause = '';
  redis.on('error', (e: Error) => (cause ||= e.message)); // the socket error says more than "Connection is closed"
  try {
    await redis.connect();
    await redis.ping();
  } catch (e) {
    throw new PreflightError(`cannot reach Redis at ${redisWhere(config)}: ${cause || (e as Error).message}`);
  } finally {
    redis.disconnect();
  }
}

/** Where the queues' Redis is, without credentials: the cluster's nodes or REDIS_URL. */
function redisWhere(config: TandemConfig): string {
  return config.redisClusterNodes ? `the cluster ${config.redisClusterNodes.join(',')}` : redactUrl(config.redisUrl);
}
