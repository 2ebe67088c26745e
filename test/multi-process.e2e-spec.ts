import { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { OutboxService, QUEUES, queueConnectionOptions } from '@tandem/jobs';
import { dataSourceOptions } from '@tandem/persistence';
import { eventually } from '@tandem/testing';
import { OrderFixtures, fees } from '../libs/settlement/src/testing/order-fixtures';
import { Q, buildCircles, createNetwork, issueKey, register, vet } from './support/community';
import { ProcessFleet } from './support/process-fleet';
import type { TandemHarness } from './support/tandem';

const MONEY = 'amount currency';
const ORDER = `id status supplier { id } routing { reason }`;
const PLACE = `mutation($input: OrderInput!) { placeOrder(input: $input) { ${ORDER} } }`;
const GET = `query($id: ID!) { order(id: $id) { ${ORDER} } }`;
const LIST = `{ orders(first: 100) { totalCount edges { node { ${ORDER} } } } }`;
const ACCEPT = `mutation($id: ID!) { acceptOrder(orderId: $id) { id status } }`;
const FULFIL = `mutation($id: ID!) { fulfilOrder(orderId: $id) { id status } }`;
const BALANCE = `query($m: ID!) { balance(memberId: $m, currency: "USD") { owedToHub { ${MONEY} } owedByHub { ${MONEY} } } }`;
const TRIAL = `{ trialBalance(currency: "USD") { balanced debits { ${MONEY} } credits { ${MONEY} } } }`;
const ME = `{ me { id name } }`;
const REVOKE = `mutation($keyId: ID!) { revokeApiKey(keyId: $keyId) { id revokedAt } }`;

const inDays = (d: number) => new Date(Date.now() + d * 86_400_000).toISOString();
let seq = 0;

/**
 * Two API processes and two workers on one PostgreSQL and one queue store, as
 * `npm start -- --api 2 --workers 2` runs them: every invariant that held in one
 * process holds across them, and losing a process loses and doubles nothing.
 */
describe('two APIs and two workers', () => {
  let fleet: ProcessFleet;
  /** The community helpers take a harness; the fleet answers the same calls, spread over both APIs. */
  let h: TandemHarness;

  beforeAll(async () => {
    fleet = await ProcessFleet.start('multi-process', { apis: 2, workers: 2 });
    h = fleet as unknown as TandemHarness;
  }, 180_000);
  afterAll(() => fleet?.stop());

  const order = (id: string, op: string, api?: number) => fleet.ok(GET, { id }, op, api).then((r) => r.order);
  const basket = (over: Record<string, unknown> = {}) => ({
    category: 'gift-baskets',
    region: 'US-NY',
    quantity: 1,
    deliverBy: inDays(3),
    budget: { amount: '150', currency: 'USD' },
    idempotencyKey: `mp-${++seq}`,
    ...over,
  });
  const offeredTo = (id: string, op: string) =>
    eventually(
      async () => {
        const o = await order(id, op);
        return o.status !== 'ROUTING' && o;
      },
      15_000,
      100,
    );

  it('makes one order of the same idempotency key sent concurrently to both APIs', async () => {
    const c = await buildCircles(h, 'Idempotent');
    const input = basket({ idempotencyKey: 'both-apis' });
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => fleet.gql(PLACE, { input }, c.keys.client, i % 2)));
    expect(results.map((r) => r.errors)).toEqual(Array(10).fill(undefined));
    expect(new Set(results.map((r) => r.data.placeOrder.id)).size).toBe(1);
    const rows = await fleet.sql(`SELECT count(*)::int AS n FROM orders WHERE network_id = $1 AND idempotency_key = 'both-apis'`, [c.networkId]);
    expect(rows).toEqual([{ n: 1 }]);
  });

  it('offers exactly 10 of 40 orders sent across both APIs to a supplier with capacity 10', async () => {
    const { op } = await createNetwork(h, 'Capacity');
    const solo = await register(h, op, 'Solo Cakes', ['SUPPLIER']);
    await vet(h, op, solo.id);
    await fleet.ok(
      Q.addCapability,
      {
        input: {
          supplierId: solo.id,
          category: 'cakes',
          regions: ['US-NY'],
          dailyCapacity: 10,
          leadTimeHours: 24,
          unitPrice: { amount: '100', currency: 'USD' },
        },
      },
      op,
    );
    const buyer = await register(h, op, 'Buyer', ['CLIENT']);
    const buyerKey = await issueKey(h, op, buyer.id);
    const deliverBy = inDays(2);
    const placed = await Promise.all(
      Array.from({ length: 40 }, (_, i) => fleet.ok(PLACE, { input: basket({ category: 'cakes', deliverBy }) }, buyerKey, i % 2).then((r) => r.placeOrder)),
    );
    const settled = await eventually(
      async () => {
        const nodes = (await fleet.ok(LIST, {}, op)).orders.edges.map((e: any) => e.node);
        return nodes.length === 40 && nodes.every((o: any) => o.status !== 'ROUTING') && nodes;
      },
      30_000,
      200,
    );
    expect(new Set(settled.map((o: any) => o.id))).toEqual(new Set(placed.map((o) => o.id)));
    expect(settled.filter((o: any) => o.status === 'OFFERED').map((o: any) => o.supplier.id)).toEqual(Array(10).fill(solo.id));
    const unroutable = settled.filter((o: any) => o.status === 'UNROUTABLE');
    expect(unroutable).toHaveLength(30);
    expect(unroutable.every((o: any) => o.routing[0].reason === 'CAPACITY')).toBe(true);
  });

  it('fulfils once of 10 concurrent fulfilOrder across both APIs and posts once', async () => {
    const c = await buildCircles(h, 'Fulfil once');
    const { placeOrder } = await fleet.ok(PLACE, { input: basket() }, c.keys.client);
    expect((await offeredTo(placeOrder.id, c.op)).supplier.id).toBe(c.supplier.id);
    await fleet.ok(ACCEPT, { id: placeOrder.id }, c.keys.supplier, 1);
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => fleet.gql(FULFIL, { id: placeOrder.id }, c.keys.supplier, i % 2)));
    const outcomes = results.map((r) => r.data?.fulfilOrder?.status ?? r.errors?.[0]?.extensions?.code).sort();
    expect(outcomes).toEqual([
      'BAD_USER_INPUT',
      'BAD_USER_INPUT',
      'BAD_USER_INPUT',
      'BAD_USER_INPUT',
      'BAD_USER_INPUT',
      'BAD_USER_INPUT',
      'BAD_USER_INPUT',
      'BAD_USER_INPUT',
      'BAD_USER_INPUT',
      'FULFILLED',
    ]);
    await eventually(async () => (await fleet.ok(BALANCE, { m: c.client.id }, c.op)).balance.owedToHub.amount === '132.00', 10_000);
    const entries = await fleet.sql(`SELECT idempotency_key FROM journal_entries WHERE order_id = $1`, [placeOrder.id]);
    expect(entries).toEqual([{ idempotency_key: `order:${placeOrder.id}:fulfil` }]);
    expect((await fleet.ok(BALANCE, { m: c.supplier.id }, c.op, 0)).balance.owedByHub.amount).toBe('114.00');
  });

  it('refuses a key revoked through API 1 on the very next request to API 2', async () => {
    const { op } = await createNetwork(h, 'Revocation');
    const member = await register(h, op, 'Leaky Client', ['CLIENT']);
    const key = await issueKey(h, op, member.id);
    // Both APIs know the key (and remember it).
    for (const api of [0, 1, 0, 1]) expect((await fleet.ok(ME, {}, key, api)).me.name).toBe('Leaky Client');
    const [{ id: keyId }] = (await fleet.ok(Q.apiKeys, { memberId: member.id }, op, 0)).apiKeys;
    expect((await fleet.ok(REVOKE, { keyId }, op, 0)).revokeApiKey.id).toBe(keyId);
    expect(await fleet.code(ME, {}, key, 1)).toBe('UNAUTHENTICATED');
    expect(await fleet.code(ME, {}, key, 0)).toBe('UNAUTHENTICATED');
    // The operator's key, untouched, still works on both.
    for (const api of [0, 1]) expect((await fleet.gql(`{ network { id } }`, {}, op, api)).errors).toBeUndefined();
  });

  it('refuses a role removed through API 1 on the very next request to API 2', async () => {
    const { op } = await createNetwork(h, 'Role change');
    const member = await register(h, op, 'Baker and Buyer', ['SUPPLIER', 'CLIENT']);
    const key = await issueKey(h, op, member.id);
    const nowhere = '00000000-0000-4000-8000-000000000000';
    // Both APIs remember the key as a supplier's: accepting an unknown order gets past the role check to NOT_FOUND.
    for (const api of [0, 1, 0, 1]) expect(await fleet.code(ACCEPT, { id: nowhere }, key, api)).toBe('NOT_FOUND');
    expect((await fleet.ok(Q.setMemberRoles, { memberId: member.id, roles: ['CLIENT'] }, op, 0)).setMemberRoles.roles).toEqual(['CLIENT']);
    expect(await fleet.code(ACCEPT, { id: nowhere }, key, 1)).toBe('FORBIDDEN');
    expect(await fleet.code(ACCEPT, { id: nowhere }, key, 0)).toBe('FORBIDDEN');
    // The key itself still works, in the role the member kept.
    for (const api of [1, 0]) expect((await fleet.ok(ME, {}, key, api)).me.name).toBe('Baker and Buyer');
  });

  it('runs each recurring sweep once per schedule with two workers', async () => {
    const queue = new Queue(QUEUES.maintenance, queueConnectionOptions(fleet.config));
    try {
      const sweeps = (await queue.getJobSchedulers()).filter((s) => s.key.startsWith('reconcile-'));
      expect(sweeps.map((s) => s.key).sort()).toEqual(['reconcile-ledger', 'reconcile-routing']);
      const runs = await eventually(
        async () => {
          const done = (await queue.getJobs(['completed'], 0, 200)).filter((j) => j.name === 'reconcile-routing');
          return done.length >= 3 && done;
        },
        20_000,
        250,
      );
      // One job per tick of the 2 s schedule, whichever worker took it: no tick twice.
      const ticks = runs.map((j) => Number(/^repeat:reconcile-routing:(\d+)$/.exec(j.id ?? '')?.[1]));
      expect(ticks.every((t) => Number.isInteger(t) && t > 0)).toBe(true);
      expect(new Set(ticks).size).toBe(ticks.length);
      expect(ticks.every((t) => t % 2000 === ticks[0] % 2000)).toBe(true);
    } finally {
      await queue.close();
    }
  });

  it('posts every fulfilled order exactly once when one worker is killed (SIGKILL) mid-load', async () => {
    const { id: networkId, op } = await createNetwork(h, 'Kill a worker');
    const client = await register(h, op, 'Client', ['CLIENT']);
    const supplier = await register(h, op, 'Supplier', ['SUPPLIER']);
    const ds = new DataSource(dataSourceOptions({ url: fleet.databaseUrl, poolSize: 4, applicationName: 'tandem-test-fixtures' }));
    await ds.initialize();
    // Each worker posts up to 250 entries a commit: 1,000 orders take both several commits, so the kill lands mid-load.
    const n = 1000;
    try {
      const fx = new OrderFixtures(ds);
      const ids: string[] = [];
      for (let i = 0; i < n; i += 4) {
        ids.push(...(await Promise.all(Array.from({ length: 4 }, () => fx.order(networkId, client.id, supplier.id, fees(12000n))))));
      }
      // Every job in one commit: both workers take their share at once.
      await ds.transaction(async (em) => {
        const outbox = new OutboxService(ds);
        for (const orderId of ids) await outbox.enqueue(em, 'post-fulfilment', { orderId });
      });
      const posted = async () =>
        (await fleet.sql<{ n: number }>(`SELECT count(*)::int AS n FROM journal_entries WHERE order_id = ANY($1::uuid[])`, [ids]))[0].n;
      await eventually(async () => (await posted()) > 0, 15_000, 5);
      fleet.workers[0].child.kill('SIGKILL');
      expect(await posted()).toBeLessThan(n);

      await eventually(async () => (await posted()) === n, 60_000, 200);
      const keys = await fleet.sql<{ k: string; n: number }>(
        `SELECT idempotency_key AS k, count(*)::int AS n FROM journal_entries WHERE order_id = ANY($1::uuid[]) GROUP BY 1`,
        [ids],
      );
      expect(keys).toHaveLength(n);
      expect(keys.every((r) => r.n === 1 && r.k.endsWith(':fulfil'))).toBe(true);
      expect((await fleet.ok(BALANCE, { m: client.id }, op)).balance.owedToHub.amount).toBe('132000.00'); // 1,000 x 132.00
      expect((await fleet.ok(BALANCE, { m: supplier.id }, op)).balance.owedByHub.amount).toBe('114000.00'); // 1,000 x 114.00
      const { trialBalance } = await fleet.ok(TRIAL, {}, op);
      expect(trialBalance.balanced).toBe(true);
      expect(trialBalance.debits).toEqual(trialBalance.credits);
    } finally {
      await ds.destroy();
    }
  });

  it('keeps answering on the other API when one API process is killed', async () => {
    const c = await buildCircles(h, 'Kill an API');
    fleet.apis[0].service.child.kill('SIGKILL');
    await new Promise<void>((resolve) =>
      fleet.apis[0].service.child.exitCode !== null || fleet.apis[0].service.child.signalCode !== null
        ? resolve()
        : fleet.apis[0].service.child.once('exit', () => resolve()),
    );
    expect(
      await fleet.gql(ME, {}, c.keys.client, 0).then(
        () => 'answered',
        () => 'refused',
      ),
    ).toBe('refused');
    const { placeOrder } = await fleet.ok(PLACE, { input: basket() }, c.keys.client, 1);
    const offered = await eventually(
      async () => {
        const o = await order(placeOrder.id, c.op, 1);
        return o.status === 'OFFERED' && o;
      },
      15_000,
      100,
    );
    expect(offered.supplier.id).toBe(c.supplier.id);
    expect((await fleet.ok(ME, {}, c.keys.client, 1)).me.id).toBe(c.client.id);
  });
});
