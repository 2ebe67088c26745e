import { BackendFactory, IQueueBackend, createPostgresBackend, createRedisBackend, runMigrations, setDefaultBackendFactory } from 'bullmq';
import { Client } from 'pg';
import type { PostgresPoolConfig } from 'bullmq';
import { TandemConfig } from '@tandem/common';

export type QueueStore = TandemConfig['queueStore'];

/** Injection token: the store this process's queues run on. */
export const QUEUE_STORE = Symbol('TANDEM_QUEUE_STORE');

/** What picks and reaches the queue store: a subset of TandemConfig, so callers pass their config. */
export type QueueStoreSettings = Pick<TandemConfig, 'queueStore' | 'redisUrl' | 'databaseUrl' | 'queuePrefix'>;

/** The options every Queue and Worker of a deployment is built with, whichever store it runs on. */
export interface QueueConnectionOptions {
  connection: ReturnType<typeof redisConnection> | PostgresQueueConnection;
  prefix: string;
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
  return createRedisBackend(name, opts as Parameters<typeof createRedisBackend>[1], factoryOpts);
};

let installed = false;

export function installQueueBackends(): void {
  if (installed) return;
  setDefaultBackendFactory(storeFollowingBackend);
  installed = true;
}
