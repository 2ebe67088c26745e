import { randomBytes } from 'node:crypto';

export interface TandemConfig {
  databaseUrl: string;
  redisUrl: string;
  port: number;
  workerPort: number;
  adminKey: string;
  /** True when the admin key was generated for this run (development only). */
  adminKeyGenerated: boolean;
  production: boolean;
  /** Prefix of every BullMQ key, so several deployments (or test suites) can share one Redis. */
  queuePrefix: string;
  logLevel: string;
  /**
   * Where BullMQ keeps its queues: Redis (REDIS_URL), or PostgreSQL (DATABASE_URL,
   * BullMQ's own PostgreSQL backend) when no Redis is available.
   */
  queueStore: 'redis' | 'postgres';
  /** Bearer token that /metrics requires in production; null leaves /metrics to the admin key there. */
  metricsToken: string | null;
  /** Requests per second per key (bursts of twice that); 0 turns the limit off. */
  rateLimitPerSecond: number;
  /** Requests per second per client address for requests without a valid key; 0 turns it off. */
  rateLimitAnonymousPerSecond: number;
  /** Delays in seconds before each webhook retry (TANDEM_WEBHOOK_RETRY_SECONDS); its length + 1 is the number of attempts. */
  webhookRetrySeconds: number[];
  /** Allows webhook URLs on private, loopback and link-local addresses (and http) in production. */
  webhookAllowPrivate: boolean;
  /** How many API processes `npm start` runs (TANDEM_API_PROCESSES). */
  apiProcesses: number;
  /** How many worker processes `npm start` runs (TANDEM_WORKER_PROCESSES). */
  workerProcesses: number;
  /** Redis Cluster seed nodes (host:port), from REDIS_CLUSTER_NODES or a redis+cluster:// REDIS_URL; null for a single Redis. */
  redisClusterNodes: string[] | null;
  /** Optional replica for reads that may lag (DATABASE_READ_URL); null reads from the primary. */
  databaseReadUrl: string | null;
  /** OTLP endpoint for traces (OTEL_EXPORTER_OTLP_ENDPOINT); null turns tracing off. */
  otlpEndpoint: string | null;
}

export class ConfigError extends Error {}

const DEFAULTS = {
  databaseUrl: 'postgres://postgres@127.0.0.1:5432/tandem',
  redisUrl: 'redis://127.0.0.1:6379',
};

function parseUrl(name: string, raw: string, protocols: string[]): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`${name} is not a URL: ${JSON.stringify(raw)}`);
  }
  if (!protocols.includes(url.protocol)) {
    throw new ConfigError(`${name} must start with ${protocols.map((p) => p + '//').join(' or ')}`);
  }
  if (protocols[0] === 'postgres:' && url.pathname.replace('/', '') === '') {
    throw new ConfigError(`${name} must name a database, e.g. postgres://user@host:5432/tandem`);
  }
  return raw;
}

function parsePort(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n < 0 || n > 65535) throw new ConfigError(`${name} must be a port number (0-65535), got ${JSON.stringify(raw)}`);
  return n;
}

function parseQueueStore(raw: string | undefined): 'redis' | 'postgres' {
  const v = (raw ?? '').trim().toLowerCase();
  if (v === '' || v === 'redis') return 'redis';
  if (v === 'postgres') return 'postgres';
  throw new ConfigError(`TANDEM_QUEUE_STORE must be redis or postgres, got ${JSON.stringify(raw)}`);
}

function parseCount(name: string, raw: string | undefined, fallback: number, max = 1_000_000): number {
  if (raw === undefined || raw.trim() === '') return fallback;
  const v = raw.trim();
  if (!/^\d+$/.test(v) || Number(v) > max) throw new ConfigError(`${name} must be a whole number from 0 to ${max}, got ${JSON.stringify(raw)}`);
  return Number(v);
}

export const DEFAULT_WEBHOOK_RETRY_SECONDS = [5, 300, 1800, 7200, 18000, 36000, 36000];

function parseSeconds(name: string, raw: string | undefined, fallback: number[]): number[] {
  if (raw === undefined || raw.trim() === '') return fallback;
  const parts = raw.split(',').map((p) => p.trim());
  if (parts.length > 20 || parts.some((p) => !/^\d+$/.test(p) || Number(p) > 7 * 86_400)) {
    throw new ConfigError(`${name} must be up to 20 comma-separated whole seconds (each at most 604800), got ${JSON.stringify(raw)}`);
  }
  return parts.map(Number);
}

function parseBoolean(name: string, raw: string | undefined): boolean {
  const v = (raw ?? '').trim().toLowerCase();
  if (v === '' || v === 'false' || v === '0') return false;
  if (v === 'true' || v === '1') return true;
  throw new ConfigError(`${name} must be true or false, got ${JSON.stringify(raw)}`);
}

function parseClusterNodes(env: NodeJS.ProcessEnv): string[] | null {
  const fromUrl = env.REDIS_URL?.startsWith('redis+cluster://') ? env.REDIS_URL.slice('redis+cluster://'.length).replace(/\/.*$/, '') : '';
  const raw = (env.REDIS_CLUSTER_NODES || fromUrl).trim();
  if (raw === '') return null;
  const nodes = raw.split(',').map((n) => n.trim());
  if (nodes.some((n) => !/^[A-Za-z0-9.\-[\]:]+:\d{1,5}$/.test(n))) {
    throw new ConfigError(`REDIS_CLUSTER_NODES must be comma-separated host:port pairs, got ${JSON.stringify(raw)}`);
  }
  return nodes;
}

/** Reads and validates the environment once; a bad setting is one clear ConfigError. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): TandemConfig {
  const production = env.NODE_ENV === 'production';
  const adminFromEnv = env.TANDEM_ADMIN_KEY?.trim();
  if (production && !adminFromEnv) {
    throw new ConfigError('TANDEM_ADMIN_KEY must be set when NODE_ENV=production');
  }
  if (adminFromEnv !== undefined && adminFromEnv !== '' && adminFromEnv.length < 16) {
    throw new ConfigError('TANDEM_ADMIN_KEY must be at least 16 characters');
  }
  return {
    databaseUrl: parseUrl('DATABASE_URL', env.DATABASE_URL || DEFAULTS.databaseUrl, ['postgres:', 'postgresql:']),
    redisUrl: env.REDIS_URL?.startsWith('redis+cluster://')
      ? env.REDIS_URL
      : parseUrl('REDIS_URL', env.REDIS_URL || DEFAULTS.redisUrl, ['redis:', 'rediss:']),
    port: parsePort('PORT', env.PORT, 3000),
    workerPort: parsePort('WORKER_PORT', env.WORKER_PORT, 3001),
    adminKey: adminFromEnv || `tnd_admin_${randomBytes(24).toString('base64url')}`,
    adminKeyGenerated: !adminFromEnv,
    production,
    queuePrefix: env.TANDEM_QUEUE_PREFIX || 'tandem',
    logLevel: env.LOG_LEVEL || (env.NODE_ENV === 'test' ? 'silent' : 'info'),
    queueStore: parseQueueStore(env.TANDEM_QUEUE_STORE),
    metricsToken: env.TANDEM_METRICS_TOKEN?.trim() || null,
    rateLimitPerSecond: parseCount('TANDEM_RATE_LIMIT_PER_SECOND', env.TANDEM_RATE_LIMIT_PER_SECOND, 100),
    rateLimitAnonymousPerSecond: parseCount('TANDEM_RATE_LIMIT_ANONYMOUS_PER_SECOND', env.TANDEM_RATE_LIMIT_ANONYMOUS_PER_SECOND, 20),
    webhookRetrySeconds: parseSeconds('TANDEM_WEBHOOK_RETRY_SECONDS', env.TANDEM_WEBHOOK_RETRY_SECONDS, DEFAULT_WEBHOOK_RETRY_SECONDS),
    webhookAllowPrivate: parseBoolean('TANDEM_WEBHOOK_ALLOW_PRIVATE', env.TANDEM_WEBHOOK_ALLOW_PRIVATE),
    apiProcesses: Math.max(1, parseCount('TANDEM_API_PROCESSES', env.TANDEM_API_PROCESSES, 1, 64)),
    workerProcesses: Math.max(1, parseCount('TANDEM_WORKER_PROCESSES', env.TANDEM_WORKER_PROCESSES, 1, 64)),
    redisClusterNodes: parseClusterNodes(env),
    databaseReadUrl: env.DATABASE_READ_URL
      ? parseUrl('DATABASE_READ_URL', env.DATABASE_READ_URL, ['postgres:', 'postgresql:'])
      : null,
    otlpEndpoint: env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim() || null,
  };
}

/** The URL without its password, for logs. */
export function redactUrl(raw: string): string {
  const url = new URL(raw);
  if (url.password) url.password = '***';
  return url.toString();
}

export const CONFIG = Symbol('TANDEM_CONFIG');

/** For process entry points: a bad setting is one clear line and exit code 1, never a stack trace. */
export function loadConfigOrExit(env: NodeJS.ProcessEnv = process.env): TandemConfig {
  try {
    return loadConfig(env);
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(`tandem: configuration error: ${e.message}`);
      process.exit(1);
    }
    throw e;
  }
}
