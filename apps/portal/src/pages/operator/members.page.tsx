import { useState, type FormEvent } from 'react';
import { Done, Empty, ErrorNote, Loading } from '../../components/feedback';
import { Field } from '../../components/field';
import { Page, Section } from '../../components/page';
import { VettingBadge } from '../../components/status-badge';
import type { ResultOf, VariablesOf } from '../../graphql/graphql';
import { MembersQuery, PAGE, RegisterMemberMutation } from '../../graphql/operations';
import { useAllPages } from '../../hooks/use-all-pages';
import { useMutation } from '../../hooks/use-query';
import { hrefOf } from '../../hooks/use-route';
import { ROLES, dateWords, roleWords } from '../../lib/words';
import { VettingActions } from './vetting-actions';

type Role = NonNullable<VariablesOf<typeof MembersQuery>['role']>;
type MemberNode = ResultOf<typeof MembersQuery>['members']['edges'][number]['node'];
const QUEUE = new Set(['APPLIED', 'UNDER_REVIEW']);

export function MembersPage() {
  const [role, setRole] = useState<Role | ''>('');
  // Kept here, not in the card: a vetted supplier leaves the queue and its card unmounts.
  const [vetted, setVetted] = useState('');
  const all = useAllPages(MembersQuery, { role: null, first: PAGE.members, after: null }, (d) => d.members, 20);
  const members = (all.nodes ?? []) as MemberNode[];
  const queue = members.filter((m) => m.roles.includes('SUPPLIER') && QUEUE.has(m.vettingStatus ?? ''));
  const shown = role ? members.filter((m) => m.roles.includes(role)) : members;
  return (
    <Page title="Members" intro="The community: who holds which roles, suppliers waiting to be vetted, and new members.">
      {all.error ? <ErrorNote error={all.error} /> : null}
      <Section title="Vetting queue" id="vetting-queue">
        <Done>{vetted}</Done>
        {all.loading ? (
          <Loading label="Loading suppliers…" />
        ) : queue.length === 0 ? (
          <Empty>No supplier is waiting to be vetted.</Empty>
        ) : (
          <ul className="cards">
            {queue.map((m) => (
              <li key={m.id}>
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
                  <VettingActions supplier={m} onChange={all.reload} announce={setVetted} />
                </article>
              </li>
            ))}
          </ul>
        )}
      </Section>
      <Section title="All members" id="all-members">
        <Field label="Role">
          {(p) => (
            <select {...p} value={role} onChange={(e) => setRole(e.target.value as Role | '')}>
              <option value="">All roles</option>
              {ROLES.map((r) => (
                <option key={r} value={r}>
                  {roleWords(r)}
                </option>
              ))}
            </select>
          )}
        </Field>
        {all.loading ? null : shown.length === 0 ? (
          <Empty>No members yet.</Empty>
        ) : (
          <div className="table-scroll">
            <table>
              <caption className="sr-only">Members</caption>
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
                {shown.map((m) => (
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
        )}
        {all.truncated ? (
          <p className="muted">
            Showing the first {members.length} of {all.total} members.
          </p>
        ) : null}
      </Section>
      <Section title="Register a member" id="register">
        <RegisterForm partners={members.filter((m) => m.roles.includes('PARTNER'))} onDone={all.reload} />
      </Section>
    </Page>
  );
}

function RegisterForm({ partners, onDone }: { partners: MemberNode[]; onDone: () => void }) {
  const [name, setName] = useState('');
  const [roles, setRoles] = useState<Role[]>([]);
  const [referredById, setReferredById] = useState('');
  const [register, m] = useMutation(RegisterMemberMutation);
  const [done, setDone] = useState<{ id: string; name: string } | null>(null);
  const [problem, setProblem] = useState('');

  async function submit(e: FormEvent) {
    e.preventDefault();
    setDone(null);
    if (!name.trim()) return setProblem('Give the member a name.');
    if (roles.length === 0) return setProblem('Choose at least one role.');
    setProblem('');
    const r = await register({ input: { name: name.trim(), roles, referredById: referredById || null } });
    if (r) {
      setDone({ id: r.registerMember.id, name: r.registerMember.name });
      setName('');
      setRoles([]);
      setReferredById('');
      onDone();
    }
  }
  return (
    <form onSubmit={submit} noValidate className="form-grid">
      <Field label="Name" error={problem.startsWith('Give') ? problem : undefined}>
        {(p) => <input {...p} value={name} maxLength={200} onChange={(e) => setName(e.target.value)} required />}
      </Field>
      <fieldset>
        <legend>Roles</legend>
        {ROLES.map((r) => (
          <label key={r} className="check">
            <input
              type="checkbox"
              checked={roles.includes(r)}
              onChange={(e) => setRoles((rs) => (e.target.checked ? [...rs, r] : rs.filter((x) => x !== r)))}
            />
            {roleWords(r)}
          </label>
        ))}
        {problem.startsWith('Choose') ? <p className="field-error">{problem}</p> : null}
      </fieldset>
      <Field label="Referred by (optional)" hint="A partner earns a share of the fees this member pays.">
        {(p) => (
          <select {...p} value={referredById} onChange={(e) => setReferredById(e.target.value)}>
            <option value="">Nobody</option>
            {partners.map((m) => (
              <option key={m.id} value={m.id}>
                {m.name}
              </option>
            ))}
          </select>
        )}
      </Field>
      <div className="span buttons">
        <button type="submit" className="primary" disabled={m.running}>
          Register member
        </button>
      </div>
      <div className="span">
        <ErrorNote error={m.error} />
        <Done>{done ? <a href={hrefOf('members', done.id)}>Registered {done.name}: open to issue a key or add capabilities.</a> : null}</Done>
      </div>
    </form>
  );
}
