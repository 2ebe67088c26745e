import Table from 'cli-table3';
import { DemoReport } from './hub-day';

const table = (head: string[], rows: (string | number)[][]) => {
  const t = new Table({ head, style: { head: ['cyan'] } });
  t.push(...rows.map((r) => r.map(String)));
  return t.toString();
};
const rating = (r: number | null) => (r === null ? '-' : r.toFixed(1));
const MIN_RATINGS_TO_RANK = 5;
/** A member's signals with what the parties said (ratings, disputes) first, the rest in health's order. */
const saidFirst = (signals: string[]) => [...signals].sort((a, b) => Number(/rated|dispute/i.test(b)) - Number(/rated|dispute/i.test(a)));
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
  // Beside the trial balance: every refund is an entry of its own in it, and disputes hold no money until one refunds.
  const d = r.say.disputes;
  out.push(
    table(
      ['refunds', 'refunds', 'orders', 'refunded (price)', 'client got back'],
      r.say.refunds.length ? r.say.refunds.map((x) => [x.currency, x.count, x.orders, x.amount, x.clientGotBack]) : [['-', 0, 0, '-', '-']],
    ),
  );
  out.push(
    table(
      ['disputes', 'opened', 'answered by the supplier', 'resolved with a refund', 'rejected', 'still open'],
      [['orders', d.opened, d.answered, d.resolvedWithRefund, d.rejected, d.open]],
    ),
  );

  h('Ratings: what both sides said');
  const avg = (sum: number, count: number) => (count ? (sum / count).toFixed(2) : '-');
  const rated = [...r.say.ratings.bySupplier].sort((a, b) => b.sum / b.count - a.sum / a.count || b.count - a.count);
  const bySupplierRows = (rows: typeof rated) => rows.map((s) => [s.supplier, s.profile ?? '-', s.count, avg(s.sum, s.count)]);
  // Best and worst among suppliers rated often enough for an average to mean something (all of them on a small day).
  const often = rated.filter((s) => s.count >= MIN_RATINGS_TO_RANK);
  const ranked = often.length >= 10 ? often : rated;
  out.push(
    `suppliers as their clients rate them (best and worst${ranked === often ? ` of those rated ${MIN_RATINGS_TO_RANK} times or more` : ''}; behaviour is what the simulation gave them):`,
  );
  out.push(
    table(
      ['supplier', 'behaviour', 'ratings', 'average'],
      ranked.length > 10 ? [...bySupplierRows(ranked.slice(0, 5)), ['...', '', '', ''], ...bySupplierRows(ranked.slice(-5))] : bySupplierRows(ranked),
    ),
  );
  const byProfile = new Map<string, { count: number; sum: number }>();
  for (const s of rated) {
    const p = byProfile.get(s.profile ?? '-') ?? { count: 0, sum: 0 };
    byProfile.set(s.profile ?? '-', { count: p.count + s.count, sum: p.sum + s.sum });
  }
  out.push(
    table(
      ['behaviour', 'ratings', 'average'],
      [...byProfile].sort((a, b) => b[1].sum / b[1].count - a[1].sum / a[1].count).map(([p, x]) => [p, x.count, avg(x.sum, x.count)]),
    ),
  );
  const c = r.say.ratings.ofClients;
  out.push(`clients as their suppliers rate them: ${c.count} ratings, average ${avg(c.sum, c.count)}`);
  out.push(
    table(
      ['the hub, rated by', 'ratings', 'average', '1', '2', '3', '4', '5'],
      r.say.ratings.ofHub.map((x) => [x.side === 'CLIENT' ? 'clients' : 'suppliers', x.count, avg(x.sum, x.count), ...x.histogram]),
    ),
  );
  const low = r.say.ratings.lowHubRaters;
  out.push(
    `members health flags for rating the hub 2 or less on their latest orders: ${low.length}${low.length ? ` (${low.slice(0, 6).join(', ')}${low.length > 6 ? ', ...' : ''})` : ''}`,
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
      ['member', 'roles', 'score', 'trust', 'rated', 'rates the hub'],
      sorted.slice(0, 5).map((m) => [m.member, m.roles.join('+'), m.score.toFixed(1), m.trust.toFixed(2), rating(m.ratingReceived), rating(m.ratingOfHub)]),
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
      ['member', 'score', 'at risk', 'rated', 'rates the hub', 'disputes', 'signals'],
      weakest.map((m) => [
        m.member,
        m.score.toFixed(1),
        m.atRisk ? 'yes' : 'no',
        rating(m.ratingReceived),
        rating(m.ratingOfHub),
        m.disputes,
        saidFirst(m.signals).slice(0, 3).join('\n'),
      ]),
    ),
  );
  out.push('', `simulated in ${r.elapsedSeconds.toFixed(1)} s`);
  return out.join('\n');
}
