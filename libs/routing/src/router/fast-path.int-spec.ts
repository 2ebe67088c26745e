import { INestApplicationContext } from '@nestjs/common';
import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { DAY_MS, HOUR_MS } from '@tandem/common';
import { OfferService } from '../order/offer.service';
import { OrderEntity, RoutingRow } from '../order/order.entity';
import { CandidateFinderService, EligibleCandidate, MAX_ROUTING_ROWS, SHORTLIST, compareExcluded } from './candidate-finder.service';
import { rankCandidates } from './ranking';
import { RoutingExplainerService } from './routing-explainer.service';
import { RoutingPolicyService } from './routing-policy.service';
import { NEUTRAL_STANDING, SupplierHealthSource } from './supplier-health.source';
import { RoutingTestApp, startRoutingApp } from '../testing/routing-test-app.test-support';

const SUPPLIERS = 1_000;
const ORDERS_PER_NETWORK = 12;
const SEEDS = [1, 7, 42, 2026];
const REGIONS = ['US-NY', 'US-CA', 'GB-LND'];

/** One supplier of a random network: every field that decides eligibility or rank, drawn so that ties and edges are common. */
const supplierArb = fc.record({
  name: fc.constantFrom('Alpha', 'Beta', 'Gamma', 'Delta', 'Éclair', 'alpha', 'Zeta'),
  vetting: fc.constantFrom('VETTED', 'VETTED', 'VETTED', 'VETTED', 'VETTED', 'APPLIED', 'SUSPENDED', null),
  currency: fc.constantFrom('USD', 'USD', 'USD', 'USD', 'EUR'),
  regions: fc.subarray(REGIONS, { minLength: 1 }),
  // Few distinct prices: many suppliers share one, so the shortlist's edge falls inside a tie (broken by id).
  unitPrice: fc.integer({ min: 90, max: 130 }).map((p) => BigInt(p) * 100n),
  leadTimeHours: fc.integer({ min: 0, max: 120 }),
  dailyCapacity: fc.integer({ min: 1, max: 3 }),
  used: fc.integer({ min: 0, max: 3 }),
  // A standing from health's latest snapshot, or none (neutral).
  snapshot: fc.option(fc.record({ score: fc.integer({ min: 0, max: 1000 }), reliability: fc.integer({ min: 100, max: 1000 }) }), { freq: 2 }),
  recentOrders: fc.integer({ min: 0, max: 3 }),
});

const orderArb = fc.record({
  region: fc.constantFrom(...REGIONS),
  currency: fc.constantFrom('USD', 'USD', 'USD', 'EUR'),
  quantity: fc.integer({ min: 1, max: 3 }),
  budget: fc.integer({ min: 90, max: 400 }).map((b) => BigInt(b) * 100n),
  deliverInHours: fc.integer({ min: 2, max: 150 }),
  deliverDay: fc.integer({ min: 0, max: 1 }),
  passed: fc.array(fc.record({ supplier: fc.nat(), status: fc.constantFrom('DECLINED', 'EXPIRED', 'WITHDRAWN') }), { maxLength: 4 }),
  clientIsSupplier: fc.boolean(),
});

const policyArb = fc.record({
  priceWeight: fc.constantFrom(0, 0.4, 1, 3),
  reliabilityWeight: fc.constantFrom(0, 0.3, 1),
  healthWeight: fc.constantFrom(0, 0.15, 1),
  spreadWeight: fc.constantFrom(0, 0.15, 1),
});

describe('routing fast path against the full pass, on random networks of 1,000 suppliers', () => {
  let app: INestApplicationContext;
  let t: RoutingTestApp;

  beforeAll(async () => {
    t = await startRoutingApp('routing-fast-path');
    app = t.app;
  });

  afterAll(() => t.close());

  const ds = () => app.get(DataSource);
  const outcomes = new Set<string>();

  /** A network drawn from the seed, inserted in a few set-based statements. */
  async function randomNetwork(seed: number) {
    const [specs] = fc.sample(fc.array(supplierArb, { minLength: SUPPLIERS, maxLength: SUPPLIERS }), { seed, numRuns: 1 });
    const [policy] = fc.sample(
      policyArb.filter((p) => p.priceWeight + p.reliabilityWeight + p.healthWeight + p.spreadWeight > 0),
      { seed, numRuns: 1 },
    );
    const networkId = randomUUID();
    await ds().query(
      `INSERT INTO networks (id, name, currency, client_fee_bps, supplier_fee_bps, partner_share_bps, partner_share_months, offer_timeout_seconds)
       VALUES ($1, 'Random', 'USD', 1000, 500, 2000, 12, 900)`,
      [networkId],
    );
    await app.get(RoutingPolicyService).update(networkId, policy);
    const ids = specs.map(() => randomUUID());
    await ds().query(
      `INSERT INTO members (id, network_id, name, roles, vetting_status)
       SELECT id, $1, name, ARRAY['SUPPLIER'], vetting FROM unnest($2::uuid[], $3::text[], $4::text[]) AS s(id, name, vetting)`,
      [networkId, ids, specs.map((s) => s.name), specs.map((s) => s.vetting)],
    );
    const capIds = specs.map(() => randomUUID());
    await ds().query(
      `INSERT INTO capabilities (id, network_id, supplier_id, category, regions, daily_capacity, lead_time_hours, unit_price_minor, currency)
       SELECT id, $1, supplier_id, 'cakes', string_to_array(regions, ','), cap, lead, price, currency
         FROM unnest($2::uuid[], $3::uuid[], $4::text[], $5::int[], $6::int[], $7::bigint[], $8::text[]) AS s(id, supplier_id, regions, cap, lead, price, currency)`,
      [
        networkId,
        capIds,
        ids,
        specs.map((s) => s.regions.join(',')),
        specs.map((s) => s.dailyCapacity),
        specs.map((s) => s.leadTimeHours),
        specs.map((s) => s.unitPrice.toString()),
        specs.map((s) => s.currency),
      ],
    );
    const now = Date.now();
    const withSnapshot = specs.flatMap((s, i) => (s.snapshot ? [{ i, snapshot: s.snapshot }] : []));
    await ds().query(
      `INSERT INTO health_snapshots (member_id, network_id, computed_at, score, credibility, reliability, intimacy, self_orientation,
                                     trust, value_to_member_minor, value_to_hub_minor, currency, at_risk)
       SELECT id, $1, now(), score / 10.0, 5, reliability / 100.0, 5, 5, 3, 0, 0, 'USD', false
         FROM unnest($2::uuid[], $3::int[], $4::int[]) AS s(id, score, reliability)`,
      [networkId, withSnapshot.map(({ i }) => ids[i]), withSnapshot.map((w) => w.snapshot.score), withSnapshot.map((w) => w.snapshot.reliability)],
    );
    const clientId = randomUUID();
    await ds().query(`INSERT INTO members (id, network_id, name, roles) VALUES ($1, $2, 'Client', ARRAY['CLIENT'])`, [clientId, networkId]);
    // Accepted orders of the category in the last 30 days: each supplier's share of them is its spread.
    const recent = specs.flatMap((s, i) => Array.from({ length: s.recentOrders }, () => ids[i]));
    await ds().query(
      `INSERT INTO orders (id, network_id, client_id, category, region, quantity, deliver_by, budget_minor, currency, status, supplier_id,
                           price_minor, idempotency_key, input_fingerprint, accepted_at, created_at, updated_at)
       SELECT gen_random_uuid(), $1, $2, 'cakes', 'US-NY', 1, now() - interval '1 day', 20000, 'USD', 'FULFILLED', sid, 10000,
              'recent-' || ord, 'f', now() - interval '2 days', now() - interval '3 days', now()
         FROM unnest($3::uuid[]) WITH ORDINALITY AS s(sid, ord)`,
      [networkId, clientId, recent],
    );
    // The cheapest first: passing suppliers and supplying clients are drawn from them, where they change the shortlist.
    const byPrice = ids
      .map((id, i) => ({ id, price: specs[i].unitPrice }))
      .sort((a, b) => (a.price < b.price ? -1 : a.price > b.price ? 1 : 0))
      .map((x) => x.id);
    return { networkId, ids, capIds, specs, clientId, now, seed, byPrice };
  }

  /** Capacity already used on the order's day, as the spec drew it. */
  async function useCapacity(net: Awaited<ReturnType<typeof randomNetwork>>, day: string) {
    await ds().query(
      `INSERT INTO capacity_usage (capability_id, day, used)
       SELECT id, $1::date, used FROM unnest($2::uuid[], $3::int[]) AS s(id, used) WHERE used > 0
       ON CONFLICT (capability_id, day) DO NOTHING`,
      [day, net.capIds, net.specs.map((s) => Math.min(s.used, s.dailyCapacity))],
    );
  }

  async function rank(networkId: string, eligible: EligibleCandidate[]) {
    const em = ds().manager;
    const standings = await app.get(SupplierHealthSource).standingsOf(
      em,
      networkId,
      eligible.map((c) => c.supplierId),
    );
    const policy = await app.get(RoutingPolicyService).forNetwork(networkId, em);
    return rankCandidates(
      eligible.map((c) => ({ ...c, ...(standings.get(c.supplierId) ?? NEUTRAL_STANDING) })),
      policy,
    );
  }

  it.each(SEEDS)('offers what the full pass ranks first, and explains it as the full pass does (seed %i)', async (seed) => {
    const net = await randomNetwork(seed);
    const orders = fc.sample(orderArb, { seed, numRuns: ORDERS_PER_NETWORK });
    for (const [i, spec] of orders.entries()) {
      const orderId = randomUUID();
      const deliverBy = new Date(net.now + spec.deliverDay * DAY_MS + spec.deliverInHours * HOUR_MS);
      await useCapacity(net, deliverBy.toISOString().slice(0, 10));
      // Some orders come from a member that also supplies the category: it must never get its own order.
      const clientId = spec.clientIsSupplier ? net.byPrice[(seed * 31 + i) % 40] : net.clientId;
      if (spec.clientIsSupplier) {
        await ds().query(`UPDATE members SET roles = ARRAY['SUPPLIER', 'CLIENT'], vetting_status = 'VETTED' WHERE id = $1`, [clientId]);
        await ds().query(`UPDATE capabilities SET regions = $2, lead_time_hours = 0, currency = $3 WHERE supplier_id = $1`, [clientId, REGIONS, spec.currency]);
      }
      await ds().query(
        `INSERT INTO orders (id, network_id, client_id, category, region, quantity, deliver_by, budget_minor, currency, status,
                             idempotency_key, input_fingerprint)
         VALUES ($1, $2, $3, 'cakes', $4, $5, $6, $7, $8, 'ROUTING', $9, 'f')`,
        [orderId, net.networkId, clientId, spec.region, spec.quantity, deliverBy, spec.budget.toString(), spec.currency, `o-${seed}-${i}`],
      );
      // Suppliers that already passed on it (a withdrawn offer is not passing).
      for (const [j, p] of spec.passed.entries()) {
        await ds().query(
          `INSERT INTO offers (id, order_id, network_id, supplier_id, capacity_day, price_minor, status, offered_at, expires_at, closed_at)
           VALUES ($1, $2, $3, $4, $5::date, 100, $6, now() - make_interval(mins => $7), now(), now())`,
          [randomUUID(), orderId, net.networkId, net.byPrice[p.supplier % 60], deliverBy.toISOString().slice(0, 10), p.status, 10 - j],
        );
      }
      const order = await ds().manager.findOneByOrFail(OrderEntity, { id: orderId });
      const now = new Date();

      const full = await app.get(CandidateFinderService).find(ds().manager, orderId, now);
      const fast = await app.get(CandidateFinderService).shortlist(ds().manager, order, now);
      const fullRanked = await rank(net.networkId, full.eligible);
      const fastRanked = await rank(net.networkId, fast);
      // The same candidates, features and scores, in the same order: the first of each is the same supplier.
      expect(fastRanked).toEqual(fullRanked);

      const passed: { supplier_id: string; status: string }[] = await ds().query(
        `SELECT supplier_id, status FROM (
           SELECT DISTINCT ON (supplier_id) supplier_id, status, offered_at FROM offers
            WHERE order_id = $1 AND status IN ('DECLINED', 'EXPIRED') ORDER BY supplier_id, offered_at
         ) p ORDER BY offered_at, supplier_id`,
        [orderId],
      );
      await app.get(OfferService).routeOrder(orderId);
      await app.get(RoutingExplainerService).explainDue(0);
      const routed = await ds().manager.findOneByOrFail(OrderEntity, { id: orderId });

      // What the full pass would have written: holders, the other eligible by score, then its excluded rows.
      const chosen = fullRanked[0];
      const holders: RoutingRow[] = passed.map((p) => ({ supplierId: p.supplier_id, eligible: false, reason: p.status, score: null }));
      if (chosen) holders.push({ supplierId: chosen.supplierId, eligible: true, reason: null, score: chosen.score });
      const held = new Set(holders.map((h) => h.supplierId));
      const expected = [
        ...holders,
        ...fullRanked.slice(1).map((c) => ({ supplierId: c.supplierId, eligible: true, reason: null, score: c.score })),
        ...[...full.excluded]
          .sort(compareExcluded)
          .filter((c) => !held.has(c.supplierId))
          .map((c) => ({ supplierId: c.supplierId, eligible: false, reason: c.reason, score: null })),
      ].slice(0, MAX_ROUTING_ROWS);
      expect({ status: routed.status, supplierId: routed.supplierId, routing: routed.routing }).toEqual({
        status: chosen ? 'OFFERED' : 'UNROUTABLE',
        supplierId: chosen?.supplierId ?? null,
        routing: expected,
      });
      outcomes.add(routed.status);
      if (fullRanked.length === SHORTLIST) outcomes.add('FULL_SHORTLIST');
    }
  });

  it('offers the next best when the best loses its last unit to a concurrent pass, and keeps nothing of the first try', async () => {
    const net = await randomNetwork(99);
    const orderId = randomUUID();
    const deliverBy = new Date(net.now + 6 * DAY_MS);
    const day = deliverBy.toISOString().slice(0, 10);
    await ds().query(
      `INSERT INTO orders (id, network_id, client_id, category, region, quantity, deliver_by, budget_minor, currency, status,
                           idempotency_key, input_fingerprint)
       VALUES ($1, $2, $3, 'cakes', 'US-NY', 1, $4, 100000, 'USD', 'ROUTING', 'race', 'f')`,
      [orderId, net.networkId, net.clientId, deliverBy],
    );
    const order = await ds().manager.findOneByOrFail(OrderEntity, { id: orderId });
    const finder = app.get(CandidateFinderService);
    const shortlist = await finder.shortlist(ds().manager, order, new Date());
    const ranked = await rank(net.networkId, shortlist);
    expect(ranked.length).toBeGreaterThan(1);
    // A concurrent pass takes the best's last unit after this pass read its shortlist: the offer's statement finds the day full.
    await ds().query(
      `INSERT INTO capacity_usage (capability_id, day, used) SELECT id, $2::date, daily_capacity FROM capability_facts WHERE id = $1
       ON CONFLICT (capability_id, day) DO UPDATE SET used = EXCLUDED.used`,
      [ranked[0].capabilityId, day],
    );
    const read = jest.spyOn(finder, 'shortlist').mockResolvedValueOnce(shortlist);
    try {
      await app.get(OfferService).routeOrder(orderId);
    } finally {
      read.mockRestore();
    }
    const routed = await ds().manager.findOneByOrFail(OrderEntity, { id: orderId });
    expect({ status: routed.status, supplierId: routed.supplierId }).toEqual({ status: 'OFFERED', supplierId: ranked[1].supplierId });
    expect(routed.routing?.find((r) => r.supplierId === ranked[0].supplierId)).toEqual({
      supplierId: ranked[0].supplierId,
      eligible: false,
      reason: 'CAPACITY',
      score: null,
    });
    const [counts] = await ds().query(
      `SELECT (SELECT count(*)::int FROM offers WHERE order_id = $1) AS offers,
              (SELECT count(*)::int FROM order_events WHERE order_id = $1 AND type = 'offered') AS events,
              (SELECT count(*)::int FROM outbox WHERE name = 'expire-offer' AND payload->>'orderId' = $1::text) AS expiries,
              (SELECT coalesce(sum(used), 0)::int FROM capacity_usage WHERE day = $2::date AND capability_id IN
                 (SELECT capability_id FROM offers WHERE order_id = $1)) AS used,
              (SELECT u.used - f.daily_capacity FROM capacity_usage u JOIN capability_facts f ON f.id = u.capability_id
                WHERE u.capability_id = $3 AND u.day = $2::date) AS "fullPastLimit"`,
      [orderId, day, ranked[0].capabilityId],
    );
    expect(counts).toEqual({ offers: 1, events: 1, expiries: 1, used: 1, fullPastLimit: 0 });
  });

  it('drew orders that were offered, orders nobody could take, and shortlists cut inside the network', () => {
    // Or the comparisons above would prove little.
    expect([...outcomes].sort()).toEqual(['FULL_SHORTLIST', 'OFFERED', 'UNROUTABLE']);
  });
});
