import { randomUUID } from 'node:crypto';
import { Job } from 'bullmq';
import { DataSource } from 'typeorm';
import { NetworkCaller } from '@tandem/auth';
import { Clock } from '@tandem/common';
import { OfferService } from './order/offer.service';
import { OrderEntity } from './order/order.entity';
import { OrderIntakeService } from './order/order-intake.service';
import { ROUTING_CONNECTIONS, RoutingConnectionGate } from './routing-connection-gate';
import { RoutingJobs } from './routing-jobs';
import { RoutingTestApp, startRoutingApp } from './testing/routing-test-app.test-support';

describe('route-order jobs: the shared ROUTING check', () => {
  let t: RoutingTestApp;

  beforeAll(async () => {
    t = await startRoutingApp('routing-jobs');
  });
  afterAll(() => t.close());

  /** A network with one vetted supplier of cakes (room for `capacity` a day) and a client; `place` puts in an order. */
  async function network(capacity = 10) {
    const networkId = randomUUID();
    await t.insertNetwork(networkId);
    const op: NetworkCaller = { kind: 'OPERATOR', networkId, keyId: 'test-key' };
    const [client, supplier] = [randomUUID(), randomUUID()];
    await t.ds().query(
      `INSERT INTO members (id, network_id, name, roles, vetting_status, term_overrides, joined_at)
       VALUES ($1, $3, 'Client', ARRAY['CLIENT'], NULL, '{}', now()), ($2, $3, 'Supplier', ARRAY['SUPPLIER'], 'VETTED', '{}', now())`,
      [client, supplier, networkId],
    );
    await t.ds().query(
      `INSERT INTO capabilities (id, network_id, supplier_id, category, regions, daily_capacity, lead_time_hours, unit_price_minor, currency)
       VALUES ($1, $2, $3, 'cakes', ARRAY['US-NY'], $4, 1, 10000, 'USD')`,
      [randomUUID(), networkId, supplier, capacity],
    );
    const place = async (key: string) =>
      (
        await t.app.get(OrderIntakeService).place(op, {
          clientId: client,
          category: 'cakes',
          region: 'US-NY',
          quantity: 1,
          deliverBy: new Date(Date.now() + 3 * 86_400_000),
          budget: { amount: '500', currency: 'USD' },
          idempotencyKey: key,
        })
      ).id;
    return { networkId, place };
  }

  it('checks the jobs that start together in one statement, and routes exactly those whose order is in ROUTING', async () => {
    const { networkId, place } = await network();
    const routing = [await place('a'), await place('b')];
    const cancelled = await place('c');
    await t.ds().query(`UPDATE orders SET status = 'CANCELLED', cancelled_at = now() WHERE id = $1`, [cancelled]);

    const jobs = t.app.get(RoutingJobs);
    const passes = jest.spyOn(t.app.get(OfferService), 'routeOrder');
    const reads = jest.spyOn(t.app.get(DataSource), 'query');
    try {
      // An upper-case id is the same order; an id of no order has nothing to route, and one that is no UUID is refused.
      const ids = [routing[0], routing[1].toUpperCase(), cancelled, randomUUID(), 'not-an-order'];
      const outcomes = await Promise.allSettled(
        ids.map((orderId) => jobs.routing['route-order']({ orderId }, { data: { orderId } } as Job<{ orderId: string }>)),
      );
      // The malformed id fails its own job only.
      expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'fulfilled', 'rejected']);
      expect((outcomes[4] as PromiseRejectedResult).reason).toEqual(new Error('route-order: not-an-order is not an order id'));
      const checks = reads.mock.calls.filter(([sql]) => String(sql).includes(`status = 'ROUTING'`) && String(sql).includes('ANY'));
      expect(checks).toHaveLength(1);
      expect(checks[0][1]).toEqual([[routing[0], routing[1].toUpperCase(), cancelled, ids[3]]]);
      expect(passes.mock.calls.map(([id]) => id)).toEqual([routing[0], routing[1].toUpperCase()]);
    } finally {
      passes.mockRestore();
      reads.mockRestore();
    }
    const statuses = await t.ds().manager.findBy(OrderEntity, { networkId });
    expect(Object.fromEntries(statuses.map((o) => [o.id, o.status]))).toEqual({ [routing[0]]: 'OFFERED', [routing[1]]: 'OFFERED', [cancelled]: 'CANCELLED' });
  });

  it('runs at most ROUTING_CONNECTIONS routing passes at once, however many jobs the queue runs', async () => {
    const { networkId, place } = await network(20);
    const ids: string[] = [];
    for (let i = 0; i < 12; i++) ids.push(await place(`many-${i}`));
    const offers = t.app.get(OfferService);
    const route = offers.routeOrder.bind(offers);
    let running = 0;
    let most = 0;
    const passes = jest.spyOn(offers, 'routeOrder').mockImplementation(async (orderId) => {
      most = Math.max(most, ++running);
      try {
        // Long enough that every job reaches the gate while the first passes still hold their connections.
        await new Promise((r) => setTimeout(r, 30));
        return await route(orderId);
      } finally {
        running--;
      }
    });
    try {
      const jobs = t.app.get(RoutingJobs);
      await Promise.all(ids.map((orderId) => jobs.routing['route-order']({ orderId }, { data: { orderId } } as Job<{ orderId: string }>)));
    } finally {
      passes.mockRestore();
    }
    expect(most).toBe(ROUTING_CONNECTIONS);
    const statuses = await t.ds().manager.findBy(OrderEntity, { networkId });
    expect(statuses.map((o) => o.status)).toEqual(ids.map(() => 'OFFERED'));
  });
  it('holds no routing connection while an expiry that fired early waits for its offer to run out', async () => {
    const { networkId, place } = await network();
    const id = await place('early');
    await t.app.get(OfferService).routeOrder(id);
    const [{ offer_id: offerId, expires_at: expiresAt }] = (await t
      .ds()
      .query(`SELECT f.id AS offer_id, f.expires_at FROM orders o JOIN offers f ON f.id = o.current_offer_id WHERE o.id = $1`, [id])) as {
      offer_id: string;
      expires_at: Date;
    }[];
    // The job fires 400 ms before the offer runs out, as a delayed job on another clock may. The service's clock says
    // so when the job, having read its offer, works out how early it is (its first read), and says the offer's own
    // expiry at every read after that: the expiry then is due however long the machine takes, and never sooner.
    const clock = t.app.get(Clock);
    let inWait!: () => void;
    const waiting = new Promise<void>((r) => (inWait = r));
    const now = jest.spyOn(clock, 'now').mockImplementation(() => {
      if (now.mock.calls.length > 1) return new Date(expiresAt.getTime());
      inWait();
      return new Date(expiresAt.getTime() - 400);
    });
    try {
      const gate = t.app.get(RoutingConnectionGate);
      const expiry = t.app
        .get(RoutingJobs)
        .routing['expire-offer']({ orderId: id, offerId }, { data: { orderId: id, offerId } } as Job<{ orderId: string; offerId: string }>);
      let settled = false;
      void expiry.then(
        () => (settled = true),
        () => (settled = true),
      );
      // The job has read its offer and starts its wait, which only a timer ends: nothing of it may hold the gate now.
      await waiting;
      expect([settled, now.mock.calls.length]).toEqual([false, 1]);
      expect(gate.busy).toEqual({ running: 0, waiting: 0 });
      await expiry;
      expect(gate.busy).toEqual({ running: 0, waiting: 0 });
    } finally {
      now.mockRestore();
    }
    const [order] = await t.ds().manager.findBy(OrderEntity, { networkId });
    // The only supplier's offer expired and nobody else is eligible.
    expect([order.id, order.status]).toEqual([id, 'UNROUTABLE']);
  });
});
