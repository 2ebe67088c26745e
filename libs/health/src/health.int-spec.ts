import { INestApplicationContext } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { Caller } from '@tandem/auth';
import { TandemConfigModule } from '@tandem/common';
import { JobsModule } from '@tandem/jobs';
import { PersistenceModule } from '@tandem/persistence';
import { clearQueues, createTestDatabase, testConfig } from '@tandem/testing';
import { DAY, HOUR, HealthHistory, ago } from './testing/health-history.fixture';
import { AcquisitionBaselineService } from '@tandem/network';
import { HealthModule } from './health.module';
import { HealthPolicy } from './health/health.policy';
import { HealthService, RelationshipHealth } from './health/health.service';
import { HealthSettingsService } from './settings/health-settings.service';
import { HealthSnapshotService } from './snapshot/health-snapshot.service';
import { NetworkStatsService } from './measures/network-stats.service';

const operator = (networkId: string): Caller => ({ kind: 'OPERATOR', networkId, keyId: 'op' });
const member = (networkId: string, memberId: string, roles: ('CLIENT' | 'SUPPLIER' | 'PARTNER')[]): Caller => ({
  kind: 'MEMBER',
  networkId,
  memberId,
  roles,
  keyId: 'mk',
});
const parts = (h: RelationshipHealth) => {
  const e = h.evaluation;
  return {
    credibility: e.credibility.value,
    reliability: e.reliability.value,
    intimacy: e.intimacy.value,
    selfOrientation: e.selfOrientation.value,
    trust: e.trust,
    score: e.score,
  };
};
const at = (t: Date, ms: number) => new Date(t.getTime() + ms);

describe('relationship health (PostgreSQL)', () => {
  let app: INestApplicationContext;
  let drop: () => Promise<void>;
  let clear: () => Promise<void>;
  let h: HealthHistory;
  let health: HealthService;
  let snapshots: HealthSnapshotService;
  const now = new Date();

  beforeAll(async () => {
    const db = await createTestDatabase('health');
    drop = db.drop;
    const config = testConfig(db.url);
    clear = () => clearQueues(config.redisUrl, config.queuePrefix);
    const mod = await Test.createTestingModule({
      imports: [TandemConfigModule.forRoot(config), PersistenceModule.forRoot({ url: db.url }), JobsModule.forRoot(config), HealthModule],
    }).compile();
    app = await mod.init();
    h = new HealthHistory(app.get(DataSource));
    health = app.get(HealthService);
    snapshots = app.get(HealthSnapshotService);
  });

  afterAll(async () => {
    await app?.close();
    await clear?.();
    await drop?.();
  });

  /**
   * The worked example of docs/health.md: Circles, with Bloom & Co (a vetted
   * florist referred by partner P2) and Stems, another florist, over 90 days.
   */
  async function circles() {
    const net = await h.network({ createdAt: ago(now, 400 * DAY) });
    const p2 = await h.member(net, ['PARTNER'], { name: 'P2', joinedAt: ago(now, 300 * DAY) });
    const client = await h.member(net, ['CLIENT'], { name: 'Client', joinedAt: ago(now, 300 * DAY) });
    const bloom = await h.member(net, ['SUPPLIER'], { name: 'Bloom & Co', joinedAt: ago(now, 200 * DAY), referredById: p2, baselineMinor: 10_000n });
    const stems = await h.member(net, ['SUPPLIER'], { name: 'Stems', joinedAt: ago(now, 300 * DAY), referredById: p2 });
    await h.capability(net, bloom, 'flowers');
    await h.capability(net, bloom, 'gift-baskets');
    await h.capability(net, stems, 'flowers');
    // Bloom's own supplier fee went from the network's 500 bp to 600 bp on day 5 of the window.
    const feeRaisedAt = ago(now, 85 * DAY);
    await h.feeChange(net, bloom, { supplierFeeBps: 600 }, feeRaisedAt);

    // 15 orders fulfilled in 10 different weeks: 2 late, 1 refunded since.
    const bloomOrders: { id: string; fulfilledAt: Date }[] = [];
    for (let i = 0; i < 15; i++) {
      const week = i < 10 ? i : i - 10;
      const acceptedAt = at(ago(now, (7 * week + 1) * DAY), i < 10 ? 0 : 2 * HOUR);
      const fulfilledAt = at(acceptedAt, 12 * HOUR);
      const late = i === 3 || i === 7;
      const order = await h.order({
        networkId: net,
        clientId: client,
        supplierId: bloom,
        price: 12_000n,
        supplierFeeBps: 600,
        supplierReferrerId: p2,
        createdAt: at(acceptedAt, -HOUR),
        acceptedAt,
        deliverBy: late ? at(fulfilledAt, -HOUR) : at(fulfilledAt, DAY),
        fulfilledAt,
        refundedAt: i === 5 ? at(fulfilledAt, 2 * DAY) : null,
      });
      await h.offer(net, order, bloom, 'ACCEPTED', at(acceptedAt, -30 * 60_000));
      bloomOrders.push({ id: order, fulfilledAt });
    }
    // One accepted 3 days ago, due yesterday, not fulfilled.
    const overdue = await h.order({
      networkId: net,
      clientId: client,
      supplierId: bloom,
      supplierFeeBps: 600,
      createdAt: ago(now, 3 * DAY + HOUR),
      acceptedAt: ago(now, 3 * DAY),
      deliverBy: ago(now, DAY),
    });
    await h.offer(net, overdue, bloom, 'ACCEPTED', ago(now, 3 * DAY + 30 * 60_000));
    // Stems: 8 orders of 126.00 on the network's terms; Bloom declined 3 of them first and let 1 expire.
    for (let j = 0; j < 8; j++) {
      const acceptedAt = ago(now, (3 + 8 * j) * DAY);
      const order = await h.order({
        networkId: net,
        clientId: client,
        supplierId: stems,
        price: 12_600n,
        supplierReferrerId: p2,
        createdAt: at(acceptedAt, -3 * HOUR),
        acceptedAt,
        deliverBy: at(acceptedAt, 3 * DAY),
        fulfilledAt: at(acceptedAt, DAY),
      });
      if (j < 4) await h.offer(net, order, bloom, j < 3 ? 'DECLINED' : 'EXPIRED', at(acceptedAt, -2 * HOUR));
      await h.offer(net, order, stems, 'ACCEPTED', at(acceptedAt, -HOUR));
    }
    return { net, p2, client, bloom, stems, feeRaisedAt, bloomOrders };
  }

  describe('the worked example of docs/health.md', () => {
    it('gives Bloom & Co exactly the documented parts, trust, score, values and signals', async () => {
      const c = await circles();
      const bloom = await health.relationshipHealth(c.net, c.bloom, now);
      expect(parts(bloom)).toEqual({ credibility: 8.53, reliability: 6.89, intimacy: 6.94, selfOrientation: 6.33, trust: 3.53, score: 57.1 });
      expect(bloom.measures).toMatchObject({
        tenureDays: 200,
        offers: { accepted: 16, declined: 3, expired: 1, open: 0, withdrawn: 0 },
        supplier: { fulfilled: 15, onTime: 13, overdue: 1, refunded: 1 },
        client: { placed: 0, cancelled: 0 },
        activeWeeks: 10,
        categories: 2,
        money: { purchases: 0n, clientFees: 0n, earned: 168_000n, supplierFees: 10_080n, sharesEarned: 0n, sharesOnMemberFees: 2_016n, postings: 32 },
        takeNorm: { supplier: 0.045, source: 'NETWORK' },
        topCategory: { category: 'flowers', share: 0.625, role: 'SUPPLIER' },
      });
      expect(bloom.values).toEqual({ valueToMember: 157_920n, valueToHub: 8_064n, acquisitionCostPerOrder: 720n });
      expect(bloom.acquisitionBaseline).toBe(10_000n);
      expect(bloom.atRisk).toBe(false);
      expect(bloom.signals).toEqual([
        "The hub keeps 4.8% of this member's business, 1.07 times the network norm of 4.5%.",
        `Terms worsened 1 time in the window: supplier fee 500 to 600 bp on ${c.feeRaisedAt.toISOString().slice(0, 10)} (its own terms).`,
        'Let 1 of 20 offers expire without an answer.',
        'Declined 3 of 20 offers.',
        'Fulfilled 2 of 15 orders after their deliverBy.',
        '1 accepted order is past deliverBy and not fulfilled.',
        '1 of 15 orders it fulfilled in the window were refunded: credibility -0.47.',
        "It fulfilled 62.5% of the 'flowers' business in the window: the network depends on it.",
      ]);
    });

    it('gives the partner its shares and the client the price of its fulfilled orders', async () => {
      const c = await circles();
      const p2 = await health.relationshipHealth(c.net, c.p2, now);
      // 20% of 7.20 on 14 kept Bloom orders, 20% of 6.30 on 8 Stems orders.
      expect(p2.values).toEqual({ valueToMember: 14n * 144n + 8n * 126n, valueToHub: 0n, acquisitionCostPerOrder: null });
      const client = await health.relationshipHealth(c.net, c.client, now);
      expect(client.values.valueToMember).toBe(14n * 12_000n + 8n * 12_600n);
      expect(client.values.valueToHub).toBe(14n * 1_200n + 8n * 1_260n);
      expect(client.values.acquisitionCostPerOrder).toBeNull();
    });
  });

  describe('the ratings worked example of docs/health.md', () => {
    it('gives Bloom & Co, once both sides have had their say, exactly the documented parts, trust, score and signals', async () => {
      const c = await circles();
      const [o0, o1, o2, o3, o4] = c.bloomOrders; // newest first
      const after = (o: { fulfilledAt: Date }, hours: number) => at(o.fulfilledAt, hours * HOUR);
      // The client rated Bloom 5, 4, 4 and 3 on four orders: 4 on average.
      await h.feedback(o0.id, c.client, 'SUPPLIER', 5, after(o0, 2));
      await h.feedback(o1.id, c.client, 'SUPPLIER', 4, after(o1, 2));
      await h.feedback(o2.id, c.client, 'SUPPLIER', 4, after(o2, 2));
      await h.feedback(o4.id, c.client, 'SUPPLIER', 3, after(o4, 2));
      // Bloom rated the hub 2 on its last three orders.
      for (const o of [o0, o1, o2]) await h.feedback(o.id, c.bloom, 'HUB', 2, after(o, 3));
      // What Bloom says of the client and the client of the hub are about others: they do not move Bloom's health.
      await h.feedback(o0.id, c.bloom, 'CLIENT', 1, after(o0, 3));
      await h.feedback(o3.id, c.client, 'HUB', 5, after(o3, 2));
      // One dispute on its orders, rejected: the order is FULFILLED again.
      await h.dispute(o3.id, 'REJECTED', after(o3, 4));

      const bloom = await health.relationshipHealth(c.net, c.bloom, now);
      expect(parts(bloom)).toEqual({ credibility: 8.31, reliability: 6.89, intimacy: 6.94, selfOrientation: 7.08, trust: 3.13, score: 51.8 });
      expect(bloom.measures).toMatchObject({
        ratingsReceived: { count: 4, sum: 16 },
        ratingsOfHub: { count: 3, sum: 6, latest: [2, 2, 2] },
        disputes: 1,
      });
      expect(bloom.evaluation.credibility).toMatchObject({ ratingReceived: 4, ratedPart: 7.75 });
      expect(bloom.evaluation.selfOrientation).toMatchObject({ ratingOfHub: 2, hubRatingPenalty: 0.75 });
      expect(bloom.atRisk).toBe(false);
      expect(bloom.signals).toEqual([
        "The hub keeps 4.8% of this member's business, 1.07 times the network norm of 4.5%.",
        `Terms worsened 1 time in the window: supplier fee 500 to 600 bp on ${c.feeRaisedAt.toISOString().slice(0, 10)} (its own terms).`,
        'Rated the hub 2 of 5 on its last three orders: self-orientation +0.75.',
        'Let 1 of 20 offers expire without an answer.',
        'Declined 3 of 20 offers.',
        'Fulfilled 2 of 15 orders after their deliverBy.',
        '1 accepted order is past deliverBy and not fulfilled.',
        '1 of 15 orders it fulfilled in the window were refunded: credibility -0.47.',
        'The other side of its orders rated it 4 of 5 on average (4 ratings): credibility -0.22.',
        '1 dispute opened on its orders in the window.',
        "It fulfilled 62.5% of the 'flowers' business in the window: the network depends on it.",
      ]);
      // The client: rated 1 by Bloom, rated the hub 5, party to the same dispute.
      const client = await health.relationshipHealth(c.net, c.client, now);
      expect(client.measures).toMatchObject({ ratingsReceived: { count: 1, sum: 1 }, ratingsOfHub: { count: 1, sum: 5, latest: [5] }, disputes: 1 });
      expect(client.signals.some((x) => x.startsWith('Rated the hub'))).toBe(false);
    });

    it('flags only a run of low ratings of the hub that reaches its newest rating', async () => {
      const c = await circles();
      const [o0, o1, o2] = c.bloomOrders;
      await h.feedback(o2.id, c.bloom, 'HUB', 1, at(o2.fulfilledAt, HOUR));
      await h.feedback(o1.id, c.bloom, 'HUB', 2, at(o1.fulfilledAt, HOUR));
      const low = await health.relationshipHealth(c.net, c.bloom, now);
      // (1 + 2) / 2 = 1.5, 1.5 points below neutral, weighed 2 / 5: +0.9.
      expect(low.signals).toContain('Rated the hub 2 and 1 of 5 on its last two orders: self-orientation +0.9.');
      expect(low.evaluation.selfOrientation.value).toBe(7.23);
      // A better rating since: no longer flagged, though the low ones still weigh (average 2.33, 3 ratings: +0.5).
      await h.feedback(o0.id, c.bloom, 'HUB', 4, at(o0.fulfilledAt, HOUR));
      const better = await health.relationshipHealth(c.net, c.bloom, now);
      expect(better.signals.some((x) => x.startsWith('Rated the hub'))).toBe(false);
      expect(better.evaluation.selfOrientation.value).toBe(6.83);
    });
  });

  describe('partial refunds', () => {
    it('counts an order refunded in part at its net in the category totals, the norms and both sides’ values', async () => {
      const net = await h.network();
      const client = await h.member(net, ['CLIENT']);
      const a = await h.member(net, ['SUPPLIER']);
      const b = await h.member(net, ['SUPPLIER']);
      const order = async (supplierId: string, price: bigint, daysAgo: number) =>
        h.order({
          networkId: net,
          clientId: client,
          supplierId,
          price,
          createdAt: ago(now, daysAgo * DAY + HOUR),
          acceptedAt: ago(now, daysAgo * DAY),
          deliverBy: ago(now, (daysAgo - 2) * DAY),
          fulfilledAt: ago(now, (daysAgo - 1) * DAY),
        });
      const refunded = await order(a, 12_000n, 10);
      await order(b, 9_000n, 6);
      // Before the refund: 120.00 of the 210.00 of flowers.
      expect((await health.relationshipHealth(net, a, now)).measures.topCategory).toEqual({ category: 'flowers', share: 0.5714, role: 'SUPPLIER' });

      // 30.00 back, after the norms were cached: the next read recomputes them (a small network stays exact).
      await h.partialRefund(refunded, 3_000n, at(now, 30_000));
      const later = at(now, 60_000);
      const ra = await health.relationshipHealth(net, a, later);
      expect(ra.measures.topCategory).toEqual({ category: 'flowers', share: 0.5, role: 'SUPPLIER' });
      expect(ra.signals).toContain("It fulfilled 50% of the 'flowers' business in the window: the network depends on it.");
      expect((await health.relationshipHealth(net, b, later)).measures.topCategory).toEqual({ category: 'flowers', share: 0.5, role: 'SUPPLIER' });
      const stats = await app
        .get(NetworkStatsService)
        .compute(app.get(DataSource).manager, await app.get(NetworkStatsService).network(app.get(DataSource).manager, net), later);
      // 90.00 + 90.00; client fees 12.00 - 3.00 + 9.00; supplier fees 6.00 - 1.50 + 4.50.
      expect([stats.orders, stats.price, stats.clientFees, stats.supplierFees, stats.categories.get('flowers')]).toEqual([2, 18_000n, 1_800n, 900n, 18_000n]);
      // The values come from the postings, net of the refund's own entry.
      expect(ra.values).toEqual({ valueToMember: 9_000n - 450n, valueToHub: 450n, acquisitionCostPerOrder: 450n });
      const rc = await health.relationshipHealth(net, client, later);
      expect([rc.values.valueToMember, rc.values.valueToHub]).toEqual([18_000n, 1_800n]);
      expect(rc.measures.topCategory).toEqual({ category: 'flowers', share: 1, role: 'CLIENT' });
      // A partial refund is not a refunded order: credibility counts none.
      expect(ra.measures.supplier.refunded).toBe(0);
    });
  });

  describe('the direction of every measure', () => {
    it('ranks a supplier that fulfils on time above one that declines and lets offers expire', async () => {
      const net = await h.network();
      const client = await h.member(net, ['CLIENT']);
      const good = await h.member(net, ['SUPPLIER'], { joinedAt: ago(now, 200 * DAY) });
      const poor = await h.member(net, ['SUPPLIER'], { joinedAt: ago(now, 200 * DAY) });
      for (let i = 0; i < 10; i++) {
        const acceptedAt = ago(now, (5 + 7 * i) * DAY);
        const order = await h.order({
          networkId: net,
          clientId: client,
          supplierId: good,
          createdAt: at(acceptedAt, -HOUR),
          acceptedAt,
          deliverBy: at(acceptedAt, 2 * DAY),
          fulfilledAt: at(acceptedAt, DAY),
        });
        // The poor supplier held it first: 4 declines, 4 expiries, then the good one took it.
        if (i < 8) await h.offer(net, order, poor, i % 2 === 0 ? 'DECLINED' : 'EXPIRED', at(acceptedAt, -2 * HOUR));
        await h.offer(net, order, good, 'ACCEPTED', at(acceptedAt, -HOUR));
      }
      for (let i = 0; i < 2; i++) {
        const acceptedAt = ago(now, (8 + 7 * i) * DAY);
        const order = await h.order({
          networkId: net,
          clientId: client,
          supplierId: poor,
          createdAt: at(acceptedAt, -HOUR),
          acceptedAt,
          deliverBy: at(acceptedAt, 2 * DAY),
          fulfilledAt: at(acceptedAt, DAY),
        });
        await h.offer(net, order, poor, 'ACCEPTED', at(acceptedAt, -HOUR));
      }
      const g = await health.relationshipHealth(net, good, now);
      const p = await health.relationshipHealth(net, poor, now);
      // Good: every rate 1, 20 observations: 5 + 5 * 20/23.
      expect(g.evaluation.reliability.value).toBe(9.35);
      // Poor: accepted 2/10, answered 6/10, on time 2/2: x = 0.3*0.2 + 0.2*0.6 + 0.5*1 = 0.68, raw = 10 - 18*0.32 = 4.24, 12 observations.
      expect(p.evaluation.reliability.value).toBe(4.39);
      expect(g.evaluation.score).toBeGreaterThan(p.evaluation.score);
      expect(p.signals).toEqual(expect.arrayContaining(['Let 4 of 10 offers expire without an answer.', 'Declined 4 of 10 offers.']));
      // Routing sees the same order (through its port, which reads the latest snapshots): the good supplier's health is higher.
      await snapshots.snapshotNetwork(net, now);
      const scores = await health.healthOf(app.get(DataSource).manager, net, [good, poor, randomUUID()]);
      expect(scores.get(good)).toBeCloseTo(g.evaluation.score / 100, 10);
      expect(scores.get(poor)).toBeCloseTo(p.evaluation.score / 100, 10);
      expect(scores.size).toBe(2);
      // ...and weighs the same reliability part as its one reliability measure, scaled to 0..1 (part / 10).
      const standings = await health.standingsOf(app.get(DataSource).manager, net, [good, poor, randomUUID()]);
      expect(standings.get(good)?.reliability).toBeCloseTo(0.935, 10);
      expect(standings.get(poor)?.reliability).toBeCloseTo(0.439, 10);
      expect(standings.get(good)?.health).toBeCloseTo(g.evaluation.score / 100, 10);
      expect(standings.size).toBe(2);
    });

    it('counts late and overdue deliveries against reliability', async () => {
      const net = await h.network();
      const client = await h.member(net, ['CLIENT']);
      const punctual = await h.member(net, ['SUPPLIER']);
      const late = await h.member(net, ['SUPPLIER']);
      for (const [supplier, lateOnes] of [
        [punctual, 0],
        [late, 3],
      ] as const) {
        for (let i = 0; i < 6; i++) {
          const acceptedAt = ago(now, (4 + 10 * i) * DAY);
          const fulfilledAt = at(acceptedAt, DAY);
          const order = await h.order({
            networkId: net,
            clientId: client,
            supplierId: supplier,
            createdAt: at(acceptedAt, -HOUR),
            acceptedAt,
            deliverBy: i < lateOnes ? at(fulfilledAt, -HOUR) : at(fulfilledAt, HOUR),
            fulfilledAt,
          });
          await h.offer(net, order, supplier, 'ACCEPTED', at(acceptedAt, -HOUR));
        }
      }
      const onTime = await health.relationshipHealth(net, punctual, now);
      const tardy = await health.relationshipHealth(net, late, now);
      expect(tardy.evaluation.reliability.value).toBeLessThan(onTime.evaluation.reliability.value);
      expect(tardy.signals).toContain('Fulfilled 3 of 6 orders after their deliverBy.');
    });

    it("counts a client's cancellations against its reliability", async () => {
      const net = await h.network();
      const supplier = await h.member(net, ['SUPPLIER']);
      const steady = await h.member(net, ['CLIENT']);
      const fickle = await h.member(net, ['CLIENT']);
      for (const [clientId, cancelled] of [
        [steady, 0],
        [fickle, 3],
      ] as const) {
        for (let i = 0; i < 6; i++) {
          const createdAt = ago(now, (2 + 7 * i) * DAY);
          const cancel = i < cancelled;
          await h.order({
            networkId: net,
            clientId,
            supplierId: cancel ? null : supplier,
            createdAt,
            acceptedAt: cancel ? null : at(createdAt, HOUR),
            deliverBy: at(createdAt, 2 * DAY),
            fulfilledAt: cancel ? null : at(createdAt, DAY),
            cancelledAt: cancel ? at(createdAt, 2 * HOUR) : null,
          });
        }
      }
      const a = await health.relationshipHealth(net, steady, now);
      const b = await health.relationshipHealth(net, fickle, now);
      expect(b.measures.client).toEqual({ placed: 6, cancelled: 3 });
      // x = 0.5: raw = 10 - 18 x 0.5 = 1, weighted 6/9.
      expect(b.evaluation.reliability.value).toBe(2.33);
      expect(a.evaluation.reliability.value).toBe(8.33);
      expect(b.signals).toContain('Cancelled 3 of 6 orders it placed.');
    });

    it('lowers trust when the hub takes more from a member than the network norm', async () => {
      const net = await h.network();
      const supplier = await h.member(net, ['SUPPLIER']);
      const fair = await h.member(net, ['CLIENT'], { joinedAt: ago(now, 100 * DAY) });
      const charged = await h.member(net, ['CLIENT'], { joinedAt: ago(now, 100 * DAY) });
      for (const [clientId, clientFeeBps] of [
        [fair, 1000],
        [charged, 1500],
      ] as const) {
        for (let i = 0; i < 5; i++) {
          const acceptedAt = ago(now, (2 + 7 * i) * DAY);
          await h.order({
            networkId: net,
            clientId,
            supplierId: supplier,
            clientFeeBps,
            createdAt: at(acceptedAt, -HOUR),
            acceptedAt,
            deliverBy: at(acceptedAt, 2 * DAY),
            fulfilledAt: at(acceptedAt, DAY),
          });
        }
      }
      const a = await health.relationshipHealth(net, fair, now);
      const b = await health.relationshipHealth(net, charged, now);
      // Norm on the client side: (5 x 12.00 + 5 x 18.00) / (10 x 120.00) = 12.5%; 10% is 0.8 of it, 15% is 1.2.
      expect(a.evaluation.selfOrientation.value).toBe(4);
      expect(b.evaluation.selfOrientation.value).toBe(6);
      expect([a.evaluation.credibility.value, a.evaluation.reliability.value, a.evaluation.intimacy.value]).toEqual([
        b.evaluation.credibility.value,
        b.evaluation.reliability.value,
        b.evaluation.intimacy.value,
      ]);
      expect(b.evaluation.trust).toBeLessThan(a.evaluation.trust);
      expect(b.evaluation.score).toBeLessThan(a.evaluation.score);
      expect(b.signals).toContain("The hub keeps 15% of this member's business, 1.2 times the network norm of 12.5%.");
      expect(a.signals.some((x) => x.startsWith('The hub keeps'))).toBe(false);
      expect(b.values.valueToHub).toBe(5n * 1_800n);
    });

    it('counts a fee increase in the window against self-orientation', async () => {
      const net = await h.network();
      const supplier = await h.member(net, ['SUPPLIER']);
      const client = await h.member(net, ['CLIENT']);
      const acceptedAt = ago(now, 10 * DAY);
      await h.order({
        networkId: net,
        clientId: client,
        supplierId: supplier,
        createdAt: at(acceptedAt, -HOUR),
        acceptedAt,
        deliverBy: at(acceptedAt, 2 * DAY),
        fulfilledAt: at(acceptedAt, DAY),
      });
      const before = await health.relationshipHealth(net, client, now);
      // The network's client fee rises after the order; the old one stays on the order.
      await h.feeChange(
        net,
        null,
        { clientFeeBps: 1200, supplierFeeBps: 500, partnerShareBps: 2000, partnerShareMonths: 12, offerTimeoutSeconds: 900 },
        ago(now, 2 * DAY),
      );
      const after = await health.relationshipHealth(net, client, now);
      expect(after.evaluation.selfOrientation.value).toBe(before.evaluation.selfOrientation.value + 1);
      expect(after.measures.feeIncreases).toEqual([{ field: 'clientFeeBps', from: 1000, to: 1200, at: ago(now, 2 * DAY), scope: 'NETWORK' }]);
      // The supplier's fee did not change.
      expect((await health.relationshipHealth(net, supplier, now)).measures.feeIncreases).toEqual([]);
    });

    it('lowers credibility with refunds, suspensions and a weaker vetting status', async () => {
      const net = await h.network();
      const client = await h.member(net, ['CLIENT']);
      const clean = await h.member(net, ['SUPPLIER']);
      const refunded = await h.member(net, ['SUPPLIER']);
      for (const supplier of [clean, refunded]) {
        for (let i = 0; i < 6; i++) {
          const acceptedAt = ago(now, (4 + 10 * i) * DAY);
          const fulfilledAt = at(acceptedAt, DAY);
          await h.order({
            networkId: net,
            clientId: client,
            supplierId: supplier,
            createdAt: at(acceptedAt, -HOUR),
            acceptedAt,
            deliverBy: at(acceptedAt, 2 * DAY),
            fulfilledAt,
            refundedAt: supplier === refunded && i < 2 ? at(fulfilledAt, DAY) : null,
          });
        }
      }
      const a = await health.relationshipHealth(net, clean, now);
      const b = await health.relationshipHealth(net, refunded, now);
      expect(a.evaluation.credibility.value).toBe(9);
      // 9 - 8 x 2 / (6 + 2)
      expect(b.evaluation.credibility.value).toBe(7);
      expect(b.evaluation.score).toBeLessThan(a.evaluation.score);
      // Refunds are posted activity: the reversed orders count for neither side.
      expect(b.values.valueToMember).toBe(4n * (12_000n - 600n));
      expect(b.values.acquisitionCostPerOrder).toBe(600n);

      await h.vetting(net, refunded, 'VETTED', 'SUSPENDED', ago(now, 5 * DAY));
      const suspended = await health.relationshipHealth(net, refunded, now);
      // Base 3 for SUSPENDED, one setback -1.5, refunds -2.
      expect(suspended.evaluation.credibility.value).toBe(1);
      expect(suspended.signals).toEqual(
        expect.arrayContaining([
          'Vetting status is SUSPENDED: credibility starts at 3, not 9 as for a vetted supplier.',
          'Suspended or revoked 1 time in the window: credibility -1.5.',
          '2 of 6 orders it fulfilled in the window were refunded: credibility -2.',
        ]),
      );
    });

    it('grows intimacy with repeat business and breadth', async () => {
      const net = await h.network();
      const supplier = await h.member(net, ['SUPPLIER']);
      const regular = await h.member(net, ['CLIENT'], { joinedAt: ago(now, 100 * DAY) });
      const once = await h.member(net, ['CLIENT'], { joinedAt: ago(now, 100 * DAY) });
      for (let i = 0; i < 8; i++) {
        const createdAt = ago(now, (1 + 7 * i) * DAY);
        await h.order({
          networkId: net,
          clientId: regular,
          supplierId: supplier,
          category: i % 2 ? 'flowers' : 'gift-baskets',
          createdAt,
          acceptedAt: at(createdAt, HOUR),
          deliverBy: at(createdAt, 2 * DAY),
          fulfilledAt: at(createdAt, DAY),
        });
      }
      const createdAt = ago(now, 20 * DAY);
      await h.order({
        networkId: net,
        clientId: once,
        supplierId: supplier,
        createdAt,
        acceptedAt: at(createdAt, HOUR),
        deliverBy: at(createdAt, 2 * DAY),
        fulfilledAt: at(createdAt, DAY),
      });
      const r = await health.relationshipHealth(net, regular, now);
      const o = await health.relationshipHealth(net, once, now);
      expect(r.measures).toMatchObject({ activeWeeks: 8, categories: 2 });
      expect(o.measures).toMatchObject({ activeWeeks: 1, categories: 1 });
      expect(r.evaluation.intimacy.value).toBeGreaterThan(o.evaluation.intimacy.value);
      expect(o.signals).toEqual(expect.arrayContaining(['Did business in 1 of the last 13 weeks.', 'Active in 1 category (3 or more count fully).']));
    });

    it('gives a member with no activity neutral parts (5), score 50 and a signal saying so', async () => {
      const net = await h.network();
      const idle = await h.member(net, ['CLIENT', 'SUPPLIER'], { joinedAt: ago(now, 30 * DAY) });
      const r = await health.relationshipHealth(net, idle, now);
      expect(parts(r)).toEqual({ credibility: 5, reliability: 5, intimacy: 5, selfOrientation: 5, trust: 3, score: 50 });
      expect(r.atRisk).toBe(false);
      expect(r.signals).toEqual(['No activity in the last 90 days: every part is neutral (5).']);
      expect(r.values).toEqual({ valueToMember: 0n, valueToHub: 0n, acquisitionCostPerOrder: null });
    });

    it('looks only at the network setting healthWindowDays', async () => {
      const net = await h.network({ settings: { healthWindowDays: 30 } });
      const supplier = await h.member(net, ['SUPPLIER']);
      const client = await h.member(net, ['CLIENT']);
      const acceptedAt = ago(now, 40 * DAY);
      await h.order({
        networkId: net,
        clientId: client,
        supplierId: supplier,
        createdAt: acceptedAt,
        acceptedAt,
        deliverBy: at(acceptedAt, 2 * DAY),
        fulfilledAt: at(acceptedAt, DAY),
      });
      const r = await health.relationshipHealth(net, client, now);
      expect(r.windowDays).toBe(30);
      expect(r.evaluation.neutral).toBe(true);
      expect(r.signals).toEqual(['No activity in the last 30 days: every part is neutral (5).']);
      await app.get(HealthSettingsService).update(net, { windowDays: 60 });
      const wider = await health.relationshipHealth(net, client, now);
      expect(wider.evaluation.neutral).toBe(false);
      expect(wider.values.valueToMember).toBe(12_000n);
    });

    it('answers NOT_FOUND for a member of another network or an id that is no member', async () => {
      const a = await h.network();
      const b = await h.network();
      const m = await h.member(b, ['CLIENT']);
      await expect(health.relationshipHealth(a, m, now)).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await expect(health.relationshipHealth(a, randomUUID(), now)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    });
  });

  describe('access', () => {
    it('lets the member itself and its operator reach its health, and nobody else', async () => {
      const net = await h.network();
      const other = await h.network();
      const partner = await h.member(net, ['PARTNER']);
      const client = await h.member(net, ['CLIENT'], { referredById: partner });
      const supplier = await h.member(net, ['SUPPLIER']);
      const policy = app.get(HealthPolicy);
      expect((await policy.reachableMember(operator(net), client)).id).toBe(client);
      expect((await policy.reachableMember(member(net, client, ['CLIENT']), client)).id).toBe(client);
      expect((await policy.reachableMember(member(net, supplier, ['SUPPLIER']), supplier)).id).toBe(supplier);
      // Another member, even the partner that referred it: as if it did not exist.
      await expect(policy.reachableMember(member(net, supplier, ['SUPPLIER']), client)).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await expect(policy.reachableMember(member(net, partner, ['PARTNER']), client)).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await expect(policy.reachableMember(operator(other), client)).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await expect(policy.reachableMember(operator(net), 'not-a-uuid')).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await expect(policy.reachableMember({ kind: 'ADMIN' }, client)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    });
  });

  describe('acquisition baseline', () => {
    it('is set in the network currency and shown beside the cost per order', async () => {
      const net = await h.network();
      const s = await h.member(net, ['SUPPLIER']);
      const baselines = app.get(AcquisitionBaselineService);
      for (const bad of [
        { amount: '5.00', currency: 'EUR' },
        { amount: '-1.00', currency: 'USD' },
        { amount: '1.234', currency: 'USD' },
        { amount: 'x', currency: 'USD' },
      ]) {
        await expect(baselines.set(net, s, bad)).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
      }
      expect((await health.relationshipHealth(net, s, now)).acquisitionBaseline).toBeNull();
      await baselines.set(net, s, { amount: '100', currency: 'usd' });
      expect((await health.relationshipHealth(net, s, now)).acquisitionBaseline).toBe(10_000n);
      await expect(baselines.set(net, randomUUID(), { amount: '1.00', currency: 'USD' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    });

    it('signals when the hub costs a supplier more per order than its baseline', async () => {
      const net = await h.network();
      const client = await h.member(net, ['CLIENT']);
      const s = await h.member(net, ['SUPPLIER'], { baselineMinor: 500n });
      const acceptedAt = ago(now, 3 * DAY);
      await h.order({
        networkId: net,
        clientId: client,
        supplierId: s,
        createdAt: acceptedAt,
        acceptedAt,
        deliverBy: at(acceptedAt, 2 * DAY),
        fulfilledAt: at(acceptedAt, DAY),
      });
      const r = await health.relationshipHealth(net, s, now);
      expect(r.values.acquisitionCostPerOrder).toBe(600n);
      expect(r.signals).toContain('It pays 6.00 USD per order in supplier fees, more than its declared acquisition cost of 5.00 USD.');
    });
  });

  describe('snapshots and at-risk events', () => {
    async function troubled(net: string) {
      const client = await h.member(net, ['CLIENT']);
      const bad = await h.member(net, ['SUPPLIER'], { joinedAt: ago(now, 20 * DAY) });
      await h.vetting(net, bad, 'VETTED', 'SUSPENDED', ago(now, 3 * DAY));
      for (let i = 0; i < 10; i++) {
        const order = await h.order({ networkId: net, clientId: client, createdAt: ago(now, (i + 1) * DAY), deliverBy: now });
        await h.offer(net, order, bad, 'EXPIRED', ago(now, (i + 1) * DAY));
      }
      return { client, bad };
    }

    it('snapshots every member, raises an event when one becomes at risk, and writes nothing when run again', async () => {
      const net = await h.network();
      const { client, bad } = await troubled(net);
      const fine = await h.member(net, ['PARTNER']);
      const live = await health.relationshipHealth(net, bad, now);
      expect(live.atRisk).toBe(true);
      expect(live.evaluation.score).toBeLessThan(40);
      expect(live.signals[0]).toBe(`Score ${live.evaluation.score} is below the at-risk threshold of 40.`);

      expect(await snapshots.snapshotNetwork(net, now)).toEqual({ networkId: net, members: 3, snapshots: 3, events: 1 });
      // At-least-once delivery: the same run again changes nothing.
      expect(await snapshots.snapshotNetwork(net, at(now, 1000))).toEqual({ networkId: net, members: 3, snapshots: 0, events: 0 });

      const events = await snapshots.events(net, 10, null);
      expect(events.totalCount).toBe(1);
      expect(events.edges[0].node).toMatchObject({ memberId: bad, atRisk: true, score: live.evaluation.score });
      expect(events.edges[0].node.reason).toMatch(
        new RegExp(`^At risk: score ${live.evaluation.score}\\. Score ${live.evaluation.score} is below the at-risk threshold of 40\\.`),
      );
      const history = await snapshots.history(net, bad, null);
      expect(history).toHaveLength(1);
      expect(history[0]).toMatchObject({ score: live.evaluation.score, atRisk: true, credibility: live.evaluation.credibility.value });
      expect((await snapshots.history(net, client, null))[0].atRisk).toBe(false);
      expect((await snapshots.history(net, fine, null))[0].score).toBe(50);

      // The operator drops the threshold to 0: the member recovers, one more event.
      await app.get(HealthSettingsService).update(net, { atRiskScore: 0 });
      const later = at(now, 60_000);
      expect(await snapshots.snapshotNetwork(net, later)).toMatchObject({ snapshots: 1, events: 1 });
      const after = await snapshots.events(net, 1, null);
      expect(after.edges[0].node).toMatchObject({ memberId: bad, atRisk: false });
      expect(after.edges[0].node.reason).toMatch(/^No longer at risk: score /);
      expect(after.pageInfo.hasNextPage).toBe(true);
      const next = await snapshots.events(net, 1, after.pageInfo.endCursor);
      expect(next.edges.map((e) => e.node.atRisk)).toEqual([true]);
      expect(next.pageInfo.hasNextPage).toBe(false);
      expect((await snapshots.history(net, bad, null)).map((s) => s.atRisk)).toEqual([false, true]);
      // Routing reads the latest snapshot.
      const [latest] = await snapshots.history(net, bad, 1);
      expect((await health.healthOf(app.get(DataSource).manager, net, [bad])).get(bad)).toBeCloseTo(latest.score / 100, 10);
      // The scheduled job without a network id goes through every network; this one has nothing new.
      const all = await snapshots.run(undefined, at(now, 120_000));
      expect(all.find((x) => x.networkId === net)).toEqual({ networkId: net, members: 3, snapshots: 0, events: 0 });
      const [{ count }] = await app.get(DataSource).query(`SELECT count(*)::int AS count FROM networks`);
      expect(all).toHaveLength(count);
    });

    it('flags a sharp drop against the best snapshot of the last 7 days', async () => {
      const net = await h.network();
      const m = await h.member(net, ['CLIENT']);
      await h.snapshot(net, m, 80, ago(now, 3 * DAY));
      await h.snapshot(net, m, 62, ago(now, 2 * DAY));
      await h.snapshot(net, m, 99, ago(now, 8 * DAY)); // outside the lookback
      const r = await health.relationshipHealth(net, m, now);
      expect(r.evaluation.score).toBe(50);
      expect(r.atRisk).toBe(true);
      expect(r.signals[0]).toBe('Score fell 30 points from 80 within the last 7 days.');
      await app.get(HealthSettingsService).update(net, { sharpDrop: 31 });
      expect((await health.relationshipHealth(net, m, now)).atRisk).toBe(false);
    });

    it('rejects a cursor that is not from the events list', async () => {
      const net = await h.network();
      await expect(snapshots.events(net, 10, 'bm90LWEtY3Vyc29y')).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
      await expect(snapshots.events(net, 101, null)).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
    });
  });

  describe('settings', () => {
    it('reads defaults, merges changes and refuses values out of range without changing anything', async () => {
      const net = await h.network({ settings: { settlementEveryHours: 24 } });
      const settings = app.get(HealthSettingsService);
      expect(await settings.get(net)).toEqual({ windowDays: 90, atRiskScore: 40, sharpDrop: 15, dropLookbackDays: 7, idleDays: 90 });
      expect(await settings.update(net, { windowDays: 60, idleDays: null })).toMatchObject({ windowDays: 60, idleDays: 90 });
      await expect(settings.update(net, { windowDays: 60, atRiskScore: 101 })).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
      await expect(settings.update(net, { windowDays: 3 })).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
      expect(await settings.get(net)).toMatchObject({ windowDays: 60, atRiskScore: 40 });
      const [raw] = await app.get(DataSource).query(`SELECT * FROM health_settings WHERE network_id = $1`, [net]);
      expect(raw).toEqual({
        network_id: net,
        health_window_days: 60,
        health_at_risk_score: null,
        health_sharp_drop: null,
        health_drop_lookback_days: null,
        member_idle_days: null,
      });
    });
  });
});
