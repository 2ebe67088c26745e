import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseEnv } from 'node:util';
import { z } from 'zod';

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
  /** How often the worker snapshots relationship health, in minutes (TANDEM_HEALTH_SNAPSHOT_MINUTES). */
  healthSnapshotMinutes: number;
  /** TANDEM_EMBEDDED: npm start runs the embedded PostgreSQL with the queues on it, whatever is running. */
  embedded: boolean;
  /** Where the embedded PostgreSQL keeps its data (TANDEM_DATA_DIR), as given: relative to the working directory. */
  dataDir: string;
  /** TANDEM_SIMULATED_CLOCK: business time follows the simulated clock of the database (libs/common/src/clock.ts), for the demo. */
  simulatedClock: boolean;
}

export class ConfigError extends Error {}

/** Blank is unset: `PORT=` in a .env file or a compose file means "the default". */
const blank = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);

/**
 * One environment variable: its zod schema (from the raw string, or undefined
 * when unset), what it accepts (the error says "<NAME> must be <accepts>"), its
 * default as documented, and what it means. README.md's configuration table is
 * checked against this list (config.spec.ts).
 */
export interface SettingSpec<T = unknown> {
  readonly schema: z.ZodType<T, string | undefined>;
  readonly accepts: string;
  /** The default as the README shows it; null when the variable is unset by default. */
  readonly default: string | null;
  readonly meaning: string;
  /** Its value never appears in an error message. */
  readonly secret?: boolean;
}

function setting<T>(spec: SettingSpec<T>): SettingSpec<T> {
  return spec;
}

/** A variable's schema: blank counts as unset, then `inner` decides (its default included). */
function fromEnv<T>(inner: z.ZodType<T, any>): z.ZodType<T, string | undefined> {
  return z.preprocess(blank, inner) as unknown as z.ZodType<T, string | undefined>;
}

function wholeNumber(min: number, max: number, fallback: number) {
  const digits = z.string().trim().regex(/^\d+$/).transform(Number);
  return fromEnv(digits.pipe(z.number().int().min(min).max(max)).prefault(String(fallback)));
}

function oneOf<const V extends readonly [string, ...string[]]>(values: V, fallback?: V[number]) {
  const parsed = z.string().trim().toLowerCase().pipe(z.enum(values));
  return fromEnv<V[number] | undefined>(fallback === undefined ? parsed.optional() : parsed.prefault(fallback));
}

const BOOLEAN = fromEnv(z.stringbool({ truthy: ['true', '1'], falsy: ['false', '0'], case: 'insensitive' }).prefault('false'));

function isUrl(raw: string, protocols: string[], needsPath: boolean): boolean {
  try {
    const u = new URL(raw);
    return protocols.includes(u.protocol) && (!needsPath || u.pathname.replace('/', '') !== '');
  } catch {
    return false;
  }
}

function url(protocols: string[], needsPath: boolean) {
  return z
    .string()
    .trim()
    .refine((raw) => isUrl(raw, protocols, needsPath));
}

function optionalText(pattern?: RegExp) {
  return fromEnv((pattern ? z.string().trim().regex(pattern) : z.string().trim()).optional());
}

const MAX_RETRY_DELAY_SECONDS = 7 * 86_400;
export const DEFAULT_WEBHOOK_RETRY_SECONDS = [5, 300, 1800, 7200, 18000, 36000, 36000];

const HOST_PORT = /^[A-Za-z0-9.\-[\]:]+:\d{1,5}$/;
const CLUSTER = 'redis+cluster://';
/** The seed nodes of a redis+cluster://host:port,host:port URL. */
const clusterSeeds = (raw: string) =>
  raw
    .slice(CLUSTER.length)
    .replace(/\/.*$/, '')
    .split(',')
    .map((n) => n.trim());

/**
 * Every setting Tandem reads from the environment (or .env), in the order the
 * first problem is reported. The one place a variable is named, parsed and checked.
 */
export const SETTINGS = {
  NODE_ENV: setting({
    schema: oneOf(['development', 'production', 'test'], 'development'),
    accepts: 'development, production or test',
    default: 'development',
    meaning: '`production` requires `TANDEM_ADMIN_KEY`, protects `/metrics` and turns GraphiQL off',
  }),
  DATABASE_URL: setting({
    schema: fromEnv(url(['postgres:', 'postgresql:'], true).prefault('postgres://postgres@127.0.0.1:5432/tandem')),
    accepts: 'a postgres:// or postgresql:// URL naming a database',
    default: 'postgres://postgres@127.0.0.1:5432/tandem',
    meaning: 'PostgreSQL; the database is created if missing',
    secret: true,
  }),
  DATABASE_READ_URL: setting({
    schema: fromEnv(url(['postgres:', 'postgresql:'], true).optional()),
    accepts: 'a postgres:// or postgresql:// URL naming a database',
    default: null,
    meaning: 'a replica for reads that may lag; unset reads from the primary',
    secret: true,
  }),
  REDIS_URL: setting({
    schema: fromEnv(
      z
        .string()
        .trim()
        .refine((raw) => (raw.startsWith(CLUSTER) ? clusterSeeds(raw).every((n) => HOST_PORT.test(n)) : isUrl(raw, ['redis:', 'rediss:'], false)))
        .prefault('redis://127.0.0.1:6379'),
    ),
    accepts: 'a redis:// or rediss:// URL, or redis+cluster://host:port,host:port',
    default: 'redis://127.0.0.1:6379',
    meaning: 'Redis for the job queues (use `noeviction`); `redis+cluster://host:port,host:port` names Cluster seed nodes',
    secret: true,
  }),
  REDIS_CLUSTER_NODES: setting({
    schema: fromEnv(
      z
        .string()
        .transform((raw) => raw.split(',').map((n) => n.trim()))
        .pipe(z.array(z.string().regex(HOST_PORT)).min(1))
        .optional(),
    ),
    accepts: 'comma-separated host:port pairs',
    default: null,
    meaning: 'Redis Cluster seed nodes; unset uses the single Redis at `REDIS_URL`',
  }),
  PORT: setting({ schema: wholeNumber(0, 65535, 3000), accepts: 'a port number from 0 to 65535', default: '3000', meaning: 'API port' }),
  WORKER_PORT: setting({
    schema: wholeNumber(0, 65535, 3001),
    accepts: 'a port number from 0 to 65535',
    default: '3001',
    meaning: "worker's `/health` and `/metrics`",
  }),
  TANDEM_ADMIN_KEY: setting({
    // What a Bearer header can carry (libs/auth's readAuthorization); production also asks for 16 or more (loadConfig).
    schema: optionalText(/^[\x21-\x7e]{1,512}$/),
    accepts: '1 to 512 printable characters without spaces (at least 16 when NODE_ENV=production)',
    default: null,
    meaning: 'the key that may call `createNetwork`; made up and printed when unset in development, required when `NODE_ENV=production`',
    secret: true,
  }),
  TANDEM_QUEUE_PREFIX: setting({
    schema: fromEnv(
      z
        .string()
        .trim()
        .regex(/^[A-Za-z0-9_.:-]{1,64}$/)
        .prefault('tandem'),
    ),
    accepts: '1 to 64 letters, digits, _ . : or -',
    default: 'tandem',
    meaning: 'BullMQ key prefix (several deployments can share a Redis)',
  }),
  TANDEM_QUEUE_STORE: setting({
    schema: oneOf(['redis', 'postgres'], 'redis'),
    accepts: 'redis or postgres',
    default: 'redis',
    meaning: "where the job queues live; `npm start` chooses when unset (`postgres` is BullMQ's PostgreSQL backend on `DATABASE_URL`)",
  }),
  LOG_LEVEL: setting({
    schema: oneOf(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
    accepts: 'fatal, error, warn, info, debug, trace or silent',
    default: 'info',
    meaning: 'pino level (`silent` under `NODE_ENV=test`); logs are JSON lines with a request id',
  }),
  TANDEM_HEALTH_SNAPSHOT_MINUTES: setting({
    schema: wholeNumber(1, 1440, 15),
    accepts: 'a whole number from 1 to 1440',
    default: '15',
    meaning: 'how often the worker snapshots relationship health',
  }),
  TANDEM_EMBEDDED: setting({
    schema: BOOLEAN,
    accepts: 'true or false',
    default: 'false',
    meaning: '`true` makes `npm start` run the embedded PostgreSQL with the queues on it, whatever is running',
  }),
  TANDEM_DATA_DIR: setting({
    schema: fromEnv(z.string().trim().prefault('.tandem')),
    accepts: 'a directory path',
    default: '.tandem',
    meaning: 'where the embedded PostgreSQL keeps its data',
  }),
  TANDEM_RATE_LIMIT_PER_SECOND: setting({
    schema: wholeNumber(0, 1_000_000, 100),
    accepts: 'a whole number from 0 to 1000000',
    default: '100',
    meaning: 'requests per second per key, bursts of twice that; `0` is off',
  }),
  TANDEM_RATE_LIMIT_ANONYMOUS_PER_SECOND: setting({
    schema: wholeNumber(0, 1_000_000, 20),
    accepts: 'a whole number from 0 to 1000000',
    default: '20',
    meaning: 'requests per second per client address without a valid key; `0` is off',
  }),
  TANDEM_METRICS_TOKEN: setting({
    schema: optionalText(),
    accepts: 'any text',
    default: null,
    meaning: 'in production `/metrics` needs this bearer token (or the admin key)',
    secret: true,
  }),
  TANDEM_WEBHOOK_RETRY_SECONDS: setting({
    schema: fromEnv(
      z
        .string()
        .transform((raw) => raw.split(',').map((p) => p.trim()))
        .pipe(
          z
            .array(z.string().regex(/^\d+$/).transform(Number).pipe(z.number().max(MAX_RETRY_DELAY_SECONDS)))
            .min(1)
            .max(20),
        )
        .prefault(DEFAULT_WEBHOOK_RETRY_SECONDS.join(',')),
    ),
    accepts: `up to 20 comma-separated whole seconds, each at most ${MAX_RETRY_DELAY_SECONDS}`,
    default: DEFAULT_WEBHOOK_RETRY_SECONDS.join(','),
    meaning: 'the delay before each webhook retry; one more attempt than delays',
  }),
  TANDEM_WEBHOOK_ALLOW_PRIVATE: setting({
    schema: BOOLEAN,
    accepts: 'true or false',
    default: 'false',
    meaning: 'in production, allows webhook URLs on private, loopback and link-local addresses, and plain http',
  }),
  TANDEM_API_PROCESSES: setting({
    schema: wholeNumber(1, 64, 1),
    accepts: 'a whole number from 1 to 64',
    default: '1',
    meaning: 'how many API processes `npm start` runs',
  }),
  TANDEM_WORKER_PROCESSES: setting({
    schema: wholeNumber(1, 64, 1),
    accepts: 'a whole number from 1 to 64',
    default: '1',
    meaning: 'how many worker processes `npm start` runs',
  }),
  OTEL_EXPORTER_OTLP_ENDPOINT: setting({
    schema: fromEnv(url(['http:', 'https:'], false).optional()),
    accepts: 'an http:// or https:// URL',
    default: null,
    meaning: 'OTLP endpoint for traces; unset turns tracing off',
  }),
  TANDEM_PORTAL_DIST: setting({
    schema: optionalText(),
    accepts: 'an absolute folder path',
    default: null,
    meaning: 'where the built portal is written and served from (default `apps/portal/dist`); lets several checkouts or suites build their own',
  }),
  TANDEM_SIMULATED_CLOCK: setting({
    schema: BOOLEAN,
    accepts: 'true or false',
    default: 'false',
    meaning: '`true` takes business time from the simulated clock that `npm run demo -- --days N` moves forward; refused when `NODE_ENV=production`',
  }),
  // Tests and tools only: not part of a running service, checked here all the same.
  CHROMIUM_PATH: setting({
    schema: optionalText(),
    accepts: 'a file path',
    default: null,
    meaning: 'tests only: the browser the portal suite and benchmark drive',
  }),
  TEST_DATABASE_URL: setting({
    schema: fromEnv(url(['postgres:', 'postgresql:'], false).optional()),
    accepts: 'a postgres:// or postgresql:// URL',
    default: null,
    meaning: 'tests only: the server the suites make their databases on (default `postgres://postgres@127.0.0.1:5432/postgres`)',
    secret: true,
  }),
  TEST_REDIS_URL: setting({
    schema: fromEnv(url(['redis:', 'rediss:'], false).optional()),
    accepts: 'a redis:// or rediss:// URL',
    default: null,
    meaning: 'tests only: the Redis the suites use (default `redis://127.0.0.1:6379`)',
    secret: true,
  }),
  TEST_QUEUE_STORE: setting({
    schema: oneOf(['redis', 'postgres']),
    accepts: 'redis or postgres',
    default: null,
    meaning: 'tests only: `postgres` runs the suites on the PostgreSQL queues',
  }),
  TANDEM_TEST_STOP_BEFORE_COMMIT: setting({
    schema: optionalText(),
    accepts: 'a job name',
    default: null,
    meaning: 'tests only: the process stops itself before committing a job of that name (`test/paused-worker.e2e-spec.ts`)',
  }),
} satisfies Record<string, SettingSpec<any>>;

export type SettingName = keyof typeof SETTINGS;
type SettingValue<K extends SettingName> = z.output<(typeof SETTINGS)[K]['schema']>;
type Settings = { [K in SettingName]: SettingValue<K> };

const SCHEMA = z.object(
  Object.fromEntries(Object.entries(SETTINGS).map(([name, spec]) => [name, spec.schema])) as {
    [K in SettingName]: (typeof SETTINGS)[K]['schema'];
  },
);

/** The one line a bad value gets: "<NAME> must be <what it accepts>, got <value>". */
function problem(name: SettingName, raw: unknown): ConfigError {
  const spec: SettingSpec = SETTINGS[name];
  const got = spec.secret || raw === undefined ? '' : `, got ${JSON.stringify(raw)}`;
  return new ConfigError(`${name} must be ${spec.accepts}${got}`);
}

function parseSettings(env: NodeJS.ProcessEnv): Settings {
  const parsed = SCHEMA.safeParse(env);
  if (parsed.success) return parsed.data as Settings;
  // The first variable in SETTINGS' order, so the same environment always names the same one.
  const failed = new Set(parsed.error.issues.map((i) => String(i.path[0])));
  const name = (Object.keys(SETTINGS) as SettingName[]).find((n) => failed.has(n)) ?? (Object.keys(SETTINGS)[0] as SettingName);
  throw problem(name, env[name]);
}

/** One setting, checked by the same schema (for code that needs a single variable before the whole configuration). */
export function readSetting<K extends SettingName>(name: K, env: NodeJS.ProcessEnv = process.env): SettingValue<K> {
  const parsed = SETTINGS[name].schema.safeParse(env[name]);
  if (!parsed.success) throw problem(name, env[name]);
  return parsed.data as SettingValue<K>;
}

/**
 * Adds the variables of an env file (Node's own parser) that the environment
 * does not set: the environment wins, as with dotenv. Returns whether the file was there.
 */
export function applyEnvFile(env: NodeJS.ProcessEnv, file: string): boolean {
  if (!existsSync(file)) return false;
  for (const [name, value] of Object.entries(parseEnv(readFileSync(file, 'utf8')))) {
    if (env[name] === undefined) env[name] = value;
  }
  return true;
}

let envFileApplied = false;

/** A short key is fine for a developer's or a test harness's own machine, not for a hub's. */
const MIN_PRODUCTION_ADMIN_KEY = 16;

/**
 * Reads and validates the settings once; a bad one is one ConfigError naming the
 * variable and what it accepts. The process's own environment is first completed
 * from `.env` in the working directory when there is one (once per process, so
 * the children it spawns inherit it).
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): TandemConfig {
  if (env === process.env && !envFileApplied) {
    envFileApplied = true;
    applyEnvFile(process.env, path.resolve('.env'));
  }
  const s = parseSettings(env);
  const production = s.NODE_ENV === 'production';
  if (production) {
    if (!s.TANDEM_ADMIN_KEY) throw new ConfigError(`TANDEM_ADMIN_KEY must be set when NODE_ENV=production (at least ${MIN_PRODUCTION_ADMIN_KEY} characters)`);
    if (s.TANDEM_ADMIN_KEY.length < MIN_PRODUCTION_ADMIN_KEY) {
      throw new ConfigError(`TANDEM_ADMIN_KEY must be at least ${MIN_PRODUCTION_ADMIN_KEY} characters when NODE_ENV=production`);
    }
  }
  // Simulated time would misdate real orders, fees and statements.
  if (production && s.TANDEM_SIMULATED_CLOCK) throw new ConfigError('TANDEM_SIMULATED_CLOCK must be false when NODE_ENV=production');
  return {
    databaseUrl: s.DATABASE_URL,
    redisUrl: s.REDIS_URL,
    port: s.PORT,
    workerPort: s.WORKER_PORT,
    adminKey: s.TANDEM_ADMIN_KEY ?? `tnd_admin_${randomBytes(24).toString('base64url')}`,
    adminKeyGenerated: !s.TANDEM_ADMIN_KEY,
    production,
    queuePrefix: s.TANDEM_QUEUE_PREFIX,
    logLevel: s.LOG_LEVEL ?? (s.NODE_ENV === 'test' ? 'silent' : 'info'),
    queueStore: s.TANDEM_QUEUE_STORE ?? 'redis',
    metricsToken: s.TANDEM_METRICS_TOKEN ?? null,
    rateLimitPerSecond: s.TANDEM_RATE_LIMIT_PER_SECOND,
    rateLimitAnonymousPerSecond: s.TANDEM_RATE_LIMIT_ANONYMOUS_PER_SECOND,
    webhookRetrySeconds: s.TANDEM_WEBHOOK_RETRY_SECONDS,
    webhookAllowPrivate: s.TANDEM_WEBHOOK_ALLOW_PRIVATE,
    apiProcesses: s.TANDEM_API_PROCESSES,
    workerProcesses: s.TANDEM_WORKER_PROCESSES,
    redisClusterNodes: s.REDIS_CLUSTER_NODES ?? (s.REDIS_URL.startsWith(CLUSTER) ? clusterSeeds(s.REDIS_URL) : null),
    databaseReadUrl: s.DATABASE_READ_URL ?? null,
    otlpEndpoint: s.OTEL_EXPORTER_OTLP_ENDPOINT ?? null,
    healthSnapshotMinutes: s.TANDEM_HEALTH_SNAPSHOT_MINUTES,
    embedded: s.TANDEM_EMBEDDED,
    dataDir: s.TANDEM_DATA_DIR,
    simulatedClock: s.TANDEM_SIMULATED_CLOCK,
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
