import { Job, Queue, Worker } from 'bullmq';
import { DataSource } from 'typeorm';
import { DEFAULT_JOB_OPTIONS, JOB_QUEUE, OutboxRelayService, OutboxService, QUEUES, QueueRegistry, queueConnectionOptions, queueSchema } from '@tandem/jobs';
import { eventually } from '@tandem/testing';
import { OrderFixtures, fees } from '../libs/settlement/src/testing/order-fixtures';
import { Q, createNetwork, issueKey, register, vet } from './support/community';
import { TandemHarness } from './support/tandem';

const ORDER = `id status supplier { id name } routing { supplier { name } eligible reason }`;
const PLACE = `mutation($input: OrderInput!) { placeOrder(input: $input) { ${ORDER} } }`;
const GET = `query($id: ID!) { order(id: $id) { ${ORDER} } }`;
const ACCEPT = `mutation($id: ID!) { acceptOrder(orderId: $id) { id status } }`;
const FULFIL = `mutation($id: ID!) { fulfilOrder(orderId: $id) { id status } }`;
const BALANCE = `query($m: ID!) { balance(memberId: $m, currency: "USD") { owedToHub { amount } owedByHub { amount } } }`;

const inDays = (d: number) => new Date(Date.now() + d * 86_400_000).toISOString();
let keySeq = 0;

/**
 * The job queues on PostgreSQL (BullMQ's PostgreSQL backend, TANDEM_QUEUE_STORE=postgres),
 * whatever TEST_QUEUE_STORE says: what the contract relies on behaves as on Redis.
 */
describe('queues on PostgreSQL', () => {
  let t: TandemHarness;
  let ds: DataSource;

  beforeAll(async () => {
    t = await TandemHarness.start('queue-store-postgres', { config: { queueStore: 'postgres' } });
    ds = t.api.get(DataSource);
  });
  afterAll(() => t.stop());

  async function supplier(op: string, name: string, price: string, offerTimeoutSeconds?: number) {
    const m = await register(t, op, name, ['SUPPLIER']);
    await vet(t, op, m.id);
    const input = {
      supplierId: m.id,
      category: 'cakes',
      regions: ['US-NY'],
      dailyCapacity: 10,
      leadTimeHours: 24,
      unitPrice: { amount: price, currency: 'USD' },
    };
    await t.ok(Q.addCapability, { input }, op);
    if (offerTimeoutSeconds) await t.ok(Q.setMemberTerms, { memberId: m.id, input: { offerTimeoutSeconds } }, op);
    return { id: m.id, key: await issueKey(t, op, m.id) };
  }

  async function buyer(op: string) {
    const m = await register(t, op, 'Client', ['CLIENT']);
    return { id: m.id, key: await issueKey(t, op, m.id) };
  }

  async function place(key: string) {
    const input = {
      category: 'cakes',
      region: 'us-ny',
      quantity: 1,
      deliverBy: inDays(3),
      budget: { amount: '150', currency: 'USD' },
      idempotencyKey: `q-${++keySeq}`,
    };
    return (await t.ok(PLACE, { input }, key)).placeOrder;
  }

  const order = async (op: string, id: string) => (await t.ok(GET, { id }, op)).order;

  it('keeps the queues in their own PostgreSQL schema and reports them as "queues" on /health', async () => {
    const health = await fetch(`${t.url}/health`);
    expect(health.status).toBe(200);
    const body = (await health.json()) as { info: Record<string, { status: string }> };
    expect(body.info).toMatchObject({ postgres: { status: 'up' }, queues: { status: 'up' } });
    expect(body.info.redis).toBeUndefined();

    const schema = queueSchema(t.config.queuePrefix);
    const tables: { tablename: string }[] = await ds.query(`SELECT tablename FROM pg_tables WHERE schemaname = $1`, [schema]);
    expect(tables.map((r) => r.tablename)).toEqual(expect.arrayContaining(['job', 'scheduler', 'migration']));
    // None of BullMQ's tables is in the application's schema.
    const mixed: unknown[] = await ds.query(`SELECT 1 FROM pg_tables WHERE schemaname = 'public' AND tablename IN ('job', 'scheduler', 'meta')`);
    expect(mixed).toEqual([]);
  });

  it('routes an order through the outbox relay, and posts its fulfilment', async () => {
    const { op } = await createNetwork(t, 'Relay');
    const baker = await supplier(op, 'Baker', '100');
    const client = await buyer(op);
    const placed = await place(client.key);
    expect(placed.status).toBe('ROUTING');

    const offered = await eventually(async () => {
      const o = await order(op, placed.id);
      return o.status === 'OFFERED' && o;
    });
    expect(offered.supplier.id).toBe(baker.id);
    // The route-order job ran from BullMQ's job table, under the outbox row's id.
    // The order is OFFERED as the job's transaction commits; BullMQ marks the job completed just after.
    const routed = await eventually(async () => {
      const [job] = await ds.query(`SELECT state FROM ${queueSchema(t.config.queuePrefix)}.job WHERE queue = 'routing' AND name = 'route-order' LIMIT 1`);
      return job?.state === 'completed' && job;
    });
    expect(routed).toEqual({ state: 'completed' });

    expect((await t.ok(ACCEPT, { id: placed.id }, baker.key)).acceptOrder.status).toBe('ACCEPTED');
    expect((await t.ok(FULFIL, { id: placed.id }, baker.key)).fulfilOrder.status).toBe('FULFILLED');
    const balance = await eventually(async () => {
      const b = (await t.ok(BALANCE, { m: client.id }, op)).balance;
      return b.owedToHub.amount !== '0.00' && b;
    });
    expect(balance.owedToHub.amount).toBe('110.00'); // 100.00 + 10 % client fee
    expect((await t.ok(BALANCE, { m: baker.id }, op)).balance.owedByHub.amount).toBe('95.00'); // 100.00 - 5 %
  });

  it('expires an unanswered offer (a delayed job) and moves the order on', async () => {
    const { op } = await createNetwork(t, 'Expiry');
    const quick = await supplier(op, 'Quick Cakes', '100', 1);
    const backup = await supplier(op, 'Backup Cakes', '130');
    const client = await buyer(op);
    const { id } = await place(client.key);

    const first = await eventually(async () => {
      const o = await order(op, id);
      return o.status === 'OFFERED' && o;
    });
    expect(first.supplier.id).toBe(quick.id);
    const moved = await eventually(async () => {
      const o = await order(op, id);
      return o.supplier?.id === backup.id && o;
    }, 6000);
    expect(moved.routing.map((r: any) => [r.supplier.name, r.eligible, r.reason])).toEqual([
      ['Quick Cakes', false, 'EXPIRED'],
      ['Backup Cakes', true, null],
    ]);
  });

  it('fires the recurring ledger sweep, which posts an order whose job was lost', async () => {
    const fx = new OrderFixtures(ds);
    const networkId = await fx.network();
    const client = await fx.member(networkId, ['CLIENT']);
    const seller = await fx.member(networkId, ['SUPPLIER']);
    const orderId = await fx.order(networkId, client, seller, fees(12000n));
    // Its post-fulfilment job is marked sent but never reached the queue: only the sweep can post it.
    await ds.transaction(async (em) => {
      await t.api.get(OutboxService).enqueue(em, 'post-fulfilment', { orderId });
      await em.query(`UPDATE outbox SET relayed_at = now() WHERE relayed_at IS NULL`);
    });

    const sweeps = t.api.get(QueueRegistry).get(JOB_QUEUE['reconcile-ledger']);
    expect(Number((await sweeps.getJobScheduler('reconcile-ledger'))?.every)).toBeGreaterThan(0);
    const posted = await eventually(
      async () => {
        const rows: { idempotency_key: string }[] = await ds.query(`SELECT idempotency_key FROM journal_entries WHERE order_id = $1`, [orderId]);
        return rows.length > 0 && rows;
      },
      15_000,
      200,
    );
    expect(posted.map((r) => r.idempotency_key)).toEqual([`order:${orderId}:fulfil`]);
  });

  describe('BullMQ on the deployment settings', () => {
    const name = 'queue-store-check';
    let queue: Queue;
    let worker: Worker | undefined;
    beforeAll(() => {
      queue = new Queue(name, queueConnectionOptions(t.config));
    });
    afterEach(async () => {
      await worker?.close();
      worker = undefined;
    });
    afterAll(() => queue.close());

    it('retries a failing job with backoff until it succeeds', async () => {
      const attempts: number[] = [];
      worker = new Worker(
        name,
        async (job: Job) => {
          attempts.push(Date.now());
          if (job.attemptsMade < 2) throw new Error(`transient failure ${job.attemptsMade + 1}`);
          return 'done';
        },
        queueConnectionOptions(t.config),
      );
      await queue.add('flaky', {}, { ...DEFAULT_JOB_OPTIONS, jobId: 'flaky-1' });
      await eventually(async () => (await queue.getJobState('flaky-1')) === 'completed');
      const job = await queue.getJob('flaky-1');
      expect(job?.attemptsMade).toBe(3);
      expect(job?.returnvalue).toBe('done');
      expect(attempts).toHaveLength(3);
      // Exponential backoff from 200 ms: the retries wait about 200 ms, then 400 ms.
      expect(attempts[1] - attempts[0]).toBeGreaterThanOrEqual(150);
      expect(attempts[2] - attempts[1]).toBeGreaterThanOrEqual(300);
    });

    it('runs a job enqueued twice under the same id once', async () => {
      const seen: string[] = [];
      await queue.add('once', { n: 1 }, { ...DEFAULT_JOB_OPTIONS, jobId: 'same-id' });
      await queue.addBulk([{ name: 'once', data: { n: 2 }, opts: { ...DEFAULT_JOB_OPTIONS, jobId: 'same-id' } }]);
      expect(await queue.getJobCountByTypes('wait', 'delayed')).toBe(1);
      worker = new Worker(name, async (job: Job) => void seen.push(`${job.id}:${job.data.n}`), queueConnectionOptions(t.config));
      await eventually(async () => (await queue.getJobState('same-id')) === 'completed');
      await queue.add('once', { n: 3 }, { ...DEFAULT_JOB_OPTIONS, jobId: 'same-id' }); // kept for dedupe after it ran
      await eventually(async () => (await queue.getJobCountByTypes('wait', 'delayed', 'active')) === 0);
      expect(seen).toEqual(['same-id:1']);
    });
  });

  it('keeps an outbox job re-sent after a crash (same outbox id) as one job, posted once', async () => {
    const fx = new OrderFixtures(ds);
    const networkId = await fx.network();
    const client = await fx.member(networkId, ['CLIENT']);
    const seller = await fx.member(networkId, ['SUPPLIER']);
    await t.stopWorker();
    const orderId = await fx.order(networkId, client, seller, fees(12000n));
    await ds.transaction((em) => t.api.get(OutboxService).enqueue(em, 'post-fulfilment', { orderId }));
    const relay = t.api.get(OutboxRelayService);
    const ledger = t.api.get(QueueRegistry).get(QUEUES.ledger);
    const before = await ledger.getJobCountByTypes('wait', 'delayed');
    expect(await relay.relayOnce()).toBe(1);
    // A crash between enqueue and marking the row relayed: the row goes out again.
    await ds.query(`UPDATE outbox SET relayed_at = NULL WHERE payload->>'orderId' = $1`, [orderId]);
    expect(await relay.relayOnce()).toBe(1);
    expect((await ledger.getJobCountByTypes('wait', 'delayed')) - before).toBe(1);

    await t.startWorker();
    const rows = await eventually(async () => {
      const r: { idempotency_key: string }[] = await ds.query(`SELECT idempotency_key FROM journal_entries WHERE order_id = $1`, [orderId]);
      return r.length > 0 && r;
    });
    expect(rows).toEqual([{ idempotency_key: `order:${orderId}:fulfil` }]);
  });
});
