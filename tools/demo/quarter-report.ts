import Table from 'cli-table3';
import { formatAmount } from '@tandem/money';
import { QuarterReport } from './hub-quarter';

const table = (head: string[], rows: (string | number)[][]) => {
  const t = new Table({ head, style: { head: ['cyan'] } });
  t.push(...rows.map((r) => r.map(String)));
  return t.toString();
};
const BARS = '▁▂▃▄▅▆▇█';

/** Scores 0 to 100 as a terminal sparkline, at most `width` characters (later days averaged into one). */
export function sparkline(scores: number[], width = 45): string {
  if (scores.length === 0) return '-';
  const per = Math.ceil(scores.length / width);
  const points: number[] = [];
  for (let i = 0; i < scores.length; i += per) {
    const chunk = scores.slice(i, i + per);
    points.push(chunk.reduce((a, b) => a + b, 0) / chunk.length);
  }
  return points.map((s) => BARS[Math.min(BARS.length - 1, Math.max(0, Math.floor((s / 100) * BARS.length)))]).join('');
}

/** The report of a simulated run of several days: what changed over time. */
export function renderQuarterReport(r: QuarterReport): string {
  const out: string[] = [];
  const h = (title: string) => out.push('', `== ${title} ==`);
  const day = (d: number | null) => (d === null ? '-' : `day ${d + 1}`);

  h(`${r.days} simulated days from ${r.start.slice(0, 10)} (the client fee went from 10 % to 12 % on day ${r.feeChangeDay + 1})`);
  out.push(
    table(
      ['status', 'orders'],
      Object.entries(r.statusCounts).sort((a, b) => b[1] - a[1]),
    ),
  );
  out.push(`ratings given: ${r.ratings}; disputes: ${r.disputes}`);

  h('Retention against acquisition, by 30-day month');
  out.push(
    table(
      ['month', 'members joined', 'active (ordered or delivered)', 'kept from the month before', 'went quiet', 'orders placed'],
      r.months.map((m) => [m.month, m.joined, m.active, m.month === 1 ? '-' : m.retained, m.month === 1 ? '-' : m.lost, m.orders]),
    ),
  );

  h('Relationships that eroded: what flagged them, and when');
  const flaggedFirst = r.eroded.filter((e) => e.stoppedOrdering && e.lastOrderDay !== null && e.flaggedDay <= e.lastOrderDay);
  out.push(
    table(
      ['member', 'roles', 'flagged', 'signal', 'score then', 'last order', 'stopped?'],
      r.eroded.map((e) => [
        e.member,
        e.roles.join('+'),
        day(e.flaggedDay),
        e.reason,
        e.score.toFixed(1),
        day(e.lastOrderDay),
        e.stoppedOrdering ? (e.lastOrderDay !== null && e.flaggedDay <= e.lastOrderDay ? 'yes, after the flag' : 'yes') : 'no',
      ]),
    ),
  );
  out.push(
    flaggedFirst.length
      ? `flagged before they stopped ordering: ${flaggedFirst.map((e) => `${e.member} (${day(e.flaggedDay)}: ${e.reason}; last order ${day(e.lastOrderDay)})`).join('; ')}`
      : 'no member that stopped ordering was flagged before it did',
  );

  h("Each supplier's acquisition cost per order through the hub, against its declared baseline");
  out.push(
    table(
      ['supplier', 'trajectory', 'orders fulfilled (window)', 'fees per order', 'declared baseline'],
      [...r.acquisition].sort((a, b) => b.orders - a.orders).map((a) => [a.supplier, a.trajectory, a.orders, a.costPerOrder ?? '-', a.baseline ?? '-']),
    ),
  );

  h('Health trends (score 0 to 100 by day since joining, from the daily snapshots)');
  out.push(
    table(
      ['member', 'story', 'first', 'last', 'trend'],
      [...r.trends]
        .sort((a, b) => a.story.localeCompare(b.story) || a.member.localeCompare(b.member))
        .map((t) => [
          t.member,
          t.story,
          t.scores.length ? t.scores[0].toFixed(0) : '-',
          t.scores.length ? t.scores[t.scores.length - 1].toFixed(0) : '-',
          sparkline(t.scores),
        ]),
    ),
  );

  h('The ledger');
  out.push(
    table(
      ['trial balance USD', 'debits', 'credits', 'balanced', 'statements', 'clients owe (orders)', 'clients owe (statements)'],
      [
        [
          'ledger',
          r.trialBalance.debits,
          r.trialBalance.credits,
          r.trialBalance.balanced ? 'yes' : 'NO',
          r.statements,
          formatAmount(r.expectedClientTotal, 'USD'),
          formatAmount(r.statementClientTotal, 'USD'),
        ],
      ],
    ),
  );
  out.push('', `simulated in ${r.elapsedSeconds.toFixed(1)} s`);
  return out.join('\n');
}
