import { BackendFactory, IQueueBackend, createPostgresBackend, createRedisBackend, runMigrations, setDefaultBackendFactory } from 'bullmq';
import Redis, { Cluster, ClusterNode, RedisOptions } from 'ioredis';
import { Client } from 'pg';
import type { PostgresPoolConfig } from 'bullmq';
import { TandemConfig } from '@tandem/common';

export type QueueStore = TandemConfig['queueStore'];

/** Injection token: the store this process's queues run on. */
export const QUEUE_STORE = Symbol('TANDEM_QUEUE_STORE');

/**
 * What picks and reaches the queue store: a subset of TandemConfig, so callers
 * pass their config. With redisClusterNodes the Redis is a Redis Cluster.
 */
export type QueueStoreSettings = Pick<TandemConfig, 'queueStore' | 'redisUrl' | 'databaseUrl' | 'queuePrefix'> &
  Partial<Pick<TandemConfig, 'redisClusterNodes'>>;

/** The options every Queue and Worker of a deployment is built with, whichever store it runs on. */
export interface QueueConnectionOptions {
  connection: ReturnType<typeof redisConnection> | PostgresQueueConnection | ClusterQueueConnection;
  prefix: string;
}

/**
 * A Redis Cluster, as its seed nodes: the backend factory below opens an ioredis
 * Cluster of its own for each Queue and Worker (and closes it with them), as it
 * opens a plain connection for a single Redis.
 */
export interface ClusterQueueConnection {
  clusterNodes: ClusterNode[];
  redisOptions: RedisOptions;
}

export function isClusterQueueConnection(connection: unknown): connection is ClusterQueueConnection {
  return typeof connection === 'object' && connection !== null && 'clusterNodes' in connection;
}

function clusterNodes(nodes: string[]): ClusterNode[] {
  return nodes.map((node) => {
    const at = node.lastIndexOf(':');
    return { host: node.slice(0, at).replace(/^\[|\]$/g, ''), port: Number(node.slice(at + 1)) };
  });
}

/**
 * BullMQ's key prefix. On a Redis Cluster every key of a queue must hash to one
 * slot (its Lua scripts touch several keys at once), so the prefix is a hash
 * tag: `{tandem}:routing:wait`. Every queue of a deployment then lives on one
 * master (docs/scaling.md says what that bounds).
 */
export function queueKeyPrefix(settings: QueueStoreSettings): string {
  return settings.redisClusterNodes ? `{${settings.queuePrefix}}` : settings.queuePrefix;
}

/**
 * A Redis client for anything else that keeps state in the queue store's Redis
 * (the rate limiter, a preflight ping, a test's cleanup): a Cluster client when
 * the settings name a cluster, else a plain one on REDIS_URL.
 */
export function redisClient(settings: QueueStoreSettings, options: RedisOptions = {}): Redis | Cluster {
  if (settings.redisClusterNodes) {
    return new Cluster(clusterNodes(settings.redisClusterNodes), {
      redisOptions: options,
      lazyConnect: options.lazyConnect,
      enableOfflineQueue: options.enableOfflineQueue,
    });
  }
  return new Redis(settings.redisUrl, options);
}

/** BullMQ's PostgreSQL connection settings, as this module builds them. */
export type PostgresQueueConnection = PostgresPoolConfig & { connectionString: string; schema: string };

export function redisConnection(url: string) {
  const u = new URL(url);
  return {
    host: u.hostname,
    port: Number(u.port || 6379),
    username: u.username || undefined,
    password: u.password ? decodeURIComponent(u.password) : undefined,
    db: u.pathname.length > 1 ? Number(u.pathname.slice(1)) : 0,
    tls: u.protocol === 'rediss:' ? {} : undefined,
    // BullMQ workers block on Redis; they must not give up on a slow reply.
    maxRetriesPerRequest: null,
  };
}

/**
 * The PostgreSQL schema that holds a deployment's queues. It plays the part of
 * the Redis key prefix (deployments sharing a database stay apart) and keeps
 * BullMQ's tables away from the application's migrations, which own `public`.
 */
export function queueSchema(prefix: string): string {
  const safe = prefix.toLowerCase().replace(/[^a-z0-9_]+/g, '_');
  return `bullmq_${safe}`.slice(0, 63);
}

/** The one place that turns the configured store into BullMQ connection options. */
export function queueConnectionOptions(settings: QueueStoreSettings): QueueConnectionOptions {
  installQueueBackends();
  if (settings.queueStore === 'postgres') {
    const connection: PostgresQueueConnection = {
      connectionString: settings.databaseUrl,
      schema: queueSchema(settings.queuePrefix),
      // prepareQueueStore creates BullMQ's tables once, before any queue connects; a
      // queue only checks the schema. Letting every Queue and Worker migrate on
      // connect made a dozen pools race for the migration lock at start, and a
      // queue could wait on it for good.
      migrate: false,
      application_name: 'tandem-queues',
    };
    return { connection, prefix: settings.queuePrefix };
  }
  if (settings.redisClusterNodes) {
    const cluster: ClusterQueueConnection = { clusterNodes: clusterNodes(settings.redisClusterNodes), redisOptions: { maxRetriesPerRequest: null } };
    return { connection: cluster, prefix: queueKeyPrefix(settings) };
  }
  return { connection: redisConnection(settings.redisUrl), prefix: settings.queuePrefix };
}

const prepared = new Map<string, Promise<void>>();

/**
 * Creates or upgrades BullMQ's tables for the queue store, once per process and
 * schema, on a connection of its own. Redis needs nothing. Call before any
 * Queue or Worker is built (JobsModule does).
 */
export function prepareQueueStore(settings: QueueStoreSettings): Promise<void> {
  if (settings.queueStore !== 'postgres') return Promise.resolve();
  const schema = queueSchema(settings.queuePrefix);
  const key = `${settings.databaseUrl}#${schema}`;
  let done = prepared.get(key);
  if (!done) {
    done = (async () => {
      const client = new Client({ connectionString: settings.databaseUrl, application_name: 'tandem-queues-migrate' });
      await client.connect();
      try {
        await runMigrations(client, schema);
      } finally {
        await client.end();
      }
    })();
    done.catch(() => prepared.delete(key));
    prepared.set(key, done);
  }
  return done;
}

export function isPostgresQueueConnection(connection: unknown): connection is PostgresQueueConnection {
  return typeof connection === 'object' && connection !== null && 'connectionString' in connection && 'schema' in connection;
}

/**
 * Every BullMQ Queue and Worker owns a pool. A producer needs few connections;
 * a worker (plus its dedicated LISTEN connection) a few more for its fetches,
 * lock renewals and completions. Kept small so an API and a worker stay well
 * inside PostgreSQL's default 100 connections next to the application's pools.
 */
const PRODUCER_POOL = 2;
const WORKER_POOL = 4;

/**
 * BullMQ's process-wide backend factory, made to follow the connection it is
 * given: our PostgreSQL settings go to BullMQ's PostgreSQL backend, anything
 * else to Redis as before. So a Queue or Worker built anywhere (by
 * @nestjs/bullmq, a test, a benchmark) runs on the store its options name.
 */
const storeFollowingBackend: BackendFactory<IQueueBackend, unknown> = (name, opts, factoryOpts) => {
  if (isPostgresQueueConnection(opts.connection)) {
    const max = factoryOpts?.withBlockingConnection ? WORKER_POOL : PRODUCER_POOL;
    return createPostgresBackend(name, { ...opts, connection: { ...opts.connection, max } }, factoryOpts);
  }
  if (isClusterQueueConnection(opts.connection)) return clusterBackend(name, opts.connection, opts, factoryOpts);
  return createRedisBackend(name, opts as Parameters<typeof createRedisBackend>[1], factoryOpts);
};

/**
 * BullMQ takes a Redis Cluster only as a client instance, and leaves a client it
 * was given open when the Queue or Worker closes; this one is ours alone, so it
 * is closed with the backend. (BullMQ duplicates it for blocking connections and
 * closes those itself.)
 */
function clusterBackend(
  name: string,
  cluster: ClusterQueueConnection,
  opts: Parameters<BackendFactory<IQueueBackend, unknown>>[1],
  factoryOpts: Parameters<BackendFactory<IQueueBackend, unknown>>[2],
): IQueueBackend {
  const client = new Cluster(cluster.clusterNodes, { redisOptions: cluster.redisOptions, lazyConnect: true });
  const backend = createRedisBackend(name, { ...(opts as Parameters<typeof createRedisBackend>[1]), connection: client }, factoryOpts);
  const close = backend.close.bind(backend);
  backend.close = async (...args: Parameters<IQueueBackend['close']>) => {
    try {
      return await close(...args);
    } finally {
      client.disconnect();
    }
  };
  return backend;
}

let installed = false;

export function installQueueBackends(): void {
  if (installed) return;
  setDefaultBackendFactory(storeFollowingBackend);
  installed = true;
}
