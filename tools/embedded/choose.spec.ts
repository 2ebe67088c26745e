import { ConfigError } from '@tandem/common';
import { chooseServices, serviceEnv } from './choose';

const nothingListens = async () => false;
const bothListen = async () => true;

describe('chooseServices', () => {
  it('uses the servers on the standard ports when they answer', async () => {
    const c = await chooseServices({}, bothListen, '/repo');
    expect(c).toEqual({
      database: 'server',
      databaseReason: 'DATABASE_URL is unset and PostgreSQL answers on 127.0.0.1:5432',
      queues: 'redis',
      queuesReason: 'REDIS_URL is unset and Redis answers on 127.0.0.1:6379',
      dataDir: '/repo/.tandem',
    });
  });

  it('runs an embedded PostgreSQL and queues on it when nothing answers', async () => {
    const c = await chooseServices({}, nothingListens, '/repo');
    expect(c).toMatchObject({ database: 'embedded', queues: 'postgres', dataDir: '/repo/.tandem' });
    expect(c.databaseReason).toBe('DATABASE_URL is unset and nothing answers on 127.0.0.1:5432');
    expect(c.queuesReason).toBe('REDIS_URL is unset and nothing answers on 127.0.0.1:6379');
  });

  it('only the missing one is replaced: a real PostgreSQL with queues on it when Redis is absent', async () => {
    const c = await chooseServices({}, async (port) => port === 5432, '/repo');
    expect(c).toMatchObject({ database: 'server', queues: 'postgres' });
  });

  it('trusts DATABASE_URL, REDIS_URL and TANDEM_QUEUE_STORE without probing', async () => {
    const probed: number[] = [];
    const c = await chooseServices({ DATABASE_URL: 'postgres://db/x', REDIS_URL: 'redis://r' }, async (p) => (probed.push(p), false), '/repo');
    expect(c).toMatchObject({ database: 'server', databaseReason: 'DATABASE_URL is set', queues: 'redis', queuesReason: 'REDIS_URL is set' });
    expect(probed).toEqual([]);
    const pg = await chooseServices({ TANDEM_QUEUE_STORE: 'postgres' }, bothListen, '/repo');
    expect(pg).toMatchObject({ database: 'server', queues: 'postgres', queuesReason: 'TANDEM_QUEUE_STORE=postgres' });
  });

  it('TANDEM_EMBEDDED=true forces both, whatever is running, with the data under TANDEM_DATA_DIR', async () => {
    const c = await chooseServices({ TANDEM_EMBEDDED: 'true', DATABASE_URL: 'postgres://db/x', TANDEM_DATA_DIR: 'data/here' }, bothListen, '/repo');
    expect(c).toEqual({
      database: 'embedded',
      databaseReason: 'TANDEM_EMBEDDED=true',
      queues: 'postgres',
      queuesReason: 'TANDEM_EMBEDDED=true',
      dataDir: '/repo/data/here',
    });
  });

  it('refuses a TANDEM_EMBEDDED that is not a boolean', async () => {
    await expect(chooseServices({ TANDEM_EMBEDDED: 'yes' }, bothListen)).rejects.toThrow(new ConfigError('TANDEM_EMBEDDED must be true or false, got "yes"'));
  });

  it('checks what it reads as the configuration does: a bad queue store or URL is its one line, blank is unset', async () => {
    await expect(chooseServices({ TANDEM_QUEUE_STORE: 'memory' }, bothListen)).rejects.toThrow(
      new ConfigError('TANDEM_QUEUE_STORE must be redis or postgres, got "memory"'),
    );
    await expect(chooseServices({ DATABASE_URL: 'mysql://db/x' }, bothListen)).rejects.toThrow(
      new ConfigError('DATABASE_URL must be a postgres:// or postgresql:// URL naming a database'),
    );
    const blank = await chooseServices({ DATABASE_URL: ' ', REDIS_URL: '', TANDEM_QUEUE_STORE: ' ' }, nothingListens, '/repo');
    expect(blank).toMatchObject({ database: 'embedded', queues: 'postgres', queuesReason: 'REDIS_URL is unset and nothing answers on 127.0.0.1:6379' });
    const upper = await chooseServices({ TANDEM_QUEUE_STORE: ' Postgres ' }, bothListen, '/repo');
    expect(upper).toMatchObject({ queues: 'postgres', queuesReason: 'TANDEM_QUEUE_STORE=postgres' });
  });
});

describe('serviceEnv', () => {
  it('hands the services the embedded URL and the queue store chosen', async () => {
    const choice = await chooseServices({}, nothingListens, '/repo');
    expect(serviceEnv({ PORT: '4000' }, choice, 'postgres://postgres@127.0.0.1:5555/tandem')).toEqual({
      PORT: '4000',
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5555/tandem',
      TANDEM_QUEUE_STORE: 'postgres',
    });
  });
});
