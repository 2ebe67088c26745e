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
    expect(Object.keys(report.statusCounts).every((s) => ['FULFILLED', 'REFUNDED', 'CANCELLED', 'UNROUTABLE'].includes(s))).toBe(true);
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

    // Routing explained its exclusions, and the report renders.
    expect(Object.keys(report.exclusionReasons).length).toBeGreaterThan(0);
    expect(renderReport(report)).toContain('Orders by final status');
  }, 180_000); // a whole hub day; on the compiled, embedded pass of .ci/run it shares 2 cores with the other suites
});
