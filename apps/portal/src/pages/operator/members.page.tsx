import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { Done, Empty, QueryView } from '../../components/feedback';
import { Field } from '../../components/field';
import { Page, Section } from '../../components/page';
import { VettingBadge } from '../../components/status-badge';
import { TablePager, useCursorPages } from '../../components/table-pager';
import type { ResultOf, VariablesOf } from '../../graphql/graphql';
import { MembersPageQuery, TABLE_PAGE, VettingQueueQuery } from '../../graphql/scale-operations';
import { useQuery } from '../../hooks/use-query';
import { hrefOf } from '../../hooks/use-route';
import { ROLES, dateWords, roleWords, vettingWords } from '../../lib/words';
import { VettingActions } from './vetting-actions';

type Role = NonNullable<VariablesOf<typeof MembersPageQuery>['role']>;
type VettingStatus = NonNullable<VariablesOf<typeof MembersPageQuery>['vettingStatus']>;
type MemberNode = ResultOf<typeof MembersPageQuery>['members']['edges'][number]['node'];
const VETTING_STATUSES: VettingStatus[] = ['APPLIED', 'UNDER_REVIEW', 'VETTED', 'SUSPENDED', 'REVOKED'];
/** Queue cards shown at once; the rest wait for the first ones to be decided. */
const QUEUE_PAGE = 20;

export function MembersPage() {
  // Kept here, not in the card: a vetted supplier leaves the queue and its card unmounts.
  const [vetted, setVetted] = useState('');
  const queue = useQuery(VettingQueueQuery, { first: QUEUE_PAGE });
  const [listRound, setListRound] = useState(0);
  const reloadAll = async () => {
    await queue.refetch();
    setListRound((r) => r + 1);
  };
  return (
    <Page
      title="Members"
      intro="The community: suppliers waiting to be vetted, and every member by name, role and vetting status."
      actions={
        <a className="button-link" href={hrefOf('members', 'new')}>
          Register a member
        </a>
      }
    >
      <Section title="Vetting queue" id="vetting-queue">
        <Done>{vetted}</Done>
        <QueryView state={queue} label="Loading suppliers…">
          {({ applied, underReview }) => {
            const waiting = [...applied.edges, ...underReview.edges].map((e) => e.node);
            const total = applied.totalCount + underReview.totalCount;
            if (waiting.length === 0) return <Empty>No supplier is waiting to be vetted.</Empty>;
            return (
              <>
                <p className="count">
                  {applied.totalCount} applied, {underReview.totalCount} under review
                  {total > waiting.length ? ` (the oldest ${waiting.length} shown)` : ''}
                </p>
                <ul className="cards">
                  {waiting.map((m) => (
                    <li key={m.id}>
                      <QueueCard member={m} onChange={reloadAll} announce={setVetted} />
                    </li>
                  ))}
                </ul>
              </>
            );
          }}
        </QueryView>
      </Section>
      <Section title="All members" id="all-members">
        <MembersTable round={listRound} />
      </Section>
    </Page>
  );
}

function QueueCard({ member: m, onChange, announce }: { member: MemberNode; onChange: () => Promise<void>; announce: (message: string) => void }) {
  return (
    <article className="card" aria-labelledby={`queue-${m.id}`}>
      <header>
        <h3 id={`queue-${m.id}`}>
          <a href={hrefOf('members', m.id)}>{m.name}</a>
        </h3>
        <VettingBadge status={m.vettingStatus} />
      </header>
      <p className="muted">
        Joined {dateWords(m.joinedAt)}
        {m.referredBy ? `, referred by ${m.referredBy.name}` : ''}.{' '}
        {m.capabilities.length === 0 ? 'No capabilities yet.' : `Offers ${m.capabilities.map((c) => c.category).join(', ')}.`}
      </p>
      <VettingActions supplier={m} onChange={onChange} announce={announce} />
    </article>
  );
}

/** Every member, searched and filtered by the API, one page of TABLE_PAGE at a time. */
function MembersTable({ round }: { round: number }) {
  const [draft, setDraft] = useState('');
  const [filters, setFilters] = useState<{ search: string; role: Role | ''; vettingStatus: VettingStatus | '' }>({ search: '', role: '', vettingStatus: '' });
  const pages = useCursorPages();
  const change = (next: Partial<typeof filters>) => {
    setFilters((f) => ({ ...f, ...next }));
    pages.reset();
  };
  const q = useQuery(MembersPageQuery, {
    search: filters.search || null,
    role: filters.role || null,
    vettingStatus: filters.vettingStatus || null,
    first: TABLE_PAGE,
    after: pages.after,
  });
  const refetch = useRef(q.refetch);
  refetch.current = q.refetch;
  // A vetting decision changes a row's status: read the page again (once per decision, not per filter change).
  useEffect(() => {
    if (round) void refetch.current();
  }, [round]);
  const captionId = useId();
  return (
    <>
      <form
        className="table-filters"
        role="search"
        aria-label="Members"
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
        <Field label="Vetting">
          {(p) => (
            <select {...p} value={filters.vettingStatus} onChange={(e) => change({ vettingStatus: e.target.value as VettingStatus | '' })}>
              <option value="">Any status</option>
              {VETTING_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {vettingWords(s)}
                </option>
              ))}
            </select>
          )}
        </Field>
      </form>
      <QueryView state={q} label="Loading members…">
        {({ members }) =>
          members.edges.length === 0 ? (
            <Empty>{filters.search || filters.role || filters.vettingStatus ? 'No member matches these filters.' : 'No members yet.'}</Empty>
          ) : (
            <>
              <div className="table-scroll" role="region" aria-labelledby={captionId} tabIndex={0}>
                <table>
                  <caption id={captionId}>Members, oldest first ({members.totalCount.toLocaleString('en')} match)</caption>
                  <thead>
                    <tr>
                      <th scope="col">Name</th>
                      <th scope="col">Roles</th>
                      <th scope="col">Vetting</th>
                      <th scope="col">Capabilities</th>
                      <th scope="col">Referred by</th>
                      <th scope="col">Joined</th>
                    </tr>
                  </thead>
                  <tbody>
                    {members.edges.map(({ node: m }) => (
                      <tr key={m.id}>
                        <th scope="row">
                          <a href={hrefOf('members', m.id)}>{m.name}</a>
                        </th>
                        <td>{m.roles.map(roleWords).join(', ')}</td>
                        <td>{m.vettingStatus ? <VettingBadge status={m.vettingStatus} /> : '—'}</td>
                        <td>{m.capabilities.map((c) => c.category).join(', ') || '—'}</td>
                        <td>{m.referredBy?.name ?? '—'}</td>
                        <td>{dateWords(m.joinedAt)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              <TablePager
                label="members"
                index={pages.index}
                pageSize={TABLE_PAGE}
                shown={members.edges.length}
                total={members.totalCount}
                hasNextPage={members.pageInfo.hasNextPage}
                endCursor={members.pageInfo.endCursor}
                onNext={pages.next}
                onPrevious={pages.previous}
              />
            </>
          )
        }
      </QueryView>
    </>
  );
}
