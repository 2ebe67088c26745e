import { lazy, Suspense, useEffect, useState } from 'react';
import { Fact } from '../../components/fact';
import { Empty, ErrorNote, Loading, QueryView } from '../../components/feedback';
import type { Health } from '../../components/health-panel';
import { MoneyText } from '../../components/money';
import { Page, Section } from '../../components/page';
import { request } from '../../graphql/client';
import type { ResultOf } from '../../graphql/graphql';
import { MembersQuery, NetworkInsightQuery, PAGE, RelationshipHealthQuery } from '../../graphql/operations';
import { useAllPages } from '../../hooks/use-all-pages';
import { useQuery } from '../../hooks/use-query';
import { hrefOf } from '../../hooks/use-route';
import { acquisitionByMonth } from '../../lib/routing-summary';
import { roleWords } from '../../lib/words';
import { useSession } from '../../session/session-context';

const AcquisitionChart = lazy(() => import('../../components/charts').then((m) => ({ default: m.AcquisitionChart })));
type MemberNode = ResultOf<typeof MembersQuery>['members']['edges'][number]['node'];

/** Relationship health of every member, at-risk first, and acquisition against retention by month. */
export function RelationshipsPage() {
  return (
    <Page title="Relationships" intro="Each relationship's health over the trailing window: the ones eroding come first, with the signals behind them.">
      <AtRisk />
      <Insight />
    </Page>
  );
}

function AtRisk() {
  const { key } = useSession();
  const members = useAllPages(MembersQuery, { role: null, first: PAGE.members, after: null }, (d) => d.members, 4);
  const [health, setHealth] = useState<{ rows: Health[]; failed: number; done: boolean }>({ rows: [], failed: 0, done: false });

  // The API has no list of healths: read each member's, four at a time.
  useEffect(() => {
    if (!members.nodes || !key) return;
    const ids = (members.nodes as MemberNode[]).map((m) => m.id);
    const ac = new AbortController();
    const rows: Health[] = [];
    let failed = 0;
    let next = 0;
    const worker = async () => {
      while (next < ids.length && !ac.signal.aborted) {
        const id = ids[next++];
        try {
          rows.push((await request(RelationshipHealthQuery, { memberId: id }, key, ac.signal)).relationshipHealth);
        } catch {
          failed++;
        }
      }
    };
    setHealth({ rows: [], failed: 0, done: false });
    void Promise.all([worker(), worker(), worker(), worker()]).then(() => {
      if (!ac.signal.aborted) setHealth({ rows: [...rows], failed, done: true });
    });
    return () => ac.abort();
  }, [members.nodes, key]);

  const sorted = [...health.rows].sort((a, b) => Number(b.atRisk) - Number(a.atRisk) || a.score - b.score);
  return (
    <Section title="Relationship health" id="health">
      <ErrorNote error={members.error} />
      {!health.done ? (
        <Loading label="Reading each relationship's health…" />
      ) : sorted.length === 0 ? (
        <Empty>No members yet.</Empty>
      ) : (
        <ul className="cards">
          {sorted.map((h) => (
            <li key={h.member.id}>
              <article className={`card${h.atRisk ? ' at-risk' : ''}`} aria-labelledby={`health-${h.member.id}`}>
                <header>
                  <h3 id={`health-${h.member.id}`}>
                    <a href={hrefOf('members', h.member.id)}>{h.member.name}</a> <span className="muted">{h.member.roles.map(roleWords).join(', ')}</span>
                  </h3>
                  {h.atRisk ? <span className="badge at-risk">At risk</span> : <span className="badge healthy">Healthy</span>}
                </header>
                <p>
                  Score <strong>{Math.round(h.score)}</strong> / 100 · trust {h.trust.toFixed(2)} (credibility {h.credibility.toFixed(1)}, reliability{' '}
                  {h.reliability.toFixed(1)}, intimacy {h.intimacy.toFixed(1)}, self-orientation {h.selfOrientation.toFixed(1)})
                </p>
                <p>
                  Value to the member <MoneyText value={h.valueToMember} />, to the hub <MoneyText value={h.valueToHub} />
                </p>
                {h.signals.length > 0 ? (
                  <ul className="signals">
                    {h.signals.map((s, i) => (
                      <li key={i}>{s}</li>
                    ))}
                  </ul>
                ) : null}
              </article>
            </li>
          ))}
        </ul>
      )}
      {health.failed > 0 ? <p className="error">The health of {health.failed} members could not be read.</p> : null}
      {members.truncated ? <p className="muted">Only the first {members.nodes?.length} members are shown.</p> : null}
    </Section>
  );
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
              <div className="table-scroll">
                <table>
                  <caption>Members joined and lost by month (a member counts once per role), and how many of each month's joiners stayed</caption>
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
