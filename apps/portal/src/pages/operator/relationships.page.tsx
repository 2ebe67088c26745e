import { lazy, Suspense, useEffect, useId, useState, type FormEvent } from 'react';
import { Fact } from '../../components/fact';
import { Empty, Loading, QueryView } from '../../components/feedback';
import { Field } from '../../components/field';
import { MoneyText } from '../../components/money';
import { Page, Section } from '../../components/page';
import { Sparkline } from '../../components/sparkline';
import { TablePager, useCursorPages } from '../../components/table-pager';
import { request } from '../../graphql/client';
import type { VariablesOf } from '../../graphql/graphql';
import { NetworkInsightQuery } from '../../graphql/operations';
import { MAX_ALIASES, RelationshipsPageQuery, TABLE_PAGE, TREND_POINTS, healthTrendsDocument, type HealthRow } from '../../graphql/scale-operations';
import { useQuery } from '../../hooks/use-query';
import { hrefOf } from '../../hooks/use-route';
import { acquisitionByMonth } from '../../lib/routing-summary';
import { ROLES, roleWords } from '../../lib/words';
import { useSession } from '../../session/session-context';

const AcquisitionChart = lazy(() => import('../../components/charts').then((m) => ({ default: m.AcquisitionChart })));
type Role = NonNullable<VariablesOf<typeof RelationshipsPageQuery>['role']>;
interface Filters {
  role: Role | '';
  atRiskOnly: boolean;
  search: string;
}

/** Every member's relationship health, weakest first, a page at a time; acquisition against retention by month below. */
export function RelationshipsPage() {
  return (
    <Page title="Relationships" intro="Each relationship's health over the trailing window, weakest first, with the signals behind it.">
      <HealthTable />
      <Insight />
    </Page>
  );
}

function HealthTable() {
  const [filters, setFilters] = useState<Filters>({ role: '', atRiskOnly: false, search: '' });
  const [draft, setDraft] = useState('');
  const pages = useCursorPages();
  const change = (next: Partial<Filters>) => {
    setFilters((f) => ({ ...f, ...next }));
    pages.reset();
  };
  return (
    <Section title="Relationship health" id="health">
      <form
        className="table-filters"
        role="search"
        aria-label="Relationships"
        onSubmit={(e: FormEvent) => {
          e.preventDefault();
          change({ search: draft.trim() });
        }}
      >
        <Field label="Name contains">{(p) => <input {...p} type="search" value={draft} maxLength={200} onChange={(e) => setDraft(e.target.value)} />}</Field>
        <button type="submit">Search</button>
        <Field label="Role">
          {(p) => (
            <select {...p} value={filters.role} onChange={(e) => change({ role: e.target.value as Role | '' })}>
              <option value="">All roles</option>
              {ROLES.map((r) => (
                <option key={r} value={r}>
                  {roleWords(r)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <label className="check">
          <input type="checkbox" checked={filters.atRiskOnly} onChange={(e) => change({ atRiskOnly: e.target.checked })} />
          At risk only
        </label>
      </form>
      <WeakestFirst filters={filters} pages={pages} />
    </Section>
  );
}

type Pages = ReturnType<typeof useCursorPages>;

/** The list the API keeps in score order, filtered there by role, at-risk and name: one request a page. */
function WeakestFirst({ filters, pages }: { filters: Filters; pages: Pages }) {
  const q = useQuery(RelationshipsPageQuery, {
    role: filters.role || null,
    atRisk: filters.atRiskOnly ? true : null,
    search: filters.search || null,
    first: TABLE_PAGE,
    after: pages.after,
  });
  return (
    <QueryView state={q} label="Loading relationships…">
      {({ relationships: r }) => {
        const rows = r.edges.map((e) => e.node);
        if (filters.search && r.totalCount === 0)
          return <Empty>No relationship of a member whose name contains “{filters.search}” matches these filters.</Empty>;
        return (
          <>
            <HealthRows rows={rows} caption={captionFor(filters, r.totalCount)} />
            <TablePager
              label="relationships"
              index={pages.index}
              pageSize={TABLE_PAGE}
              shown={rows.length}
              total={r.totalCount}
              hasNextPage={r.pageInfo.hasNextPage}
              endCursor={r.pageInfo.endCursor}
              onNext={pages.next}
              onPrevious={pages.previous}
            />
          </>
        );
      }}
    </QueryView>
  );
}

function captionFor(filters: Filters, total: number): string {
  const roles = filters.role ? `${roleWords(filters.role)}s` : 'Members';
  const who = filters.search ? `Members whose name contains “${filters.search}”${filters.role ? ` (${roles.toLowerCase()})` : ''}` : roles;
  return `${who}${filters.atRiskOnly ? ' at risk' : ''}, weakest relationship first (${total.toLocaleString('en')} in all)`;
}

function HealthRows({ rows, caption }: { rows: readonly HealthRow[]; caption: string }) {
  const trends = useTrends(rows.map((r) => r.member.id));
  const captionId = useId();
  if (rows.length === 0) return <Empty>No relationship matches these filters.</Empty>;
  return (
    <div className="table-scroll" role="region" aria-labelledby={captionId} tabIndex={0}>
      <table className="table-health">
        <caption id={captionId}>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Member</th>
            <th scope="col">Roles</th>
            <th scope="col" className="num">
              Score
            </th>
            <th scope="col">Trend</th>
            <th scope="col">Trust (credibility, reliability, intimacy / self-orientation)</th>
            <th scope="col" className="num">
              Value to the member
            </th>
            <th scope="col" className="num">
              Value to the hub
            </th>
            <th scope="col">Signals</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((h) => (
            <tr key={h.member.id} className={h.atRisk ? 'table-row-at-risk' : undefined}>
              <th scope="row">
                <a href={hrefOf('members', h.member.id)}>{h.member.name}</a>
              </th>
              <td>{h.member.roles.map(roleWords).join(', ')}</td>
              <td className="num">
                <strong>{Math.round(h.score)}</strong>
              </td>
              <td>{trends.has(h.member.id) ? <Sparkline scores={trends.get(h.member.id) ?? []} /> : <span className="muted">…</span>}</td>
              <td>
                {h.trust.toFixed(2)}{' '}
                <span className="muted table-parts">
                  ({h.credibility.toFixed(1)}, {h.reliability.toFixed(1)}, {h.intimacy.toFixed(1)} / {h.selfOrientation.toFixed(1)})
                </span>
              </td>
              <td className="num">
                <MoneyText value={h.valueToMember} />
              </td>
              <td className="num">
                <MoneyText value={h.valueToHub} />
              </td>
              <td>
                {h.atRisk ? <span className="badge at-risk">At risk</span> : <span className="badge healthy">Healthy</span>}
                <Signals signals={h.signals} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The first signal in full and the rest folded away, so fifty rows stay readable. */
function Signals({ signals }: { signals: readonly string[] }) {
  if (signals.length === 0) return null;
  const [first, ...rest] = signals;
  return (
    <>
      <p className="table-signal">{first}</p>
      {rest.length > 0 ? (
        <details className="table-more-signals">
          <summary>
            {rest.length} more {rest.length === 1 ? 'signal' : 'signals'}
          </summary>
          <ul className="signals">
            {rest.map((s, i) => (
              <li key={i}>{s}</li>
            ))}
          </ul>
        </details>
      ) : null}
    </>
  );
}

/**
 * The last TREND_POINTS snapshot scores of each member shown, oldest first,
 * in as few requests as the alias limit allows (two for a page of 50).
 */
function useTrends(memberIds: string[]): Map<string, number[]> {
  const { key } = useSession();
  const idList = memberIds.join(',');
  const [trends, setTrends] = useState<{ for: string; map: Map<string, number[]> }>({ for: '', map: new Map() });
  useEffect(() => {
    if (!key || !idList) return;
    const ids = idList.split(',');
    const ac = new AbortController();
    const chunks: string[][] = [];
    const size = MAX_ALIASES - 5;
    for (let i = 0; i < ids.length; i += size) chunks.push(ids.slice(i, i + size));
    void Promise.all(
      chunks.map(async (chunk) => {
        const vars: Record<string, string | number> = { points: TREND_POINTS, ...Object.fromEntries(chunk.map((id, i) => [`m${i}`, id])) };
        const data = await request(healthTrendsDocument(chunk.length), vars, key, ac.signal);
        // healthHistory is newest first; the line reads left to right.
        return chunk.map((id, i) => [id, [...data[`m${i}`]].reverse().map((p) => p.score)] as const);
      }),
    ).then(
      (parts) => setTrends({ for: idList, map: new Map(parts.flat()) }),
      // A trend is an extra: without it the row still shows today's score.
      () => undefined,
    );
    return () => ac.abort();
  }, [idList, key]);
  return trends.for === idList ? trends.map : new Map();
}

function Insight() {
  const q = useQuery(NetworkInsightQuery, { months: 12 });
  return (
    <Section title="Acquisition against retention" id="insight">
      <QueryView state={q} label="Loading membership by month…">
        {({ networkInsight: n }) => {
          const months = acquisitionByMonth(n.membership, n.cohorts);
          return (
            <>
              <p className={n.acquisitionVsRetention.eroding ? 'error' : undefined}>{n.acquisitionVsRetention.summary}</p>
              <dl className="totals">
                <Fact term="Joined">{n.acquisitionVsRetention.acquired}</Fact>
                <Fact term="Lost">{n.acquisitionVsRetention.lost}</Fact>
                <Fact term="Net">{n.acquisitionVsRetention.net}</Fact>
              </dl>
              <Suspense fallback={<Loading label="Loading the chart…" />}>
                <AcquisitionChart months={months} />
              </Suspense>
              <div className="table-scroll" role="region" aria-labelledby="insight-months" tabIndex={0}>
                <table>
                  <caption id="insight-months">
                    Members joined and lost by month (a member counts once per role), and how many of each month's joiners stayed
                  </caption>
                  <thead>
                    <tr>
                      <th scope="col">Month</th>
                      <th scope="col" className="num">
                        Joined (by role)
                      </th>
                      <th scope="col" className="num">
                        Lost (by role)
                      </th>
                      <th scope="col" className="num">
                        Net
                      </th>
                      <th scope="col" className="num">
                        Cohort retained
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {months.map((m) => (
                      <tr key={m.month}>
                        <th scope="row">{m.month}</th>
                        <td className="num">{m.joined}</td>
                        <td className="num">{m.lost}</td>
                        <td className="num">{m.net}</td>
                        <td className="num">{m.retainedPct === null ? '—' : `${m.retainedPct} %`}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </>
          );
        }}
      </QueryView>
    </Section>
  );
}
