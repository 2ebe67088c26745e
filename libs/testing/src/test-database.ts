import { randomBytes } from 'node:crypto';
import Redis from 'ioredis';
import { TandemConfig, loadConfig } from '@tandem/common';
import { dropDatabase, ensureDatabase, migrate } from '@tandem/persistence';

const BASE_DB = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
export const TEST_ADMIN_KEY = 'tnd_admin_test_key_0123456789abcdef';

/** A fresh database, migrated with the real migrations; one per suite so suites run in parallel. */
export async function createTestDatabase(label: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const u = new URL(BASE_DB);
  const safe = label.toLowerCase().replace(/[^a-z0-9]+/g, '_').slice(0, 30);
  u.pathname = `/tandem_t_${safe}_${randomBytes(4).toString('hex')}`;
  const url = u.toString();
  await ensureDatabase(url);
  await migrate(url);
  return { url, drop: () => dropDatabase(url) };
}

/** Settings for a suite: its own database and its own BullMQ prefix on the shared Redis. */
export function testConfig(databaseUrl: string, overrides: Partial<TandemConfig> = {}): TandemConfig {
  return {
    ...loadConfig({ NODE_ENV: 'test', TANDEM_ADMIN_KEY: TEST_ADMIN_KEY, DATABASE_URL: databaseUrl, REDIS_URL: TEST_REDIS_URL }),
    queuePrefix: `tandem-test-${randomBytes(4).toString('hex')}`,
    port: 0,
    workerPort: 0,
    logLevel: process.env.LOG_LEVEL ?? 'silent',
    // Suites fire requests far faster than a partner would; the rate-limit suites set their own.
    rateLimitPerSecond: 0,
    rateLimitAnonymousPerSecond: 0,
    ...overrides,
  };
}

/** Removes a suite's BullMQ keys. */
export async function clearQueues(redisUrl: string, prefix: string): Promise<void> {
  const redis = new Redis(redisUrl);
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
