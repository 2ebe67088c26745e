import { INestApplicationContext } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { DataSource } from 'typeorm';
import { TandemConfigModule } from '@tandem/common';
import { JobsModule } from '@tandem/jobs';
import { PersistenceModule } from '@tandem/persistence';
import { clearQueues, createTestDatabase, testConfig } from '@tandem/testing';
import { DAY, HOUR, HealthHistory, ago } from '@tandem/health/testing';
// The constructed histories health's suites use too (they would sit better in libs/testing).
import { AnalyticsModule } from './analytics.module';
import { monthKey } from './insight/network-insight';
import { NetworkInsightService } from './insight/network-insight.service';

const at = (t: Date, ms: number) => new Date(t.getTime() + ms);

describe('network analytics (PostgreSQL)', () => {
  let app: INestApplicationContext;
  let drop: () => Promise<void>;
  let clear: () => Promise<void>;
  let h: HealthHistory;
  let insight: NetworkInsightService;
  const now = new Date();

  beforeAll(async () => {
    const db = await createTestDatabase('analytics');
    drop = db.drop;
    const config = testConfig(db.url);
    clear = () => clearQueues(config.redisUrl, config.queuePrefix);
    const mod = await Test.createTestingModule({
      imports: [TandemConfigModule.forRoot(config), PersistenceModule.forRoot({ url: db.url }), JobsModule.forRoot(config), AnalyticsModule],
    }).compile();
    app = await mod.init();
    h = new HealthHistory(app.get(DataSource));
    insight = app.get(NetworkInsightService);
  });

  afterAll(async () => {
    await app?.close();
    await clear?.();
    await drop?.();
  });

  describe('network insight', () => {
    it('counts joins and losses per month and role, cohorts, the acquisition gap and the power balance', async () => {
      const net = await h.network();
      const active = await h.member(net, ['CLIENT'], { joinedAt: ago(now, 150 * DAY) });
      const idle = await h.member(net, ['CLIENT'], { joinedAt: ago(now, 120 * DAY) });
      const revoked = await h.member(net, ['SUPPLIER'], { joinedAt: ago(now, 60 * DAY) });
      const top = await h.member(net, ['SUPPLIER', 'PARTNER'], { joinedAt: ago(now, 2 * DAY) });
      const second = await h.member(net, ['SUPPLIER'], { joinedAt: ago(now, 200 * DAY) });
      await h.vetting(net, revoked, 'VETTED', 'REVOKED', ago(now, 10 * DAY));
      for (const [supplier, n] of [
        [top, 3],
        [second, 1],
      ] as const) {
        for (let i = 0; i < n; i++) {
          const t = ago(now, DAY + i * HOUR);
          await h.order({
            networkId: net,
            clientId: active,
            supplierId: supplier,
            createdAt: t,
            acceptedAt: t,
            deliverBy: at(t, DAY),
            fulfilledAt: at(t, HOUR),
          });
        }
      }
      const ctx = insight.context(net, 12, now);
      // Latest business from orders and postings (the fulfilment posting is an hour after acceptance), revocation from the vetting history.
      const { lives, idleDays } = await ctx.lives();
      expect(idleDays).toBe(90);
      const life = (id: string) => lives.find((l) => l.id === id);
      const lastPosting = at(ago(now, DAY), HOUR);
      expect(life(active)).toMatchObject({ lastActiveAt: lastPosting, revokedAt: null });
      expect(life(idle)).toMatchObject({ lastActiveAt: ago(now, 120 * DAY), revokedAt: null });
      expect(life(revoked)).toMatchObject({ lastActiveAt: ago(now, 60 * DAY), revokedAt: ago(now, 10 * DAY) });
      expect(life(top)).toMatchObject({ roles: ['SUPPLIER', 'PARTNER'], lastActiveAt: lastPosting });
      expect(life(second)).toMatchObject({ lastActiveAt: lastPosting });

      const membership = await insight.membership(ctx);
      expect(membership).toHaveLength(36);
      const row = (when: Date, role: string) => {
        const found = membership.find((r) => r.month === monthKey(when) && r.role === role);
        if (!found) throw new Error(`no row for ${monthKey(when)} ${role}`);
        return found;
      };
      // The idle client is lost 90 days after it joined (it never ordered); the revoked supplier on revocation.
      const idleLost = ago(now, 30 * DAY);
      expect(row(ago(now, 120 * DAY), 'CLIENT').joined).toBeGreaterThanOrEqual(1);
      expect(row(idleLost, 'CLIENT').lost).toBe(1);
      expect(row(ago(now, 10 * DAY), 'SUPPLIER').lost).toBe(1);
      expect(row(ago(now, 2 * DAY), 'PARTNER').joined).toBe(1);
      expect(membership.reduce((s, r) => s + r.joined, 0)).toBe(6); // top counts as SUPPLIER and PARTNER
      expect(membership.reduce((s, r) => s + r.lost, 0)).toBe(2);
      // second's last order was a day ago: not lost, although it joined 200 days ago.

      const cohorts = await insight.cohorts(ctx);
      expect(cohorts.find((c) => c.month === monthKey(ago(now, 2 * DAY)))?.retained).toBeGreaterThanOrEqual(1);
      expect(cohorts.filter((c) => c.joined === 0).every((c) => c.retention === null)).toBe(true);
      expect(cohorts.reduce((s, c) => s + c.joined, 0)).toBe(5);
      expect(cohorts.reduce((s, c) => s + c.retained, 0)).toBe(3);

      const gap = await insight.acquisitionVsRetention(ctx);
      expect(gap).toMatchObject({ acquired: 5, lost: 2, net: 3, membersAtStart: 0, lostPerAcquired: 0.4, eroding: false });

      const { currency, rows } = await insight.powerBalance(net, 3, now);
      expect(currency).toBe('USD');
      expect(rows).toEqual([
        {
          category: 'flowers',
          orders: 4,
          business: 48_000n,
          suppliers: 2,
          topSuppliers: [
            { supplierId: top, orders: 3, business: 36_000n, share: 0.75 },
            { supplierId: second, orders: 1, business: 12_000n, share: 0.25 },
          ],
          topSupplierShare: 0.75,
          topShare: 1,
          concentration: 0.625,
        },
      ]);
    });

    it('counts a partially refunded order in the power balance at its price less what was refunded', async () => {
      const net = await h.network();
      const client = await h.member(net, ['CLIENT'], { joinedAt: ago(now, 30 * DAY) });
      const supplier = await h.member(net, ['SUPPLIER'], { joinedAt: ago(now, 30 * DAY) });
      const orders: string[] = [];
      for (let i = 0; i < 2; i++) {
        const t = ago(now, 2 * DAY + i * HOUR);
        orders.push(
          await h.order({
            networkId: net,
            clientId: client,
            supplierId: supplier,
            createdAt: t,
            acceptedAt: t,
            deliverBy: at(t, DAY),
            fulfilledAt: at(t, HOUR),
          }),
        );
      }
      await h.partialRefund(orders[0], 3_000n, ago(now, DAY));
      const { rows } = await insight.powerBalance(net, 3, now);
      // Two orders of 120.00, one refunded 30.00: 210.00 of business.
      expect(rows).toMatchObject([
        { category: 'flowers', orders: 2, business: 21_000n, topSuppliers: [{ supplierId: supplier, orders: 2, business: 21_000n, share: 1 }] },
      ]);
    });
  });
});
