import { randomBytes } from 'node:crypto';
import { TandemConfig } from '@tandem/common';
import { clearQueues, createTestDatabase, testConfig } from '@tandem/testing';
import { RateLimits } from './rate-limits';

/** Two RateLimits stand for two API processes sharing one store. */
async function twoProcesses(config: TandemConfig): Promise<[RateLimits, RateLimits]> {
  const a = new RateLimits(config);
  const b = new RateLimits(config);
  await a.onModuleInit();
  await b.onModuleInit();
  return [a, b];
}

async function limitedCount(limits: RateLimits[], key: string, requests: number): Promise<number> {
  let limited = 0;
  for (let i = 0; i < requests; i++) if ((await limits[i % limits.length].forKey(key)).limited) limited++;
  return limited;
}

describe.each(['redis', 'postgres'] as const)('rate limits counted in %s', (queueStore) => {
  let db: { url: string; drop: () => Promise<void> };
  let config: TandemConfig;
  let processes: RateLimits[];

  beforeAll(async () => {
    db = await createTestDatabase(`rate_limits_${queueStore}`);
    config = testConfig(db.url, { queueStore, rateLimitPerSecond: 3, rateLimitAnonymousPerSecond: 2 });
    processes = await twoProcesses(config);
  });
  afterAll(async () => {
    for (const p of processes) await p.onModuleDestroy();
    await clearQueues(config.redisUrl, config.queuePrefix);
    await db.drop();
  });

  it('lets a key make its rate plus a burst of as much again across processes, then refuses with a Retry-After', async () => {
    const key = randomBytes(8).toString('hex');
    // 3 a second and a burst of 3: the 7th of 7 quick requests, wherever it lands, is refused.
    expect(await limitedCount(processes, key, 6)).toBe(0);
    const verdict = await processes[0].forKey(key);
    expect(verdict).toEqual({ limited: true, retryAfterSeconds: expect.any(Number) });
    expect((verdict as { retryAfterSeconds: number }).retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(await processes[1].forKey(`${key}-other`)).toEqual({ limited: false });
  });

  it('counts an address without a key at its own rate, with no burst', async () => {
    const address = `198.51.100.${Math.floor(Math.random() * 250)}`;
    expect(await processes[0].forAddress(address)).toEqual({ limited: false });
    expect(await processes[1].forAddress(address)).toEqual({ limited: false });
    expect((await processes[0].forAddress(address)).limited).toBe(true);
  });
});

describe('rate limits turned off', () => {
  it('never refuses with both limits at 0 and opens no store', async () => {
    const limits = new RateLimits(testConfig('postgres://nobody@127.0.0.1:1/none', { rateLimitPerSecond: 0, rateLimitAnonymousPerSecond: 0 }));
    await limits.onModuleInit();
    for (let i = 0; i < 500; i++) {
      expect(await limits.forKey('k')).toEqual({ limited: false });
      expect(await limits.forAddress('a')).toEqual({ limited: false });
    }
    await limits.onModuleDestroy();
  });
});
