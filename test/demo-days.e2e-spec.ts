import { INestApplication } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock, DAY_MS } from '@tandem/common';
import { HealthSnapshotService } from '@tandem/health';
import { setSimulatedClock } from '@tandem/persistence';
import { eventually } from '@tandem/testing';
import { GraphqlClient } from '../tools/demo/graphql-client';
import { Progress } from '../tools/demo/hub-day';
import { runHubQuarter } from '../tools/demo/hub-quarter';
import { renderQuarterReport, sparkline } from '../tools/demo/quarter-report';
import { TandemHarness } from './support/tandem';

const quiet: Progress = { phase: () => undefined, tick: () => undefined, done: () => undefined };
const DAYS = 14;

describe('npm run demo -- --days 14 (simulated days under the one clock)', () => {
  let t: TandemHarness;
  beforeAll(async () => {
    t = await TandemHarness.start('demo-days', { config: { simulatedClock: true } });
  });
  afterAll(() => t.stop());

  it('simulates two weeks through the API; its totals are the ledger, and every time is simulated time', async () => {
    // The harness keeps its worker to itself; its clock must follow as the API's does.
    const worker = (t as unknown as { worker: INestApplication }).worker;
    const clocks = [t.api.get(Clock), worker.get(Clock)];
    const start = new Date(Math.floor(Date.now() / DAY_MS) * DAY_MS - DAYS * DAY_MS);
    const report = await runHubQuarter(
      new GraphqlClient(t.url),
      t.adminKey,
      { days: DAYS, ordersPerDay: 12, seed: 3, offerTimeoutSeconds: 1, concurrency: 6, start },
      {
        advanceTo: async (at) => {
          await setSimulatedClock(t.config.databaseUrl, at);
          await eventually(async () => clocks.every((c) => c.now().getTime() >= at.getTime()));
        },
        snapshot: async (networkId) => void (await t.api.get(HealthSnapshotService, { strict: false }).snapshotNetwork(networkId)),
      },
      quiet,
    );
    const db = t.api.get(DataSource);
    const network = report.network.id;
    const end = new Date(start.getTime() + (DAYS + 1) * DAY_MS);

    // Every order ended final, and the statements closed exactly what the orders say clients owe.
    const orders = await db.query(`SELECT status, count(*)::int AS n FROM orders WHERE network_id = $1 GROUP BY 1`, [network]);
    expect(Object.fromEntries(orders.map((o: any) => [o.status, o.n]))).toEqual(report.statusCounts);
    expect(Object.values(report.statusCounts).reduce((a, b) => a + b, 0)).toBe(DAYS * 12);
    expect(report.statementClientTotal).toBe(report.expectedClientTotal);
    expect(report.expectedClientTotal).toBeGreaterThan(0n);
    expect(report.trialBalance.balanced).toBe(true);
    expect(report.trialBalance.debits).toBe(report.trialBalance.credits);

    // What clients owe, from the ledger itself: their purchases and client fees posted, net of refunds.
    const [ledger] = await db.query(
      `SELECT (sum(p.amount_minor) FILTER (WHERE p.line IN ('PURCHASE', 'CLIENT_FEE')))::text AS client,
              min(p.created_at) AS first, max(p.created_at) AS last
         FROM postings p JOIN journal_entries e ON e.id = p.entry_id
        WHERE e.network_id = $1 AND e.kind IN ('ORDER_FULFILMENT', 'ORDER_REFUND')`,
      [network],
    );
    expect(BigInt(ledger.client)).toBe(report.expectedClientTotal);
    // Postings carry the simulated days they were made on, not the minutes the test took.
    expect(ledger.first.getTime()).toBeGreaterThanOrEqual(start.getTime());
    expect(ledger.last.getTime()).toBeLessThan(end.getTime());
    expect(Math.floor((ledger.last.getTime() - start.getTime()) / DAY_MS)).toBeGreaterThanOrEqual(DAYS - 1);

    // Orders were placed on every simulated day; members joined on several; snapshots were taken daily.
    const placedDays = await db.query(
      `SELECT count(DISTINCT floor(extract(epoch FROM created_at - $2::timestamptz) / 86400))::int AS n FROM orders WHERE network_id = $1`,
      [network, start],
    );
    expect(placedDays[0].n).toBe(DAYS);
    // Order histories too: every event is stamped on its simulated day, not when the test wrote it.
    const [events] = await db.query(`SELECT min(created_at) AS first, max(created_at) AS last FROM order_events WHERE network_id = $1`, [network]);
    expect(events.first.getTime()).toBeGreaterThanOrEqual(start.getTime());
    expect(events.last.getTime()).toBeLessThan(end.getTime());
    // Offers left unanswered expired on their real timeout, though their expiry is simulated time.
    const [expired] = await db.query(`SELECT count(*)::int AS n FROM order_events WHERE network_id = $1 AND type = 'expired'`, [network]);
    expect(expired.n).toBeGreaterThan(0);
    // Each dispute resolved with a refund gave back part of one order, on its simulated day.
    const [refunds] = await db.query(
      `SELECT count(*)::int AS n, count(*) FILTER (WHERE created_at < $2 OR created_at >= $3)::int AS outside FROM order_refunds WHERE network_id = $1`,
      [network, start, end],
    );
    expect(refunds).toEqual({ n: report.statusCounts.PARTIALLY_REFUNDED ?? 0, outside: 0 });
    const joinDays = await db.query(`SELECT count(DISTINCT date_trunc('day', joined_at))::int AS n FROM members WHERE network_id = $1`, [network]);
    expect(joinDays[0].n).toBeGreaterThan(3);
    const maison = report.trends.find((x) => x.member === 'Maison Hotel Group');
    // A score for every day of the run, carried from the daily snapshots.
    expect(maison?.scores.length).toBe(DAYS);

    // The report says who eroded and when, in the days of the run; it renders its sections.
    for (const e of report.eroded) {
      expect(e.flaggedDay).toBeGreaterThanOrEqual(0);
      expect(e.flaggedDay).toBeLessThan(DAYS + 1);
      expect(e.reason.length).toBeGreaterThan(0);
    }
    const rendered = renderQuarterReport(report);
    for (const section of ['Retention against acquisition', 'Relationships that eroded', 'acquisition cost per order', 'Health trends']) {
      expect(rendered).toContain(section);
    }
    expect(report.months).toHaveLength(1);
    expect(report.months[0].orders).toBe(DAYS * 12);
  }, 300_000); // 14 days of orders, answers, expiries and snapshots on a loaded 2-core machine

  it('draws scores as sparklines', () => {
    expect(sparkline([0, 50, 100])).toBe('▁▅█');
    expect(sparkline([10, 10, 90, 90], 2)).toBe('▁█');
    expect(sparkline([])).toBe('-');
  });
});
