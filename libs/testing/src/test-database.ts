import { randomBytes } from 'node:crypto';
import Redis from 'ioredis';
import { Client } from 'pg';
import { TandemConfig, loadConfig } from '@tandem/common';
import { dropDatabase, ensureDatabase, migrate } from '@tandem/persistence';

const BASE_DB = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
export const TEST_ADMIN_KEY = 'tnd_admin_test_key_0123456789abcdef';

/** A fresh database, migrated with the real migrations; one per suite so suites run in parallel. */
export async function createTestDatabase(label: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const u = new URL(BASE_DB);
  const safe = label
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .slice(0, 30);
  u.pathname = `/tandem_t_${safe}_${randomBytes(4).toString('hex')}`;
  const url = u.toString();
  await ensureDatabase(url);
  await migrate(url);
  return { url, drop: () => dropDatabase(url) };
}

/**
 * Where the suites' queues run: TEST_QUEUE_STORE (`redis`, the default, or
 * `postgres`). The one place to decide it, e.g. to fall back to PostgreSQL when
 * no Redis answers.
 */
export function testQueueStore(): TandemConfig['queueStore'] {
  const raw = (process.env.TEST_QUEUE_STORE ?? '').trim().toLowerCase();
  if (raw === '' || raw === 'redis') return 'redis';
  if (raw === 'postgres') return 'postgres';
  throw new Error(`TEST_QUEUE_STORE must be redis or postgres, got ${JSON.stringify(process.env.TEST_QUEUE_STORE)}`);
}

/** The configs testConfig handed out, by queue prefix, so clearQueues(url, prefix) finds a suite's store. */
const configsByPrefix = new Map<string, TandemConfig>();

/** Settings for a suite: its own database and its own queue prefix, on the store testQueueStore() names. */
export function testConfig(databaseUrl: string, overrides: Partial<TandemConfig> = {}): TandemConfig {
  const config: TandemConfig = {
    ...loadConfig({ NODE_ENV: 'test', TANDEM_ADMIN_KEY: TEST_ADMIN_KEY, DATABASE_URL: databaseUrl, REDIS_URL: TEST_REDIS_URL }),
    queueStore: testQueueStore(),
    queuePrefix: `tandem-test-${randomBytes(4).toString('hex')}`,
    port: 0,
    workerPort: 0,
    logLevel: process.env.LOG_LEVEL ?? 'silent',
    // Suites fire requests far faster than a partner would; the rate-limit suites set their own.
    rateLimitPerSecond: 0,
    rateLimitAnonymousPerSecond: 0,
    ...overrides,
  };
  configsByPrefix.set(config.queuePrefix, config);
  return config;
}

type QueueLocation = Pick<TandemConfig, 'queueStore' | 'redisUrl' | 'databaseUrl' | 'queuePrefix'>;

/**
 * Empties a suite's queues (jobs, schedulers, everything), as losing the queue
 * store would. Pass the suite's config; the older (redisUrl, prefix) form finds
 * a config from testConfig by its prefix, and is Redis otherwise.
 */
export async function clearQueues(where: QueueLocation | string, prefix?: string): Promise<void> {
  const location: QueueLocation =
    typeof where === 'string'
      ? (configsByPrefix.get(prefix ?? '') ?? { queueStore: 'redis', redisUrl: where, databaseUrl: '', queuePrefix: prefix ?? '' })
      : where;
  if (location.queueStore === 'postgres') return clearPostgresQueues(location.databaseUrl);
  return clearRedisQueues(location.redisUrl, location.queuePrefix);
}

async function clearRedisQueues(redisUrl: string, prefix: string): Promise<void> {
  // A Redis that does not answer holds nothing to clear: fail fast rather than retry forever.
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => null });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
  } catch {
    redis.disconnect();
    return;
  }
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

/**
 * Empties the BullMQ tables of every queue schema (bullmq_<prefix>, with BullMQ's `job` table beside
 * its `migration` ledger) in the suite's database, which holds only the suite's
 * own queues. The ledger stays, so running queues keep working.
 */
async function clearPostgresQueues(databaseUrl: string): Promise<void> {
  const client = new Client({ connectionString: databaseUrl, application_name: 'tandem-test-clear-queues' });
  try {
    await client.connect();
  } catch {
    return; // the database is gone already, and its queues with it
  }
  try {
    const { rows } = await client.query<{ t: string }>(
      `SELECT format('%I.%I', t.schemaname, t.tablename) AS t FROM pg_tables t
        WHERE t.schemaname LIKE 'bullmq%' AND t.tablename <> 'migration'
          AND EXISTS (SELECT 1 FROM pg_tables j WHERE j.schemaname = t.schemaname AND j.tablename = 'job')
          AND EXISTS (SELECT 1 FROM pg_tables m WHERE m.schemaname = t.schemaname AND m.tablename = 'migration')`,
    );
    if (rows.length) await client.query(`TRUNCATE ${rows.map((r) => r.t).join(', ')}`);
  } finally {
    await client.end();
  }
}

/**
 * describe() for suites about Redis itself (Redis flushed mid-run): on another
 * queue store they are skipped, and say so.
 */
export function describeIfRedis(name: string, body: () => void): void {
  if (testQueueStore() === 'redis') {
    describe(name, body);
    return;
  }
  describe.skip(name, body);
  console.log(`skipped "${name}": it is about Redis itself, and this run's queues are on ${testQueueStore()} (TEST_QUEUE_STORE)`);
}

/** Polls until check returns a value that is not undefined/false, or fails after timeoutMs. */
export async function eventually<T>(check: () => Promise<T | undefined | false>, timeoutMs = 5000, everyMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) {
      throw new Error(`condition not met within ${timeoutMs} ms${last ? `: ${(last as Error).message}` : ''}`);
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
