import { DataSource } from 'typeorm';
import { formatAmount } from '@tandem/money';
import { GraphqlClient } from '../tools/demo/graphql-client';
import { Progress, runHubDay } from '../tools/demo/hub-day';
import { renderReport } from '../tools/demo/report';
import { TandemHarness } from './support/tandem';

const quiet: Progress = { phase: () => undefined, tick: () => undefined, done: () => undefined };

describe('npm run demo (a small hub day)', () => {
  let t: TandemHarness;
  beforeAll(async () => {
    t = await TandemHarness.start('demo');
  });
  afterAll(() => t.stop());

  it('runs 200 orders end to end and its report agrees with the ledger', async () => {
    const report = await runHubDay(new GraphqlClient(t.url), t.adminKey, { orders: 200, seed: 7, offerTimeoutSeconds: 1, concurrency: 8 }, quiet);

    // Every order (and the worked example) ended in a final state.
    const total = Object.values(report.statusCounts).reduce((a, b) => a + b, 0);
    expect(total).toBe(201);
    expect(
      Object.keys(report.statusCounts).every((s) => ['FULFILLED', 'PARTIALLY_REFUNDED', 'DISPUTED', 'REFUNDED', 'CANCELLED', 'UNROUTABLE'].includes(s)),
    ).toBe(true);
    expect(report.statusCounts.FULFILLED).toBeGreaterThan(0);

    // The report's client totals are what the ledger closed into statements.
    expect(report.statementClientTotal).toBe(report.expectedClientTotal);
    expect(report.trialBalance.balanced).toBe(true);
    expect(report.trialBalance.debits).toBe(report.trialBalance.credits);

    // The worked example of docs/api.md, to the cent.
    const f = report.example.fees;
    expect([f.price.amount, f.clientFee.amount, f.supplierFee.amount, f.clientPays.amount, f.supplierReceives.amount, f.hubNet.amount]).toEqual([
      '120.00',
      '12.00',
      '6.00',
      '132.00',
      '114.00',
      '14.40',
    ]);
    expect(f.partnerShares.map((s: any) => [s.partner.name, s.amount.amount])).toEqual([
      ['Northstar Referrals', '2.40'],
      ['Concierge Collective', '1.20'],
    ]);

    // Routing explained its exclusions, and the report renders, the say of both sides beside the trial balance.
    expect(Object.keys(report.exclusionReasons).length).toBeGreaterThan(0);
    const rendered = renderReport(report);
    expect(rendered).toContain('Orders by final status');
    expect(rendered.indexOf('trial balance USD')).toBeLessThan(rendered.indexOf('resolved with a refund'));
    expect(rendered).toContain('Ratings: what both sides said');

    const db = t.api.get(DataSource);
    const network = report.network.id;

    // A day this small disputes five orders, one of each ending of the cycle (tools/demo/both-sides.ts) and a second
    // partial one; Order.dispute, the disputes table and the orders' statuses agree.
    const disputes = await db.query(
      `SELECT d.status, o.status AS order_status, count(*)::int AS n, count(d.supplier_response)::int AS answered
         FROM disputes d JOIN orders o ON o.id = d.order_id WHERE d.network_id = $1 GROUP BY 1, 2 ORDER BY 1, 2`,
      [network],
    );
    expect(disputes.map((d: any) => [d.status, d.order_status, d.n])).toEqual([
      ['OPEN', 'DISPUTED', 1],
      ['REJECTED', 'FULFILLED', 1],
      ['RESOLVED', 'PARTIALLY_REFUNDED', 2],
      ['RESOLVED', 'REFUNDED', 1],
    ]);
    const answered = disputes.reduce((sum: number, d: any) => sum + d.answered, 0);
    expect(report.say.disputes).toEqual({ opened: 5, answered, resolvedWithRefund: 3, rejected: 1, open: 1 });
    // The two resolved in part and three orders refunded in part outside any dispute.
    expect([report.statusCounts.DISPUTED, report.statusCounts.PARTIALLY_REFUNDED]).toEqual([1, 5]);

    // Every refund is its own entry (order:<id>:refund:<n>); what they reversed is what the report says was refunded.
    const ledger = await db.query(
      `SELECT e.currency, count(DISTINCT e.id)::int AS entries, count(DISTINCT e.order_id)::int AS orders,
              count(DISTINCT e.id) FILTER (WHERE e.idempotency_key ~ ('^order:' || e.order_id || ':refund:[0-9]+$'))::int AS keyed,
              (-sum(p.amount_minor) FILTER (WHERE p.line = 'PURCHASE'))::text AS price,
              (-sum(p.amount_minor) FILTER (WHERE p.line IN ('PURCHASE', 'CLIENT_FEE')))::text AS client
         FROM journal_entries e JOIN postings p ON p.entry_id = e.id
        WHERE e.network_id = $1 AND e.kind = 'ORDER_REFUND' GROUP BY e.currency`,
      [network],
    );
    expect(ledger).toHaveLength(1);
    expect(ledger[0].keyed).toBe(ledger[0].entries);
    expect(report.say.refunds).toEqual([
      {
        currency: 'USD',
        count: ledger[0].entries,
        orders: ledger[0].orders,
        amount: formatAmount(BigInt(ledger[0].price), 'USD'),
        clientGotBack: formatAmount(BigInt(ledger[0].client), 'USD'),
      },
    ]);
    // Refunded in full, resolved with a refund, refunded in part (some twice): more refunds than orders refunded in full.
    expect(ledger[0].entries).toBeGreaterThan(report.statusCounts.REFUNDED);

    // The ratings the report averages are the feedback stored, by supplier and by the side that rated the hub.
    const bySupplier = await db.query(
      `SELECT subject_member_id AS "memberId", count(*)::int AS count, sum(rating)::int AS sum FROM feedback
        WHERE network_id = $1 AND subject = 'SUPPLIER' GROUP BY 1 ORDER BY 1`,
      [network],
    );
    expect(bySupplier.length).toBeGreaterThan(5);
    expect(
      report.say.ratings.bySupplier.map(({ memberId, count, sum }) => ({ memberId, count, sum })).sort((a, b) => a.memberId.localeCompare(b.memberId)),
    ).toEqual(bySupplier);
    const ofHub = await db.query(
      `SELECT CASE WHEN f.author_id = o.client_id THEN 'CLIENT' ELSE 'SUPPLIER' END AS side, count(*)::int AS count, sum(f.rating)::int AS sum
         FROM feedback f JOIN orders o ON o.id = f.order_id WHERE f.network_id = $1 AND f.subject = 'HUB' GROUP BY 1 ORDER BY 1`,
      [network],
    );
    expect(report.say.ratings.ofHub.map(({ side, count, sum }) => ({ side, count, sum }))).toEqual(ofHub);
    const ofClients = await db.query(`SELECT count(*)::int AS count, sum(rating)::int AS sum FROM feedback WHERE network_id = $1 AND subject = 'CLIENT'`, [
      network,
    ]);
    expect(report.say.ratings.ofClients).toEqual(ofClients[0]);
  }, 180_000); // a whole hub day; on the compiled, embedded pass of .ci/run it shares 2 cores with the other suites
});
