import { testQueueStore } from '@tandem/testing';
import Redis from 'ioredis';
import { JOB_QUEUE, QUEUES, QueueRegistry } from '@tandem/jobs';
import { SettlementAuditService } from '@tandem/settlement';
import { TEST_REDIS_URL, eventually } from '@tandem/testing';
import { Q, buildCircles, issueKey, register, vet } from './support/community';
import { RedisCluster } from './support/redis-cluster';
import { TandemHarness } from './support/tandem';

const MONEY = 'amount currency';
const ORDER = `id status offerExpiresAt supplier { id name } routing { supplier { name } eligible reason }`;
const PLACE = `mutation($input: OrderInput!) { placeOrder(input: $input) { ${ORDER} } }`;
const GET = `query($id: ID!) { order(id: $id) { ${ORDER} } }`;
const ACCEPT = `mutation($id: ID!) { acceptOrder(orderId: $id) { id status } }`;
const FULFIL = `mutation($id: ID!) { fulfilOrder(orderId: $id) { id status } }`;
const BALANCE = `query($m: ID!) { balance(memberId: $m, currency: "USD") { owedToHub { ${MONEY} } owedByHub { ${MONEY} } } }`;
const RUN = `mutation { runSettlement { id statements { member { name } status net { ${MONEY} } } } }`;

const inDays = (d: number) => new Date(Date.now() + d * 86_400_000).toISOString();
let seq = 0;

/**
 * BullMQ on a Redis Cluster of three masters that the suite starts on loopback
 * ports of its own (and stops): the API and the worker reach it through
 * REDIS_CLUSTER_NODES, and the whole flow runs on it — routing, a delayed offer
 * expiry, posting, settlement and the recurring sweeps.
 */
// A suite about Redis itself: skipped where the run keeps its queues on PostgreSQL (no Redis to compare with).
(testQueueStore() === 'redis' ? describe : describe.skip)('queues on a Redis Cluster', () => {
  let started: RedisCluster | undefined;
  let cluster: RedisCluster;
  let t: TandemHarness;

  beforeAll(async () => {
    cluster = started = await RedisCluster.start(3);
    t = await TandemHarness.start('redis-cluster', { config: { queueStore: 'redis', redisClusterNodes: cluster.nodes } });
  }, 120_000);
  afterAll(async () => {
    await t?.stop();
    await started?.stop();
  });

  const status = (id: string, op: string) => t.ok(GET, { id }, op).then((r) => r.order);
  const place = (key: string, category: string) =>
    t
      .ok(
        PLACE,
        { input: { category, region: 'US-NY', quantity: 1, deliverBy: inDays(3), budget: { amount: '150', currency: 'USD' }, idempotencyKey: `c-${++seq}` } },
        key,
      )
      .then((r) => r.placeOrder);

  it('routes, expires a delayed offer, posts and settles with every queue key on one hash-tagged slot of the cluster', async () => {
    const c = await buildCircles(t as never, 'Cluster Circles');
    // A second basket supplier with a 1 s offer timeout, cheaper, so it is offered first and its offer expires.
    const quick = await register(t, c.op, 'Quick Baskets', ['SUPPLIER']);
    await vet(t, c.op, quick.id);
    await t.ok(
      Q.addCapability,
      {
        input: {
          supplierId: quick.id,
          category: 'gift-baskets',
          regions: ['us-ny'],
          dailyCapacity: 5,
          leadTimeHours: 24,
          unitPrice: { amount: '100', currency: 'USD' },
        },
      },
      c.op,
    );
    await t.ok(Q.setMemberTerms, { memberId: quick.id, input: { offerTimeoutSeconds: 1 } }, c.op);
    const quickKey = await issueKey(t, c.op, quick.id);

    const order = await place(c.keys.client, 'gift-baskets');
    const offered = await eventually(async () => {
      const o = await status(order.id, c.op);
      return o.status === 'OFFERED' && o;
    }, 10_000);
    expect(offered.supplier).toEqual({ id: quick.id, name: 'Quick Baskets' });

    // The expire-offer job is delayed to the offer's expiry; it moves the order on to the next supplier.
    const moved = await eventually(async () => {
      const o = await status(order.id, c.op);
      return o.supplier?.id === c.supplier.id && o;
    }, 10_000);
    expect(moved.status).toBe('OFFERED');
    expect(moved.routing.map((r: any) => [r.supplier.name, r.eligible, r.reason])[0]).toEqual(['Quick Baskets', false, 'EXPIRED']);
    expect(await t.code(ACCEPT, { id: order.id }, quickKey)).toBe('NOT_FOUND');

    expect((await t.ok(ACCEPT, { id: order.id }, c.keys.supplier)).acceptOrder.status).toBe('ACCEPTED');
    expect((await t.ok(FULFIL, { id: order.id }, c.keys.supplier)).fulfilOrder.status).toBe('FULFILLED');
    // Posted through the ledger queue: the worked example of docs/api.md (price 120.00).
    await eventually(async () => (await t.ok(BALANCE, { m: c.client.id }, c.op)).balance.owedToHub.amount === '132.00', 10_000);
    expect((await t.ok(BALANCE, { m: c.supplier.id }, c.op)).balance).toEqual({
      owedToHub: { amount: '0.00', currency: 'USD' },
      owedByHub: { amount: '114.00', currency: 'USD' },
    });

    const { runSettlement } = await t.ok(RUN, {}, c.op);
    expect(runSettlement.statements.map((s: any) => [s.member.name, s.status, s.net.amount]).sort()).toEqual(
      [
        ['Grand Hotel', 'DUE', '-132.00'],
        ['Basket & Co', 'DUE', '114.00'],
        ['Pia Partner', 'DUE', '2.40'],
        ['Paul Partner', 'DUE', '1.20'],
      ].sort(),
    );
    expect(await t.api.get(SettlementAuditService).audit(c.networkId)).toEqual([]);

    // Every queue key carries the hash tag, so all of them sit on the one master that owns its slot.
    const perNode = await cluster.keysPerNode();
    expect(perNode.filter((n) => n > 0)).toHaveLength(1);
    const owner = cluster.ports[perNode.findIndex((n) => n > 0)];
    const keys = (await cluster.cli(owner, '--scan', '--pattern', '*')).trim().split('\n');
    expect(keys.every((k) => k.startsWith(`{${t.config.queuePrefix}}:`))).toBe(true);
    expect(keys).toEqual(expect.arrayContaining([`{${t.config.queuePrefix}}:routing:id`, `{${t.config.queuePrefix}}:ledger:id`]));
    // ...and nothing of this suite reached the single Redis.
    const single = new Redis(TEST_REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
    try {
      await single.connect();
      const [, found] = await single.scan(0, 'MATCH', `*${t.config.queuePrefix}*`, 'COUNT', 10_000);
      expect(found).toEqual([]);
    } finally {
      single.disconnect();
    }
  });

  it('keeps the recurring sweeps as one job scheduler each, and runs them on the cluster', async () => {
    const maintenance = t.api.get(QueueRegistry).get(QUEUES.maintenance);
    const schedulers = await maintenance.getJobSchedulers();
    const sweeps = schedulers.filter((s) => s.key.startsWith('reconcile-'));
    expect(sweeps.map((s) => [s.key, Number(s.every)]).sort()).toEqual([
      ['reconcile-ledger', 3000],
      ['reconcile-routing', 2000],
    ]);
    expect(JOB_QUEUE['reconcile-routing']).toBe(QUEUES.maintenance);
    // The routing sweep (every 2 s) has run at least twice on the cluster's queue.
    await eventually(async () => (await maintenance.getJobCounts('completed')).completed >= 2, 15_000, 200);
  });
});
