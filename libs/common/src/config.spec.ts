import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseEnv } from 'node:util';
import { ConfigError, DEFAULT_WEBHOOK_RETRY_SECONDS, SETTINGS, applyEnvFile, loadConfig, readSetting, redactUrl } from './config';

describe('loadConfig', () => {
  it('runs on local defaults with nothing set, and makes an admin key', () => {
    const c = loadConfig({});
    expect(c).toEqual({
      databaseUrl: 'postgres://postgres@127.0.0.1:5432/tandem',
      redisUrl: 'redis://127.0.0.1:6379',
      port: 3000,
      workerPort: 3001,
      adminKey: expect.stringMatching(/^tnd_admin_[A-Za-z0-9_-]{32}$/),
      adminKeyGenerated: true,
      production: false,
      queuePrefix: 'tandem',
      logLevel: 'info',
      queueStore: 'redis',
      metricsToken: null,
      rateLimitPerSecond: 100,
      rateLimitAnonymousPerSecond: 20,
      webhookRetrySeconds: DEFAULT_WEBHOOK_RETRY_SECONDS,
      webhookAllowPrivate: false,
      apiProcesses: 1,
      workerProcesses: 1,
      redisClusterNodes: null,
      databaseReadUrl: null,
      otlpEndpoint: null,
      healthSnapshotMinutes: 15,
      embedded: false,
      dataDir: '.tandem',
      simulatedClock: false,
    });
  });

  it('takes the settings it is given, blank meaning the default', () => {
    const c = loadConfig({
      NODE_ENV: 'production',
      DATABASE_URL: 'postgresql://u:p@db:5433/x',
      DATABASE_READ_URL: 'postgres://r@replica/x',
      REDIS_URL: 'redis://r:6380/2',
      PORT: '8080',
      WORKER_PORT: '',
      TANDEM_ADMIN_KEY: ' a-long-enough-admin-key ',
      TANDEM_QUEUE_PREFIX: 'tandem-eu',
      TANDEM_QUEUE_STORE: 'Postgres',
      LOG_LEVEL: 'debug',
      TANDEM_HEALTH_SNAPSHOT_MINUTES: '60',
      TANDEM_EMBEDDED: 'TRUE',
      TANDEM_DATA_DIR: '/var/lib/tandem',
      TANDEM_RATE_LIMIT_PER_SECOND: '0',
      TANDEM_METRICS_TOKEN: 'scrape-me',
      TANDEM_WEBHOOK_RETRY_SECONDS: '1, 2,3',
      TANDEM_WEBHOOK_ALLOW_PRIVATE: '1',
      TANDEM_API_PROCESSES: '4',
      TANDEM_WORKER_PROCESSES: '2',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
    });
    expect(c).toMatchObject({
      production: true,
      databaseUrl: 'postgresql://u:p@db:5433/x',
      databaseReadUrl: 'postgres://r@replica/x',
      port: 8080,
      workerPort: 3001,
      adminKey: 'a-long-enough-admin-key',
      adminKeyGenerated: false,
      queuePrefix: 'tandem-eu',
      queueStore: 'postgres',
      logLevel: 'debug',
      healthSnapshotMinutes: 60,
      embedded: true,
      dataDir: '/var/lib/tandem',
      rateLimitPerSecond: 0,
      metricsToken: 'scrape-me',
      webhookRetrySeconds: [1, 2, 3],
      webhookAllowPrivate: true,
      apiProcesses: 4,
      workerProcesses: 2,
      otlpEndpoint: 'http://collector:4318',
    });
  });

  it('is silent under NODE_ENV=test unless LOG_LEVEL says otherwise', () => {
    expect(loadConfig({ NODE_ENV: 'test' }).logLevel).toBe('silent');
    expect(loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'warn' }).logLevel).toBe('warn');
  });

  it('reads Redis Cluster seeds from REDIS_CLUSTER_NODES or a redis+cluster:// URL', () => {
    expect(loadConfig({ REDIS_CLUSTER_NODES: 'a:7000, b:7001' }).redisClusterNodes).toEqual(['a:7000', 'b:7001']);
    expect(loadConfig({ REDIS_URL: 'redis+cluster://a:7000,b:7001' }).redisClusterNodes).toEqual(['a:7000', 'b:7001']);
  });

  it('refuses to start in production without an admin key', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(
      new ConfigError('TANDEM_ADMIN_KEY must be set when NODE_ENV=production (at least 16 characters)'),
    );
  });

  it('takes a short admin key outside production only', () => {
    expect(loadConfig({ TANDEM_ADMIN_KEY: 'admin' }).adminKey).toBe('admin');
    expect(() => loadConfig({ NODE_ENV: 'production', TANDEM_ADMIN_KEY: 'fifteen-chars!!' })).toThrow(
      new ConfigError('TANDEM_ADMIN_KEY must be at least 16 characters when NODE_ENV=production'),
    );
    expect(loadConfig({ NODE_ENV: 'production', TANDEM_ADMIN_KEY: 'sixteen-chars!!!' }).adminKey).toBe('sixteen-chars!!!');
  });

  it('takes the simulated clock outside production only', () => {
    expect(loadConfig({ TANDEM_SIMULATED_CLOCK: 'true' }).simulatedClock).toBe(true);
    expect(() => loadConfig({ NODE_ENV: 'production', TANDEM_ADMIN_KEY: 'a-long-enough-admin-key', TANDEM_SIMULATED_CLOCK: 'true' })).toThrow(
      new ConfigError('TANDEM_SIMULATED_CLOCK must be false when NODE_ENV=production'),
    );
  });

  // Each bad setting is one line naming the variable and what it accepts (secrets are not echoed).
  it.each([
    ['TANDEM_HEALTH_SNAPSHOT_MINUTES', 'abc', 'TANDEM_HEALTH_SNAPSHOT_MINUTES must be a whole number from 1 to 1440, got "abc"'],
    ['TANDEM_HEALTH_SNAPSHOT_MINUTES', '0', 'TANDEM_HEALTH_SNAPSHOT_MINUTES must be a whole number from 1 to 1440, got "0"'],
    ['TANDEM_HEALTH_SNAPSHOT_MINUTES', '2000', 'TANDEM_HEALTH_SNAPSHOT_MINUTES must be a whole number from 1 to 1440, got "2000"'],
    ['TANDEM_HEALTH_SNAPSHOT_MINUTES', '1.5', 'TANDEM_HEALTH_SNAPSHOT_MINUTES must be a whole number from 1 to 1440, got "1.5"'],
    ['LOG_LEVEL', 'verbose', 'LOG_LEVEL must be fatal, error, warn, info, debug, trace or silent, got "verbose"'],
    ['NODE_ENV', 'prod', 'NODE_ENV must be development, production or test, got "prod"'],
    ['DATABASE_URL', 'not a url', 'DATABASE_URL must be a postgres:// or postgresql:// URL naming a database'],
    ['DATABASE_URL', 'mysql://x@y/z', 'DATABASE_URL must be a postgres:// or postgresql:// URL naming a database'],
    ['DATABASE_URL', 'postgres://x:secret@y:5432', 'DATABASE_URL must be a postgres:// or postgresql:// URL naming a database'],
    ['DATABASE_READ_URL', 'replica', 'DATABASE_READ_URL must be a postgres:// or postgresql:// URL naming a database'],
    ['REDIS_URL', 'http://localhost', 'REDIS_URL must be a redis:// or rediss:// URL, or redis+cluster://host:port,host:port'],
    ['REDIS_URL', 'redis+cluster://a,b', 'REDIS_URL must be a redis:// or rediss:// URL, or redis+cluster://host:port,host:port'],
    ['REDIS_CLUSTER_NODES', 'a:1,b', 'REDIS_CLUSTER_NODES must be comma-separated host:port pairs, got "a:1,b"'],
    ['PORT', 'eighty', 'PORT must be a port number from 0 to 65535, got "eighty"'],
    ['PORT', '70000', 'PORT must be a port number from 0 to 65535, got "70000"'],
    ['WORKER_PORT', '-1', 'WORKER_PORT must be a port number from 0 to 65535, got "-1"'],
    ['TANDEM_ADMIN_KEY', 'has space', 'TANDEM_ADMIN_KEY must be 1 to 512 printable characters without spaces (at least 16 when NODE_ENV=production)'],
    ['TANDEM_QUEUE_PREFIX', 'has space', 'TANDEM_QUEUE_PREFIX must be 1 to 64 letters, digits, _ . : or -, got "has space"'],
    ['TANDEM_QUEUE_STORE', 'kafka', 'TANDEM_QUEUE_STORE must be redis or postgres, got "kafka"'],
    ['TANDEM_EMBEDDED', 'yes', 'TANDEM_EMBEDDED must be true or false, got "yes"'],
    ['TANDEM_RATE_LIMIT_PER_SECOND', '-5', 'TANDEM_RATE_LIMIT_PER_SECOND must be a whole number from 0 to 1000000, got "-5"'],
    ['TANDEM_RATE_LIMIT_ANONYMOUS_PER_SECOND', '1e3', 'TANDEM_RATE_LIMIT_ANONYMOUS_PER_SECOND must be a whole number from 0 to 1000000, got "1e3"'],
    ['TANDEM_WEBHOOK_RETRY_SECONDS', '5,,10', 'TANDEM_WEBHOOK_RETRY_SECONDS must be up to 20 comma-separated whole seconds, each at most 604800, got "5,,10"'],
    [
      'TANDEM_WEBHOOK_RETRY_SECONDS',
      '604801',
      'TANDEM_WEBHOOK_RETRY_SECONDS must be up to 20 comma-separated whole seconds, each at most 604800, got "604801"',
    ],
    ['TANDEM_WEBHOOK_ALLOW_PRIVATE', 'maybe', 'TANDEM_WEBHOOK_ALLOW_PRIVATE must be true or false, got "maybe"'],
    ['TANDEM_API_PROCESSES', '0', 'TANDEM_API_PROCESSES must be a whole number from 1 to 64, got "0"'],
    ['TANDEM_WORKER_PROCESSES', '65', 'TANDEM_WORKER_PROCESSES must be a whole number from 1 to 64, got "65"'],
    ['OTEL_EXPORTER_OTLP_ENDPOINT', 'collector:4318', 'OTEL_EXPORTER_OTLP_ENDPOINT must be an http:// or https:// URL, got "collector:4318"'],
    ['TANDEM_SIMULATED_CLOCK', 'on', 'TANDEM_SIMULATED_CLOCK must be true or false, got "on"'],
    ['TEST_QUEUE_STORE', 'memory', 'TEST_QUEUE_STORE must be redis or postgres, got "memory"'],
  ])('refuses %s=%j with one line', (name, value, line) => {
    expect(() => loadConfig({ [name]: value })).toThrow(new ConfigError(line));
    expect(line).not.toContain('\n');
  });

  it('names the first bad variable in the schema order when several are bad', () => {
    expect(() => loadConfig({ LOG_LEVEL: 'loud', PORT: 'x' })).toThrow(new ConfigError('PORT must be a port number from 0 to 65535, got "x"'));
  });

  it('reads one setting by the same schema', () => {
    expect(readSetting('TANDEM_EMBEDDED', { TANDEM_EMBEDDED: '1' })).toBe(true);
    expect(readSetting('TANDEM_HEALTH_SNAPSHOT_MINUTES', {})).toBe(15);
    expect(() => readSetting('TANDEM_HEALTH_SNAPSHOT_MINUTES', { TANDEM_HEALTH_SNAPSHOT_MINUTES: 'abc' })).toThrow(
      new ConfigError('TANDEM_HEALTH_SNAPSHOT_MINUTES must be a whole number from 1 to 1440, got "abc"'),
    );
  });

  it('hides passwords in URLs it logs', () => {
    expect(redactUrl('postgres://user:secret@db:5432/tandem')).toBe('postgres://user:***@db:5432/tandem');
  });
});

describe('.env', () => {
  it('adds what the environment does not set; the environment wins', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tandem-env-'));
    const file = path.join(dir, '.env');
    writeFileSync(file, '# local\nPORT=4000\nLOG_LEVEL=debug\nTANDEM_METRICS_TOKEN="with spaces"\n');
    const env: NodeJS.ProcessEnv = { LOG_LEVEL: 'warn' };
    expect(applyEnvFile(env, file)).toBe(true);
    expect(loadConfig(env)).toMatchObject({ port: 4000, logLevel: 'warn', metricsToken: 'with spaces' });
    expect(applyEnvFile(env, path.join(dir, 'missing.env'))).toBe(false);
  });

  it('.env.example names every setting once, commented out at its default', () => {
    const example = readFileSync(path.resolve(__dirname, '../../../.env.example'), 'utf8');
    const env: NodeJS.ProcessEnv = {};
    // Nothing is set by copying it: each line is "# NAME=default", to uncomment and change.
    expect(parseEnv(example)).toEqual({});
    Object.assign(env, parseEnv(example.replace(/^# ([A-Z_]+=)/gm, '$1')));
    expect(Object.keys(env).sort()).toEqual(Object.keys(SETTINGS).sort());
    for (const [name, spec] of Object.entries(SETTINGS)) expect([name, env[name]]).toEqual([name, spec.default ?? '']);
    expect(() => loadConfig(env)).not.toThrow();
  });
});

describe("README's configuration table", () => {
  const readme = readFileSync(path.resolve(__dirname, '../../../README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Configuration'), readme.indexOf('\n## ', readme.indexOf('## Configuration') + 1));
  const rows = new Map(
    [...section.matchAll(/^\| `([A-Z_]+)` +\| (.*?) +\| (.*?) +\| (.*?) +\|$/gm)].map(([, name, byDefault, accepts]) => [name, { byDefault, accepts }]),
  );

  it('lists every setting with its default and what it accepts, and nothing else', () => {
    expect([...rows.keys()].sort()).toEqual(Object.keys(SETTINGS).sort());
    for (const [name, spec] of Object.entries(SETTINGS)) {
      expect([name, rows.get(name)]).toEqual([name, { byDefault: spec.default === null ? 'unset' : `\`${spec.default}\``, accepts: spec.accepts }]);
    }
  });
});
