import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import type { Cluster, Redis } from 'ioredis';
import { Pool } from 'pg';
import { BurstyRateLimiter, RateLimiterMemory, RateLimiterPostgres, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { CONFIG, TandemConfig } from '@tandem/common';
import { redisClient } from '@tandem/jobs';

/** A key may spend its per-second rate again on top, once per this many seconds: "bursts of up to twice that". */
export const BURST_WINDOW_SECONDS = 10;
/** The PostgreSQL store's table (created by the library on first start, if missing). */
export const RATE_LIMIT_TABLE = 'rate_limits';

export type RateLimitVerdict = { limited: false } | { limited: true; retryAfterSeconds: number };

interface Limiter {
  consume(key: string): Promise<RateLimiterRes>;
}

/** Where the counters live: shared by every API process, so a limit holds across them. */
type Store = { kind: 'redis'; client: Redis | Cluster } | { kind: 'postgres'; pool: Pool };

/**
 * The contract's rate limits (docs/api.md, "Rate limits"), the one place
 * that knows rate-limiter-flexible: per key `rateLimitPerSecond` with bursts
 * of twice that, per client address `rateLimitAnonymousPerSecond` for
 * requests without a valid key. Counters live in Redis, or in PostgreSQL when
 * the queues do (no Redis in that mode). Should the store fail, each process
 * counts on its own in memory rather than refusing or waving everyone through.
 */
@Injectable()
export class RateLimits implements OnModuleInit, OnModuleDestroy {
  private readonly log = new Logger('RateLimits');
  private store?: Store;
  private perKey: Limiter | null = null;
  private perAddress: Limiter | null = null;

  constructor(@Inject(CONFIG) private readonly config: TandemConfig) {}

  async onModuleInit(): Promise<void> {
    const { rateLimitPerSecond, rateLimitAnonymousPerSecond } = this.config;
    if (rateLimitPerSecond === 0 && rateLimitAnonymousPerSecond === 0) return;
    this.store = await this.openStore();
    this.perKey = rateLimitPerSecond > 0 ? await this.limiter('key', rateLimitPerSecond, rateLimitPerSecond) : null;
    this.perAddress = rateLimitAnonymousPerSecond > 0 ? await this.limiter('addr', rateLimitAnonymousPerSecond, 0) : null;
  }

  async onModuleDestroy(): Promise<void> {
    const store = this.store;
    this.store = undefined;
    if (store?.kind === 'redis') store.client.disconnect();
    if (store?.kind === 'postgres') await store.pool.end();
  }

  /** Counts one request of a key (its id, or "admin"). */
  forKey(keyId: string): Promise<RateLimitVerdict> {
    return verdict(this.perKey, keyId);
  }

  /** Counts one request without a valid key from a client address. */
  forAddress(address: string): Promise<RateLimitVerdict> {
    return verdict(this.perAddress, address);
  }

  private async openStore(): Promise<Store> {
    if (this.config.queueStore === 'postgres') {
      // A small pool of its own: a counter is one upsert, and must never wait behind a request's transaction.
      const pool = new Pool({
        connectionString: this.config.databaseUrl,
        max: 4,
        application_name: 'tandem-api-rate-limits',
        connectionTimeoutMillis: 1000,
        statement_timeout: 1000,
        lock_timeout: 500,
        idle_in_transaction_session_timeout: 1000,
      });
      pool.on('error', (err) => this.log.warn({ err }, 'rate-limit store connection lost'));
      return { kind: 'postgres', pool };
    }
    // No offline queue: while Redis is away a counter fails at once and the in-memory insurance counts instead.
    // The queues' Redis, a Cluster when the settings name one (each counter is one key, so any slot will do).
    const client = redisClient(this.config, { enableOfflineQueue: false, maxRetriesPerRequest: 1, connectionName: 'tandem-api-rate-limits' });
    client.on('error', (err) => this.log.warn({ err }, 'rate-limit store unavailable'));
    await new Promise<void>((resolve) => {
      const done = () => resolve();
      client.once('ready', done);
      setTimeout(done, 2000).unref();
    });
    return { kind: 'redis', client };
  }

  /** `perSecond` each second, plus `burst` more once per BURST_WINDOW_SECONDS. */
  private async limiter(name: string, perSecond: number, burst: number): Promise<Limiter> {
    const steady = await this.counter(`${name}`, perSecond, 1);
    if (burst === 0) return steady;
    return new BurstyRateLimiter(steady, await this.counter(`${name}-burst`, burst, BURST_WINDOW_SECONDS));
  }

  private async counter(name: string, points: number, duration: number): Promise<RateLimiterRedis | RateLimiterPostgres> {
    const store = this.store;
    if (!store) throw new Error('the rate-limit store is opened before its counters');
    const keyPrefix = `${this.config.queuePrefix}:rate:${name}`;
    const insuranceLimiter = new RateLimiterMemory({ keyPrefix, points, duration });
    if (store.kind === 'redis') return new RateLimiterRedis({ storeClient: store.client, keyPrefix, points, duration, insuranceLimiter });
    return new Promise((resolve, reject) => {
      const limiter: RateLimiterPostgres = new RateLimiterPostgres(
        { storeClient: store.pool, storeType: 'pool', tableName: RATE_LIMIT_TABLE, keyPrefix, points, duration, insuranceLimiter },
        (err?: Error) => (err ? reject(err) : resolve(limiter)),
      );
    });
  }
}

async function verdict(limiter: Limiter | null, key: string): Promise<RateLimitVerdict> {
  if (!limiter) return { limited: false };
  try {
    await limiter.consume(key);
    return { limited: false };
  } catch (e) {
    if (!(e instanceof RateLimiterRes)) throw e;
    return { limited: true, retryAfterSeconds: Math.max(1, Math.ceil(e.msBeforeNext / 1000)) };
  }
}
