import { DataSource } from 'typeorm';
import { OutboxRelayService, OutboxService, QUEUES, QueueRegistry } from '@tandem/jobs';
import { SettlementAuditService } from '@tandem/settlement';
import { clearQueues, describeIfRedis, eventually } from '@tandem/testing';
import { OrderFixtures, fees } from '../libs/settlement/src/testing/order-fixtures';
import { createNetwork, register } from './support/community';
import { TandemHarness } from './support/tandem';

const BALANCE = `query($m: ID!) { balance(memberId: $m, currency: "USD") { owedToHub { amount } owedByHub { amount } } }`;

/**
 * Crash safety against the real PostgreSQL and Redis. Orders are written as the
 * routing lib's fulfilOrder / refundOrder leave them (status, frozen fees and an
 * outbox job in one transaction), so the suite does not depend on routing.
 */
describe('ledger crash safety', () => {
  let t: TandemHarness;
  let ds: DataSource;
  let fx: OrderFixtures;

  beforeAll(async () => {
    t = await TandemHarness.start('ledger-crash');
    ds = t.api.get(DataSource);
    fx = new OrderFixtures(ds);
  });
  afterAll(() => t.stop());

  async function community(name: string) {
    const net = await createNetwork(t, name);
    const client = await register(t, net.op, 'Client', ['CLIENT']);
    const supplier = await register(t, net.op, 'Supplier', ['SUPPLIER']);
    return { ...net, client: client.id, supplier: supplier.id };
  }

  /** n orders fulfilled (and some refunded), each with its job in the outbox, committed together. */
  async function fulfilOrders(c: { id: string; client: string; supplier: string }, n: number, opts: { refunded?: number; relayed?: boolean } = {}) {
    const ids: string[] = [];
    for (let i = 0; i < n; i++) {
      ids.push(await fx.order(c.id, c.client, c.supplier, fees(12000n), i < (opts.refunded ?? 0) ? 'REFUNDED' : 'FULFILLED'));
    }
    await ds.transaction(async (em) => {
      const outbox = t.api.get(OutboxService);
      for (const [i, orderId] of ids.entries()) {
        await outbox.enqueue(em, 'post-fulfilment', { orderId });
        if (i < (opts.refunded ?? 0)) await outbox.enqueue(em, 'post-refund', { orderId });
      }
      // "Relayed": the jobs reached Redis before it lost them.
      if (opts.relayed) await em.query(`UPDATE outbox SET relayed_at = now() WHERE relayed_at IS NULL`);
    });
    return ids;
  }

  async function entries(orderIds: string[]): Promise<string[]> {
    const rows: { idempotency_key: string }[] = await ds.query(`SELECT idempotency_key FROM journal_entries WHERE order_id = ANY($1::uuid[])`, [orderIds]);
    return rows.map((r) => r.idempotency_key);
  }

  async function owed(op: string, memberId: string) {
    const { balance } = await t.ok(BALANCE, { m: memberId }, op);
    return [balance.owedToHub.amount, balance.owedByHub.amount];
  }

  const ledgerQueue = () => t.api.get(QueueRegistry).get(QUEUES.ledger);

  it('posts every order exactly once when the worker is closed mid-posting and restarted', async () => {
    // Enough orders for several batches: one batch may hold up to 250 of them.
    const ORDERS = 600;
    const c = await community('Crash');
    const orders = await fulfilOrders(c, ORDERS);
    await eventually(async () => (await entries(orders)).length > 0, 5000, 5);
    await t.stopWorker(); // as a deploy or crash would, with jobs still queued
    const atStop = (await entries(orders)).length;

    await t.startWorker();
    await eventually(async () => (await entries(orders)).length === ORDERS, 30_000);
    const keys = await entries(orders);
    expect(new Set(keys).size).toBe(ORDERS);
    expect(keys.every((k) => k.endsWith(':fulfil'))).toBe(true);
    // The stop came mid-posting: some orders were posted before it, the rest after the restart.
    expect(atStop).toBeGreaterThan(0);
    expect(atStop).toBeLessThan(ORDERS);
    expect(await owed(c.op, c.client)).toEqual(['79200.00', '0.00']); // 600 x 132.00
    expect(await owed(c.op, c.supplier)).toEqual(['0.00', '68400.00']); // 600 x 114.00

    // At-least-once delivery: the same jobs delivered again post nothing.
    const queue = ledgerQueue();
    await queue.addBulk(orders.slice(0, 20).map((orderId, i) => ({ name: 'post-fulfilment', data: { orderId }, opts: { jobId: `again-${i}` } })));
    await eventually(async () => {
      const states = await Promise.all(orders.slice(0, 20).map((_, i) => queue.getJobState(`again-${i}`)));
      return states.every((s) => s === 'completed');
    }, 5000);
    expect((await entries(orders)).length).toBe(ORDERS);
    expect(await owed(c.op, c.client)).toEqual(['79200.00', '0.00']);
    expect(await t.api.get(SettlementAuditService).audit(c.id)).toEqual([]);
  });

  // Redis losing its keys (a flush, a failover) is a Redis failure; on PostgreSQL the queues share the data's fate.
  describeIfRedis('when Redis loses its keys', () => {
    it('loses nothing when Redis is flushed between fulfilment and posting', async () => {
      const c = await community('Flush');
      await t.stopWorker();
      const orders = await fulfilOrders(c, 12, { refunded: 4 });
      // The jobs reach Redis (the relay marks them sent), then Redis loses them.
      expect(await t.api.get(OutboxRelayService).relayOnce()).toBe(16);
      expect(await ledgerQueue().getJobCountByTypes('wait', 'delayed')).toBe(16);
      await clearQueues(t.config.redisUrl, t.config.queuePrefix);
      expect(await ledgerQueue().getJobCountByTypes('wait', 'delayed')).toBe(0);

      await t.startWorker(); // registers the 'reconcile-ledger' job scheduler
      await eventually(async () => (await entries(orders)).length === 16, 10_000);
      expect(await owed(c.op, c.client)).toEqual(['1056.00', '0.00']); // 8 kept x 132.00
      expect(await owed(c.op, c.supplier)).toEqual(['0.00', '912.00']); // 8 x 114.00
      expect(await t.api.get(SettlementAuditService).audit(c.id)).toEqual([]);
    });

    it('recovers while running: lost jobs and a flushed scheduler are put back by the worker', async () => {
      const c = await community('Running');
      const first = await fulfilOrders(c, 5, { relayed: true }); // their jobs never reach the queue
      await eventually(async () => (await entries(first)).length === 5, 10_000);

      await clearQueues(t.config.redisUrl, t.config.queuePrefix); // the schedulers are gone too
      const second = await fulfilOrders(c, 5, { relayed: true, refunded: 2 });
      // The worker's schedule keeper re-registers the sweep (every 10 s), which then posts them.
      await eventually(async () => (await entries(second)).length === 7, 20_000, 200);
      expect(await owed(c.op, c.client)).toEqual(['1056.00', '0.00']); // 8 x 132.00
      expect(await t.api.get(SettlementAuditService).audit(c.id)).toEqual([]);
    });
  });
});
