import { ConfigError, loadConfig, redactUrl } from './config';

describe('loadConfig', () => {
  it('runs on local defaults with nothing set, and makes an admin key', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      databaseUrl: 'postgres://postgres@127.0.0.1:5432/tandem',
      redisUrl: 'redis://127.0.0.1:6379',
      port: 3000,
      production: false,
      adminKeyGenerated: true,
    });
    expect(c.adminKey).toMatch(/^tnd_admin_[A-Za-z0-9_-]{32}$/);
  });

  it('refuses to start in production without an admin key', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(new ConfigError('TANDEM_ADMIN_KEY must be set when NODE_ENV=production'));
  });

  it.each([
    [{ DATABASE_URL: 'not a url' }, /DATABASE_URL is not a URL/],
    [{ DATABASE_URL: 'mysql://x@y/z' }, /DATABASE_URL must start with postgres:/],
    [{ DATABASE_URL: 'postgres://x@y:5432' }, /DATABASE_URL must name a database/],
    [{ REDIS_URL: 'http://localhost' }, /REDIS_URL must start with redis:/],
    [{ PORT: 'eighty' }, /PORT must be a port number/],
    [{ PORT: '70000' }, /PORT must be a port number/],
    [{ TANDEM_ADMIN_KEY: 'short' }, /at least 16 characters/],
  ])('rejects %j with one clear message', (env, message) => {
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('takes the settings it is given', () => {
    const c = loadConfig({ DATABASE_URL: 'postgresql://u:p@db:5433/x', REDIS_URL: 'redis://r:6380/2', PORT: '8080', TANDEM_ADMIN_KEY: 'a-long-enough-admin-key' });
    expect(c).toMatchObject({ port: 8080, adminKey: 'a-long-enough-admin-key', adminKeyGenerated: false });
  });

  it('hides passwords in URLs it logs', () => {
    expect(redactUrl('postgres://user:secret@db:5432/tandem')).toBe('postgres://user:***@db:5432/tandem');
  });
});
