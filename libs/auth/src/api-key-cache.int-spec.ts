import { randomUUID } from 'node:crypto';
import { INestApplicationContext } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { TandemConfigModule } from '@tandem/common';
import { PersistenceModule } from '@tandem/persistence';
// Specs may use the test harness; the boundary rule is meant for production code.
import { createTestDatabase, eventually, testConfig } from '@tandem/testing';
import { KEY_CACHE_CHANNEL } from './api-key.repository';
import { ApiKeyService } from './api-key.service';
import { AuthModule } from './auth.module';

/**
 * Another API process's key cache, as slow as it likes: it listens under the
 * cache's application name and answers each eviction only when `answer` says.
 */
async function slowListener(url: string, answer: (nonce: string) => Promise<boolean>) {
  const client = new Client({ connectionString: url });
  await client.connect();
  const answered: string[] = [];
  client.on('notification', (n) => {
    const [kind, , nonce] = (n.payload ?? '').split(':', 3);
    if (kind === 'ack' || !nonce) return;
    void answer(nonce).then(async (send) => {
      if (!send) return;
      answered.push(nonce);
      await client.query(`SELECT pg_notify($1, $2)`, [KEY_CACHE_CHANNEL, `ack:${nonce}`]);
    });
  });
  await client.query(`LISTEN ${KEY_CACHE_CHANNEL}`);
  await client.query(`SET application_name = 'tandem-key-cache'`);
  const pid = (client as unknown as { processID: number }).processID;
  return { answered, pid, close: () => client.end() };
}

describe('the key cache across processes', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  const apps: INestApplicationContext[] = [];
  let first: ApiKeyService;
  let second: ApiKeyService;
  let dataSource: DataSource;
  let networkId: string;

  const start = async () => {
    const config = testConfig(db.url);
    const moduleRef = await Test.createTestingModule({
      imports: [TandemConfigModule.forRoot(config), PersistenceModule.forRoot({ url: config.databaseUrl, poolSize: 2 }), AuthModule],
    }).compile();
    const app = await moduleRef.init();
    apps.push(app);
    return app;
  };

  /** An operator key both processes have checked, so each holds it in its cache. */
  const cachedKey = async () => {
    const { key, apiKey } = await dataSource.transaction((em) => first.issue(em, networkId, null));
    for (const service of [first, second]) expect((await service.authenticateKey(key))?.kind).toBe('OPERATOR');
    // Both listeners are up (the first check starts them), so both remember the key from here on.
    await eventually(async () => ((await first['listener']?.peers())?.length ?? 0) >= 2, 10_000);
    for (const service of [first, second]) expect((await service.authenticateKey(key))?.kind).toBe('OPERATOR');
    return { key, keyId: apiKey.id };
  };

  /** Closes a stand-in listener and waits until the server has let its session go, so later waits do not count it. */
  const closeListener = async (listener: { pid: number; close: () => Promise<void> }) => {
    await listener.close();
    await eventually(async () => (await dataSource.query(`SELECT 1 FROM pg_stat_activity WHERE pid = $1`, [listener.pid])).length === 0, 10_000);
  };

  /** Revokes through the first process; resolves to whether every listener acknowledged. */
  const revokeThroughFirst = async (keyId: string) => {
    const eviction = await dataSource.transaction((em) => first.markRevoked(em, keyId, new Date()));
    return first.forget(eviction);
  };

  beforeAll(async () => {
    db = await createTestDatabase('auth-key-cache');
    const one = await start();
    const two = await start();
    first = one.get(ApiKeyService);
    second = two.get(ApiKeyService);
    dataSource = one.get(DataSource);
    networkId = randomUUID();
    await dataSource.query(
      `INSERT INTO networks (id, name, currency, client_fee_bps, supplier_fee_bps, partner_share_bps, partner_share_months, offer_timeout_seconds)
       VALUES ($1, 'Net', 'USD', 1000, 500, 2000, 12, 900)`,
      [networkId],
    );
  });

  afterAll(async () => {
    for (const app of apps) await app.close();
    await db.drop();
  });

  it('a revocation returns only once every listening process has forgotten the key, however late one of them answers', async () => {
    const { key, keyId } = await cachedKey();
    const order: string[] = [];
    const other = await slowListener(db.url, async () => {
      // Slow, not silent: well within the ack wait.
      await new Promise((r) => setTimeout(r, 300));
      order.push('acknowledged');
      return true;
    });
    try {
      const acknowledged = await revokeThroughFirst(keyId);
      order.push('returned');
      expect(acknowledged).toBe(true);
      expect(order).toEqual(['acknowledged', 'returned']);
      expect(other.answered).toHaveLength(1);
      for (const service of [first, second]) expect(await service.authenticateKey(key)).toBeNull();
    } finally {
      await closeListener(other);
    }
  });

  it('a process that never answers holds a revocation up for the ack wait only, and the rest have forgotten', async () => {
    const { key, keyId } = await cachedKey();
    const silent = await slowListener(db.url, async () => false);
    try {
      expect(await revokeThroughFirst(keyId)).toBe(false);
      expect(silent.answered).toEqual([]);
      for (const service of [first, second]) expect(await service.authenticateKey(key)).toBeNull();
    } finally {
      await closeListener(silent);
    }
  });

  it('with only the real caches listening, a revocation is acknowledged by both', async () => {
    const { key, keyId } = await cachedKey();
    expect(await revokeThroughFirst(keyId)).toBe(true);
    for (const service of [first, second]) expect(await service.authenticateKey(key)).toBeNull();
  });

  it('a revocation rolled back evicts nothing', async () => {
    const { key, keyId } = await cachedKey();
    await dataSource
      .transaction(async (em) => {
        await first.markRevoked(em, keyId, new Date());
        throw new Error('rolled back');
      })
      .catch(() => undefined);
    // Notifications arrive in commit order: once both caches acknowledged a later revocation, nothing of the rolled-back one is still on its way.
    const later = await cachedKey();
    expect(await revokeThroughFirst(later.keyId)).toBe(true);
    for (const service of [first, second]) {
      expect((await service.authenticateKey(key))?.kind).toBe('OPERATOR');
      expect(await service.authenticateKey(later.key)).toBeNull();
    }
  });
});
