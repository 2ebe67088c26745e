import { RoutingExplainerService } from './router/routing-explainer.service';
import { INestApplicationContext } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { NetworkCaller } from '@tandem/auth';
import { SupplierStatusListeners } from '@tandem/network';
import { TransactionRunner } from '@tandem/persistence';
import { HealthSnapshotService } from '@tandem/health';
import { HealthHistory } from '@tandem/health/testing';
import { orderFeesOf, storeFees } from '@tandem/settlement';
import { OfferService } from './order/offer.service';
import { OrderEntity } from './order/order.entity';
import { OrderIntakeService } from './order/order-intake.service';
import { OrderLifecycleService } from './order/order-lifecycle.service';
import { RoutingReconcileService } from './order/routing-reconcile.service';
import { SHORTLIST } from './router/candidate-finder.service';
import { RoutingPolicyService } from './router/routing-policy.service';
import { RoutingTestApp, startRoutingApp } from './testing/routing-test-app.test-support';

const DAY = 86_400_000;

describe('routing against PostgreSQL', () => {
  let app: INestApplicationContext;
  let t: RoutingTestApp;

  beforeAll(async () => {
    t = await startRoutingApp('routing-int', 12);
    app = t.app;
  });

  afterAll(() => t.close());

  const ds = () => app.get(DataSource);
  const offers = () => app.get(OfferService);
  const lifecycle = () => app.get(OrderLifecycleService);
  // The order with the breakdown settlement froze for it (order_fees), in its stored form.
  const order = async (id: string) => {
    const o = await ds().manager.findOneByOrFail(OrderEntity, { id });
    const fees = (await orderFeesOf(ds().manager, [id])).get(id);
    return Object.assign(o, { fees: fees ? storeFees(fees) : null });
  };

  /** A network with its own rows, inserted directly. */
  async function network(offerTimeoutSeconds = 900) {
    const id = randomUUID();
    await ds().query(
      `INSERT INTO networks (id, name, currency, client_fee_bps, supplier_fee_bps, partner_share_bps, partner_share_months, offer_timeout_seconds)
       VALUES ($1, 'Net', 'USD', 1000, 500, 2000, 12, $2)`,
      [id, offerTimeoutSeconds],
    );
    const op: NetworkCaller = { kind: 'OPERATOR', networkId: id, keyId: 'test-key' };
    const member = async (
      name: string,
      roles: string[],
      opts: { vetting?: string | null; referredById?: string; joinedAt?: Date; overrides?: Record<string, number> } = {},
    ) => {
      const memberId = randomUUID();
      const vetting = opts.vetting === undefined ? (roles.includes('SUPPLIER') ? 'VETTED' : null) : opts.vetting;
      await ds().query(
        `INSERT INTO members (id, network_id, name, roles, vetting_status, referred_by_id, term_overrides, joined_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [memberId, id, name, roles, vetting, opts.referredById ?? null, JSON.stringify(opts.overrides ?? {}), opts.joinedAt ?? new Date()],
      );
      return memberId;
    };
    const capability = async (supplierId: string, c: { capacity?: number; price?: bigint; regions?: string[]; category?: string } = {}) => {
      const capId = randomUUID();
      await ds().query(
        `INSERT INTO capabilities (id, network_id, supplier_id, category, regions, daily_capacity, lead_time_hours, unit_price_minor, currency)
         VALUES ($1, $2, $3, $4, $5, $6, 1, $7, 'USD')`,
        [capId, id, supplierId, c.category ?? 'cakes', c.regions ?? ['US-NY'], c.capacity ?? 10, (c.price ?? 10000n).toString()],
      );
      return capId;
    };
    let seq = 0;
    const place = async (clientId: string, deliverBy = new Date(Date.now() + 3 * DAY)) =>
      (
        await app.get(OrderIntakeService).place(op, {
          clientId,
          category: 'cakes',
          region: 'US-NY',
          quantity: 1,
          deliverBy,
          budget: { amount: '500', currency: 'USD' },
          idempotencyKey: `k${++seq}`,
        })
      ).id;
    const supplierCaller = (memberId: string): NetworkCaller => ({ kind: 'MEMBER', networkId: id, memberId, roles: ['SUPPLIER'], keyId: 'k' });
    return { id, op, member, capability, place, supplierCaller };
  }

  const used = async (capabilityId: string) =>
    Number((await ds().query(`SELECT coalesce(sum(used), 0) AS used FROM capacity_usage WHERE capability_id = $1`, [capabilityId]))[0].used);
  /** What capacity counts by the contract's definition, from the orders themselves. */
  const counted = async (capabilityId: string) =>
    Number(
      (
        await ds().query(`SELECT count(*) AS n FROM orders WHERE capability_id = $1 AND status IN ('OFFERED', 'ACCEPTED', 'FULFILLED', 'REFUNDED')`, [
          capabilityId,
        ])
      )[0].n,
    );
  const outboxJobs = async (orderId: string) =>
    (await ds().query(`SELECT name FROM outbox WHERE payload->>'orderId' = $1 ORDER BY id`, [orderId])).map((r: { name: string }) => r.name);

  it('never exceeds capacity: 30 concurrent routing passes for a capacity of 7', async () => {
    const n = await network();
    const client = await n.member('Client', ['CLIENT']);
    const cap = await n.capability(await n.member('Solo', ['SUPPLIER']), { capacity: 7 });
    const ids: string[] = [];
    for (let i = 0; i < 30; i++) ids.push(await n.place(client));
    await Promise.all(ids.map((id) => offers().routeOrder(id)));
    const statuses = await Promise.all(ids.map(async (id) => (await order(id)).status));
    expect(statuses.filter((s) => s === 'OFFERED')).toHaveLength(7);
    expect(statuses.filter((s) => s === 'UNROUTABLE')).toHaveLength(23);
    expect(await used(cap)).toBe(7);
    expect(await counted(cap)).toBe(7);
    // Running the jobs again changes nothing (at-least-once delivery).
    await Promise.all(ids.map((id) => offers().routeOrder(id)));
    expect(await used(cap)).toBe(7);
  });

  it('serialises a concurrent accept and decline of one offer: exactly one wins, capacity stays exact', async () => {
    const n = await network();
    const client = await n.member('Client', ['CLIENT']);
    const supplier = await n.member('Solo', ['SUPPLIER']);
    const cap = await n.capability(supplier, { capacity: 50 });
    const ids: string[] = [];
    for (let i = 0; i < 10; i++) ids.push(await n.place(client));
    for (const id of ids) await offers().routeOrder(id);
    const caller = n.supplierCaller(supplier);
    const outcomes = await Promise.all(
      ids.map(async (id) => {
        const [accept, decline] = await Promise.allSettled([lifecycle().accept(caller, id), lifecycle().decline(caller, id, 'busy')]);
        return [accept.status, decline.status].join('/');
      }),
    );
    for (const o of outcomes) expect(['fulfilled/rejected', 'rejected/fulfilled']).toContain(o);
    const accepted = (await Promise.all(ids.map(order))).filter((o) => o.status === 'ACCEPTED').length;
    expect(accepted).toBe(outcomes.filter((o) => o === 'fulfilled/rejected').length);
    expect(await used(cap)).toBe(accepted);
    expect(await counted(cap)).toBe(accepted);
  });

  it('serialises a concurrent fulfil and cancel of one accepted order: exactly one wins, with one event and the jobs of the winner only', async () => {
    const n = await network();
    const client = await n.member('Client', ['CLIENT']);
    const supplier = await n.member('Solo', ['SUPPLIER']);
    const cap = await n.capability(supplier, { capacity: 50 });
    const caller = n.supplierCaller(supplier);
    const ids: string[] = [];
    for (let i = 0; i < 10; i++) ids.push(await n.place(client));
    for (const id of ids) await offers().routeOrder(id);
    for (const id of ids) await lifecycle().accept(caller, id);
    const outcomes = await Promise.all(
      ids.map(async (id) => {
        const [fulfil, cancel] = await Promise.allSettled([lifecycle().fulfil(caller, id), lifecycle().cancel(n.op, id, 'changed')]);
        // The loser is refused for the state the winner left, as a fresh request would be.
        const refused = [fulfil, cancel].find((r) => r.status === 'rejected');
        return { outcome: [fulfil.status, cancel.status].join('/'), code: (refused?.reason as { code?: string } | undefined)?.code };
      }),
    );
    for (const o of outcomes) {
      expect(['fulfilled/rejected', 'rejected/fulfilled']).toContain(o.outcome);
      expect(o.code).toBe('BAD_USER_INPUT');
    }
    const stored = await Promise.all(ids.map(order));
    const fulfilled = stored.filter((o) => o.status === 'FULFILLED');
    expect(fulfilled).toHaveLength(outcomes.filter((o) => o.outcome === 'fulfilled/rejected').length);
    expect(stored.filter((o) => o.status === 'CANCELLED')).toHaveLength(10 - fulfilled.length);
    for (const o of stored) {
      const events = (await ds().query(`SELECT type FROM order_events WHERE order_id = $1 AND type IN ('fulfilled', 'cancelled')`, [o.id])).map(
        (r: { type: string }) => r.type,
      );
      expect(events).toEqual([o.status === 'FULFILLED' ? 'fulfilled' : 'cancelled']);
      expect((await outboxJobs(o.id)).filter((name: string) => name === 'post-fulfilment')).toHaveLength(o.status === 'FULFILLED' ? 1 : 0);
    }
    expect(await used(cap)).toBe(fulfilled.length);
  });

  it('fulfils with one statement after its read: FULFILLED at the clock, its history event and its published event at that time', async () => {
    const n = await network();
    const client = await n.member('Client', ['CLIENT']);
    const supplier = await n.member('Solo', ['SUPPLIER']);
    await n.capability(supplier, { capacity: 5 });
    const caller = n.supplierCaller(supplier);
    const id = await n.place(client);
    await offers().routeOrder(id);
    await expect(lifecycle().fulfil(caller, id)).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
    await lifecycle().accept(caller, id);
    const stranger = await n.member('Stranger', ['SUPPLIER']);
    await expect(lifecycle().fulfil(n.supplierCaller(stranger), id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const answered = await lifecycle().fulfil(caller, id);
    const stored = await order(id);
    expect({ status: answered.status, fulfilledAt: answered.fulfilledAt }).toEqual({ status: 'FULFILLED', fulfilledAt: stored.fulfilledAt });
    const [event] = await ds().query(`SELECT created_at, supplier_id FROM order_events WHERE order_id = $1 AND type = 'fulfilled'`, [id]);
    expect({ at: event.created_at, supplierId: event.supplier_id }).toEqual({ at: stored.fulfilledAt, supplierId: supplier });
    const [published] = await ds().query(
      `SELECT payload FROM outbox WHERE name = 'publish-event' AND payload->>'type' = 'order.fulfilled' AND payload->'data'->>'orderId' = $1`,
      [id],
    );
    expect(published.payload).toMatchObject({
      occurredAt: (stored.fulfilledAt as Date).toISOString(),
      data: { orderId: id, status: 'FULFILLED', clientId: client, supplierId: supplier },
    });
    // A second fulfil is refused for the state, and writes nothing more.
    await expect(lifecycle().fulfil(caller, id)).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
    expect((await outboxJobs(id)).filter((name: string) => name === 'post-fulfilment')).toHaveLength(1);
  });

  it('keeps capacity_usage equal to what it counts through declines, cancellations, fulfilment and refunds', async () => {
    const n = await network();
    const client = await n.member('Client', ['CLIENT']);
    const supplier = await n.member('Solo', ['SUPPLIER']);
    const cap = await n.capability(supplier, { capacity: 10 });
    const caller = n.supplierCaller(supplier);
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) ids.push(await n.place(client));
    for (const id of ids) await offers().routeOrder(id);
    expect(await used(cap)).toBe(6);
    await lifecycle().decline(caller, ids[0]); // -1
    await lifecycle().cancel(n.op, ids[1], 'changed'); // -1 (open offer withdrawn)
    await lifecycle().accept(caller, ids[2]);
    await lifecycle().cancel(n.op, ids[2]); // -1 (accepted, then cancelled)
    await lifecycle().accept(caller, ids[3]);
    await lifecycle().fulfil(caller, ids[3]); // still counted
    await lifecycle().refund(n.op, ids[3]); // still counted
    await lifecycle().accept(caller, ids[4]);
    expect(await used(cap)).toBe(3);
    expect(await counted(cap)).toBe(3);
    // explain-routing: the excluded rows of Order.routing are written right after the offer.
    expect(await outboxJobs(ids[3])).toEqual(['route-order', 'expire-offer', 'explain-routing', 'post-fulfilment', 'post-refund']);
    expect(await outboxJobs(ids[0])).toEqual(['route-order', 'expire-offer', 'explain-routing', 'route-order']);
  });

  it('lists at most 100 routing rows: the holder, the eligible by score, then the excluded by reason, name and id', async () => {
    const n = await network();
    const client = await n.member('Client', ['CLIENT']);
    const best = await n.member('Zeta Best', ['SUPPLIER']);
    const second = await n.member('Alpha Second', ['SUPPLIER']);
    await n.capability(best, { price: 9000n });
    await n.capability(second, { price: 9900n });
    await n.capability(await n.member('Far Away', ['SUPPLIER']), { regions: ['US-CA'] });
    // 120 applicants, inserted in one statement, named so the expected order is easy to write.
    await ds().query(
      `WITH m AS (
         INSERT INTO members (id, network_id, name, roles, vetting_status)
         SELECT gen_random_uuid(), $1, 'Applicant ' || lpad(i::text, 3, '0'), ARRAY['SUPPLIER'], 'APPLIED' FROM generate_series(1, 120) i
         RETURNING id
       )
       INSERT INTO capabilities (id, network_id, supplier_id, category, regions, daily_capacity, lead_time_hours, unit_price_minor, currency)
       SELECT gen_random_uuid(), $1, id, 'cakes', ARRAY['US-NY'], 5, 1, 100, 'USD' FROM m`,
      [n.id],
    );
    const id = await n.place(client);
    await offers().routeOrder(id);
    // The offer comes first; the explanation of everyone else follows from the explain-routing job.
    await app.get(RoutingExplainerService).explainDue();
    const o = await order(id);
    expect(o.supplierId).toBe(best);
    expect(o.routing).toHaveLength(100);
    expect(o.routing.slice(0, 2).map((r) => [r.supplierId, r.eligible, r.reason])).toEqual([
      [best, true, null],
      [second, true, null],
    ]);
    expect(o.routing[0].score as number).toBeGreaterThan(o.routing[1].score as number);
    const names: { id: string; name: string }[] = await ds().query(`SELECT id, name FROM members WHERE network_id = $1`, [n.id]);
    const nameOf = new Map(names.map((m) => [m.id, m.name]));
    const excluded = o.routing.slice(2);
    expect(excluded.every((r) => r.reason === 'NOT_VETTED' && !r.eligible && r.score === null)).toBe(true);
    expect(excluded.map((r) => nameOf.get(r.supplierId))).toEqual(Array.from({ length: 98 }, (_, i) => `Applicant ${String(i + 1).padStart(3, '0')}`));
  });

  it('reads the whole routing at an offer whose explanation is still due, as the explainer then writes it', async () => {
    const n = await network();
    const client = await n.member('Client', ['CLIENT']);
    const solo = await n.member('Solo', ['SUPPLIER']);
    await n.capability(solo, { capacity: 10 });
    await n.capability(await n.member('Applicant', ['SUPPLIER'], { vetting: 'APPLIED' }));
    await n.capability(await n.member('Far Away', ['SUPPLIER']), { regions: ['US-CA'] });
    const id = await n.place(client);
    await offers().routeOrder(id);
    const explainer = app.get(RoutingExplainerService);
    // Stored: the offer's own rows only; the rest is due.
    expect((await order(id)).routing.map((r) => r.supplierId)).toEqual([solo]);
    const read = (await explainer.currentRoutings([id])).get(id);
    expect(read?.map((r) => [r.supplierId, r.eligible, r.reason])).toEqual([
      [solo, true, null],
      [expect.any(String), false, 'NOT_VETTED'],
      [expect.any(String), false, 'REGION'],
    ]);
    await explainer.explainDue(0);
    const written = (await order(id)).routing;
    expect(written).toEqual(read);
    // Once written, a read is the stored rows; an order with nothing due is read as stored too.
    expect((await explainer.currentRoutings([id])).get(id)).toEqual(written);
  });

  it('explains the offers of one run together, and leaves an order that moved on as its own change wrote it', async () => {
    const n = await network();
    const client = await n.member('Client', ['CLIENT']);
    const solo = await n.member('Solo', ['SUPPLIER']);
    await n.capability(solo, { capacity: 10 });
    await n.capability(await n.member('Applicant', ['SUPPLIER'], { vetting: 'APPLIED' }));
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) ids.push(await n.place(client));
    for (const id of ids) await offers().routeOrder(id);
    // The last order's offer is declined before its explanation is written: the decline rewrote its routing.
    await lifecycle().decline(n.supplierCaller(solo), ids[3], 'busy');
    const declined = await order(ids[3]);
    await app.get(RoutingExplainerService).explainDue(0);
    for (const id of ids.slice(0, 3)) {
      expect((await order(id)).routing.map((r) => [r.supplierId === solo ? 'Solo' : 'Applicant', r.eligible, r.reason])).toEqual([
        ['Solo', true, null],
        ['Applicant', false, 'NOT_VETTED'],
      ]);
    }
    const after = await order(ids[3]);
    expect([after.status, after.routing]).toEqual([declined.status, declined.routing]);
    const due = await ds().query(`SELECT count(*)::int AS n FROM routing_explanations WHERE order_id = ANY ($1::uuid[])`, [ids]);
    expect(due[0].n).toBe(0);
  });

  it('leaves an order another transaction holds due, without waiting for it, and explains it on the next run', async () => {
    const n = await network();
    const client = await n.member('Client', ['CLIENT']);
    const solo = await n.member('Solo', ['SUPPLIER']);
    await n.capability(solo);
    await n.capability(await n.member('Applicant', ['SUPPLIER'], { vetting: 'APPLIED' }));
    const [free, held] = [await n.place(client), await n.place(client)];
    for (const id of [free, held]) await offers().routeOrder(id);
    const holder = ds().createQueryRunner();
    await holder.connect();
    try {
      await holder.startTransaction();
      await holder.query(`SELECT id FROM orders WHERE id = $1 FOR UPDATE`, [held]);
      await app.get(RoutingExplainerService).explainDue(0);
      expect((await order(free)).routing.map((r) => r.reason)).toEqual([null, 'NOT_VETTED']);
      expect((await order(held)).routing.map((r) => r.reason)).toEqual([null]);
      await holder.commitTransaction();
    } finally {
      await holder.release();
    }
    await app.get(RoutingExplainerService).explainDue(0);
    expect((await order(held)).routing.map((r) => r.reason)).toEqual([null, 'NOT_VETTED']);
  });

  it('explains an order that rows referencing it hold with a key share, and waits, not spins, when a whole batch is held', async () => {
    const n = await network();
    const client = await n.member('Client', ['CLIENT']);
    await n.capability(await n.member('Solo', ['SUPPLIER']), { capacity: 500 });
    await n.capability(await n.member('Applicant', ['SUPPLIER'], { vetting: 'APPLIED' }));
    // One order more than a run's batch (200): the batch the run takes first is every order but the newest.
    const ids: string[] = [];
    for (let i = 0; i < 201; i++) ids.push(await n.place(client));
    for (const id of ids) await offers().routeOrder(id);
    const holder = ds().createQueryRunner();
    await holder.connect();
    const runs = jest.spyOn(app.get(TransactionRunner), 'run');
    try {
      await holder.startTransaction();
      // What an insert of an offer or an event takes on the order it references: the explainer does not skip it.
      await holder.query(`SELECT id FROM orders WHERE id = $1 FOR KEY SHARE`, [ids[200]]);
      await holder.query(`SELECT id FROM orders WHERE id = ANY ($1::uuid[]) FOR UPDATE`, [ids.slice(0, 200)]);
      expect(await app.get(RoutingExplainerService).explainDue(0)).toBe(0);
      // The held batch is tried once and again five times, 20 ms apart; the newest order is behind it, left for later.
      expect(runs).toHaveBeenCalledTimes(6);
      await holder.rollbackTransaction();
      await holder.startTransaction();
      await holder.query(`SELECT id FROM orders WHERE id = $1 FOR KEY SHARE`, [ids[200]]);
      expect(await app.get(RoutingExplainerService).explainDue(0)).toBe(201);
      await holder.commitTransaction();
    } finally {
      runs.mockRestore();
      await holder.release();
    }
    for (const id of [ids[0], ids[200]]) expect((await order(id)).routing.map((r) => r.reason)).toEqual([null, 'NOT_VETTED']);
  });

  it('shortlists the cheapest eligible by their numeric price: 9.00 comes before 10.00', async () => {
    const n = await network();
    const client = await n.member('Client', ['CLIENT']);
    const cheapest = await n.member('Nine Dollars', ['SUPPLIER']);
    await n.capability(cheapest, { price: 900n });
    // As many suppliers at 10.00 as the shortlist holds: ordered as text ('1000' < '900'), they would fill it and drop the cheapest.
    await ds().query(
      `WITH m AS (
         INSERT INTO members (id, network_id, name, roles, vetting_status)
         SELECT gen_random_uuid(), $1, 'Ten Dollars ' || i, ARRAY['SUPPLIER'], 'VETTED' FROM generate_series(1, $2::int) i
         RETURNING id
       )
       INSERT INTO capabilities (id, network_id, supplier_id, category, regions, daily_capacity, lead_time_hours, unit_price_minor, currency)
       SELECT gen_random_uuid(), $1, id, 'cakes', ARRAY['US-NY'], 5, 1, 1000, 'USD' FROM m`,
      [n.id, SHORTLIST],
    );
    const id = await n.place(client);
    await offers().routeOrder(id);
    const o = await order(id);
    expect([o.status, o.supplierId, o.priceMinor]).toEqual(['OFFERED', cheapest, 900n]);
    expect(o.routing).toHaveLength(SHORTLIST);
    expect(o.routing.every((r) => r.eligible)).toBe(true);
  });

  it("ranks by health's reliability part, which counts overdue orders routing used to miss", async () => {
    const n = await network();
    const client = await n.member('Client', ['CLIENT']);
    const a = await n.member('Cakes A', ['SUPPLIER']);
    const b = await n.member('Cakes B', ['SUPPLIER']);
    // Same price: with reliability alone beside price, a tie would go to the smaller id, so that one is made unreliable.
    const [late, punctual] = [a, b].sort();
    await n.capability(late, { price: 10000n });
    await n.capability(punctual, { price: 10000n });
    await app.get(RoutingPolicyService).update(n.id, { priceWeight: 1, reliabilityWeight: 1, healthWeight: 0, spreadWeight: 0 });
    // Three orders of another category it accepted and let pass their deliverBy: no offer, no fulfilment for routing's old counts.
    const history = new HealthHistory(ds());
    for (let i = 0; i < 3; i++) {
      const acceptedAt = new Date(Date.now() - (10 + i) * DAY);
      await history.order({
        networkId: n.id,
        clientId: client,
        supplierId: late,
        category: 'bread',
        createdAt: acceptedAt,
        acceptedAt,
        deliverBy: new Date(acceptedAt.getTime() + DAY),
      });
    }
    await app.get(HealthSnapshotService).snapshotNetwork(n.id);
    const id = await n.place(client);
    await offers().routeOrder(id);
    const o = await order(id);
    // punctual: no activity, reliability 5 -> 0.5: 100 * (1 + 0.5) / 2 = 75.
    // late: 3 overdue of 3 owed, raw 1, 5 + (1 - 5) * 3 / 6 = 3 -> 0.3: 100 * (1 + 0.3) / 2 = 65.
    expect(o.supplierId).toBe(punctual);
    expect(o.routing.map((r) => [r.supplierId, r.score])).toEqual([
      [punctual, 75],
      [late, 65],
    ]);
  });

  it('fixes fees from each party its own terms at acceptance, and pays a share only within the share period', async () => {
    const n = await network();
    const p1 = await n.member('P1', ['PARTNER'], { overrides: { partnerShareBps: 5000 } });
    const p2 = await n.member('P2', ['PARTNER']);
    const client = await n.member('Client', ['CLIENT'], { referredById: p1, overrides: { clientFeeBps: 800 } });
    // Joined 13 months ago: its partner's 12-month share period is over.
    const supplier = await n.member('Old Supplier', ['SUPPLIER'], { referredById: p2, joinedAt: new Date(Date.now() - 400 * DAY) });
    await n.capability(supplier, { price: 12000n });
    const id = await n.place(client);
    await offers().routeOrder(id);
    await lifecycle().accept(n.supplierCaller(supplier), id);
    const o = await order(id);
    expect(o.fees).toEqual({
      currency: 'USD',
      price: '12000',
      clientFeeBps: 800,
      supplierFeeBps: 500,
      clientFee: '960',
      supplierFee: '600',
      clientPays: '12960',
      supplierReceives: '11400',
      partnerShares: [{ partnerId: p1, referredId: client, side: 'CLIENT', bps: 5000, amount: '480' }],
      hubNet: '1080',
    });
  });

  it('re-drives an order stuck in ROUTING and an offer past its expiry from the sweep', async () => {
    const n = await network();
    const client = await n.member('Client', ['CLIENT']);
    const first = await n.member('First', ['SUPPLIER']);
    const second = await n.member('Second', ['SUPPLIER']);
    await n.capability(first, { price: 9000n });
    await n.capability(second, { price: 9500n });
    const id = await n.place(client);
    const sweep = () => app.get(RoutingReconcileService).reconcile();

    await sweep();
    expect((await order(id)).status).toBe('ROUTING'); // not stuck yet: its job may still come
    await ds().query(`UPDATE orders SET updated_at = now() - interval '10 seconds' WHERE id = $1`, [id]);
    await sweep();
    expect(await order(id)).toMatchObject({ status: 'OFFERED', supplierId: first });

    await ds().query(`UPDATE offers SET expires_at = now() - interval '3 seconds' WHERE order_id = $1`, [id]);
    await ds().query(`UPDATE orders SET offer_expires_at = now() - interval '3 seconds' WHERE id = $1`, [id]);
    await sweep();
    const moved = await order(id);
    expect(moved).toMatchObject({ status: 'OFFERED', supplierId: second });
    expect(moved.routing.map((r) => [r.supplierId, r.reason])).toEqual([
      [first, 'EXPIRED'],
      [second, null],
    ]);
  });

  it('expires an offer only when it is still open and due, however often the job runs', async () => {
    const n = await network();
    const client = await n.member('Client', ['CLIENT']);
    const supplier = await n.member('Solo', ['SUPPLIER']);
    await n.capability(supplier);
    const id = await n.place(client);
    await offers().routeOrder(id);
    const offerId = (await order(id)).currentOfferId as string;
    await expect(offers().expireOffer(id, offerId)).rejects.toThrow(/not due/);
    expect((await order(id)).status).toBe('OFFERED');

    await ds().query(`UPDATE offers SET expires_at = now() - interval '1 second' WHERE id = $1`, [offerId]);
    await ds().query(`UPDATE orders SET offer_expires_at = now() - interval '1 second' WHERE id = $1`, [id]);
    await expect(lifecycle().accept(n.supplierCaller(supplier), id)).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
    await offers().expireOffer(id, offerId);
    await offers().expireOffer(id, offerId);
    const o = await order(id);
    expect(o).toMatchObject({ status: 'UNROUTABLE', supplierId: null, priceMinor: null, offerExpiresAt: null, currentOfferId: null });
    const events: { type: string }[] = await ds().query(`SELECT type FROM order_events WHERE order_id = $1 ORDER BY id`, [id]);
    expect(events.map((e) => e.type)).toEqual(['placed', 'offered', 'expired', 'unroutable']);
  });

  it('withdraws the open offers of a supplier that is suspended, in the vetting transaction', async () => {
    const n = await network();
    const client = await n.member('Client', ['CLIENT']);
    const supplier = await n.member('Solo', ['SUPPLIER']);
    const cap = await n.capability(supplier);
    const ids = [await n.place(client), await n.place(client)];
    for (const id of ids) await offers().routeOrder(id);
    await app.get(TransactionRunner).run(async (em) => {
      await em.query(`UPDATE members SET vetting_status = 'SUSPENDED' WHERE id = $1`, [supplier]);
      await app.get(SupplierStatusListeners).notify(em, supplier, 'SUSPENDED');
    });
    for (const id of ids) {
      expect(await order(id)).toMatchObject({ status: 'ROUTING', supplierId: null });
      expect((await outboxJobs(id)).at(-1)).toBe('route-order');
      await offers().routeOrder(id);
      expect((await order(id)).routing).toEqual([{ supplierId: supplier, eligible: false, reason: 'NOT_VETTED', score: null }]);
    }
    expect(await used(cap)).toBe(0);
  });
});
