import { randomBytes } from 'node:crypto';
import { TandemConfig } from '@tandem/common';
import { createTestDatabase, testConfig, testQueueStore } from '@tandem/testing';
import { RateLimits } from '../apps/api/src/http/rate-limits';
import { preflight } from '../tools/preflight';
import { RedisCluster } from './support/redis-cluster';

/**
 * Everything besides the queues that talks to Redis (the rate limiter, the
 * start's preflight) goes through redisClient(config), so a cluster in the
 * settings is a cluster for them too. Skipped where the run keeps its queues on
 * PostgreSQL (no redis-server to start a cluster with).
 */
(testQueueStore() === 'redis' ? describe : describe.skip)('Redis clients on a Redis Cluster', () => {
  let cluster: RedisCluster;
  let db: { url: string; drop: () => Promise<void> };
  let config: TandemConfig;
  const processes: RateLimits[] = [];

  beforeAll(async () => {
    cluster = await RedisCluster.start();
    db = await createTestDatabase('cluster_clients');
    config = testConfig(db.url, { queueStore: 'redis', redisClusterNodes: cluster.nodes, rateLimitPerSecond: 3, rateLimitAnonymousPerSecond: 2 });
  }, 60_000);
  afterAll(async () => {
    for (const p of processes) await p.onModuleDestroy();
    await cluster?.stop();
    await db?.drop();
  });

  it('counts a key across two API processes in the cluster', async () => {
    for (let i = 0; i < 2; i++) {
      const limits = new RateLimits(config);
      await limits.onModuleInit();
      processes.push(limits);
    }
    const key = randomBytes(8).toString('hex');
    // 3 a second and a burst of 3: six quick requests pass, wherever they land, and the seventh is refused.
    for (let i = 0; i < 6; i++) expect(await processes[i % 2].forKey(key)).toEqual({ limited: false });
    expect((await processes[1].forKey(key)).limited).toBe(true);
    // The counters are in the cluster (steady and burst), not in each process's insurance memory.
    const scans = await Promise.all(cluster.ports.map((port) => cluster.cli(port, '--scan', '--pattern', `${config.queuePrefix}:rate:key*${key}`)));
    const stored = scans.flatMap((out) => out.split('\n').filter(Boolean)).sort();
    expect(stored).toEqual([`${config.queuePrefix}:rate:key-burst:${key}`, `${config.queuePrefix}:rate:key:${key}`].sort());
  });

  it('passes the preflight on the cluster and names the nodes when none answers', async () => {
    const lines: string[] = [];
    await preflight(config, (line) => lines.push(line));
    expect(lines).toEqual(['database schema is up to date']);
    const nowhere = testConfig(db.url, { queueStore: 'redis', redisClusterNodes: ['127.0.0.1:1', '127.0.0.1:2'] });
    await expect(preflight(nowhere, () => undefined)).rejects.toThrow(/^cannot reach Redis at the cluster 127\.0\.0\.1:1,127\.0\.0\.1:2: /);
  });
});
