import Table from 'cli-table3';
import { DemoReport } from './hub-day';

const table = (head: string[], rows: (string | number)[][]) => {
  const t = new Table({ head, style: { head: ['cyan'] } });
  t.push(...rows.map((r) => r.map(String)));
  return t.toString();
};
const byCount = (counts: Record<string, number>) => Object.entries(counts).sort((a, b) => b[1] - a[1]);

/** The end-of-day report, as readable tables. */
export function renderReport(r: DemoReport): string {
  const out: string[] = [];
  const h = (title: string) => out.push('', `== ${title} ==`);

  h('Orders by final status');
  out.push(table(['status', 'orders'], byCount(r.statusCounts)));
  out.push(`fulfilled after their deadline (late): ${r.lateFulfilments}`);

  h('Routing: what happened to offers, and why suppliers were excluded');
  out.push(table(['order event', 'count'], byCount(r.eventCounts)));
  out.push(table(['exclusion reason (last routing pass of each order)', 'suppliers'], byCount(r.exclusionReasons)));

  h('The worked example (docs/api.md): one gift basket at 120.00');
  const f = r.example.fees;
  if (f) {
    out.push(
      table(
        ['line', 'amount'],
        [
          ['price', f.price.amount],
          ['client fee', f.clientFee.amount],
          ['supplier fee', f.supplierFee.amount],
          ['client pays', f.clientPays.amount],
          ['supplier receives', f.supplierReceives.amount],
          ...f.partnerShares.map((s: any) => [`share to ${s.partner.name} (referred ${s.referred.name})`, s.amount.amount]),
          ['hub keeps', f.hubNet.amount],
        ],
      ),
    );
  }

  h('Statements of the settlement run (positive: the hub pays the member)');
  const statements = [...r.statements].sort((a, b) => Number(b.net) - Number(a.net));
  out.push(
    table(
      ['member', 'roles', 'purchases', 'client fees', 'earned', 'supplier fees', 'shares', 'net'],
      statements.map((s) => [s.member, s.roles.join('+'), s.purchases, s.clientFees, s.earnedBusiness, s.supplierFees, s.partnerShares, s.net]),
    ),
  );
  out.push(
    table(
      ['trial balance USD', 'debits', 'credits', 'balanced'],
      [['ledger', r.trialBalance.debits, r.trialBalance.credits, r.trialBalance.balanced ? 'yes' : 'NO']],
    ),
  );

  h('What the hub costs suppliers per order, next to what winning a customer costs them elsewhere');
  const acq = r.acquisition
    .filter((a) => a.orders > 0)
    .sort((a, b) => b.orders - a.orders)
    .slice(0, 12);
  out.push(
    table(
      ['supplier', 'orders fulfilled', 'fees per order', 'declared baseline'],
      acq.map((a) => [a.supplier, a.orders, a.costPerOrder ?? '-', a.baseline ?? '-']),
    ),
  );

  h('Relationship health');
  const sorted = [...r.health].sort((a, b) => b.score - a.score);
  out.push('healthiest:');
  out.push(
    table(
      ['member', 'roles', 'score', 'trust'],
      sorted.slice(0, 5).map((m) => [m.member, m.roles.join('+'), m.score.toFixed(1), m.trust.toFixed(2)]),
    ),
  );
  // The at-risk first, then the weakest of the rest: where the hub should look before a member leaves.
  const weakest = [...sorted]
    .reverse()
    .sort((a, b) => Number(b.atRisk) - Number(a.atRisk))
    .slice(0, 8);
  out.push(`at risk: ${sorted.filter((m) => m.atRisk).length}; the weakest relationships and what pulls them down:`);
  out.push(
    table(
      ['member', 'score', 'at risk', 'signals'],
      weakest.map((m) => [m.member, m.score.toFixed(1), m.atRisk ? 'yes' : 'no', m.signals.slice(0, 3).join('\n')]),
    ),
  );
  out.push('', `simulated in ${r.elapsedSeconds.toFixed(1)} s`);
  return out.join('\n');
}
