import { useState, type FormEvent } from 'react';
import { Done, Empty, ErrorNote, QueryView } from '../../components/feedback';
import { Field } from '../../components/field';
import { HealthPanel } from '../../components/health-panel';
import { ScoreHistory } from '../../components/sparkline-history';
import { MoneyText } from '../../components/money';
import { Page, Section } from '../../components/page';
import { RatingsPanel } from '../../components/rating-summary';
import { StatementsPanel } from '../../components/statements-panel';
import { VettingBadge } from '../../components/status-badge';
import type { ResultOf } from '../../graphql/graphql';
import {
  AddCapabilityMutation,
  ClearMemberTermsMutation,
  FeeTermHistoryQuery,
  IssueApiKeyMutation,
  MemberDetailQuery,
  RemoveCapabilityMutation,
  SetMemberRolesMutation,
  SetMemberTermsMutation,
  VettingHistoryQuery,
} from '../../graphql/operations';
import { useMutation, useQuery } from '../../hooks/use-query';
import { hrefOf } from '../../hooks/use-route';
import { ROLES, dateTimeWords, dateWords, roleWords, vettingWords } from '../../lib/words';
import { useSignedIn } from '../../session/session-context';
import { OverridesToClear, TermsForm, TermsTable } from './terms-form';
import { VettingActions } from './vetting-actions';

type Member = ResultOf<typeof MemberDetailQuery>['member'];
type Role = (typeof ROLES)[number];

/** One member for the operator: roles, vetting, capabilities, terms, keys, statements and health. */
export function MemberPage({ id }: { id: string }) {
  const { identity } = useSignedIn();
  const q = useQuery(MemberDetailQuery, { id });
  return (
    <QueryView state={q} label="Loading the member…">
      {({ member }) => (
        <Page title={member.name} actions={<a href={hrefOf('members')}>All members</a>}>
          <p className="intro">
            {member.roles.map(roleWords).join(', ')} · joined {dateWords(member.joinedAt)}
            {member.referredBy ? ` · referred by ${member.referredBy.name}` : ''}
          </p>
          <RolesSection member={member} onChange={q.refetch} />
          {member.roles.includes('SUPPLIER') ? <VettingSection member={member} onChange={q.refetch} /> : null}
          {member.roles.includes('SUPPLIER') ? <CapabilitiesSection member={member} currency={identity.network.currency} onChange={q.refetch} /> : null}
          <TermsSection member={member} onChange={q.refetch} />
          <KeySection member={member} />
          <StatementsPanel memberId={member.id} currency={identity.network.currency} canMarkPaid />
          <HealthPanel memberId={member.id} currency={identity.network.currency} canSetBaseline />
          <ScoreHistory memberId={member.id} />
          <RatingsPanel memberId={member.id} own={false} />
        </Page>
      )}
    </QueryView>
  );
}

function RolesSection({ member, onChange }: { member: Member; onChange: () => Promise<void> }) {
  const [roles, setRoles] = useState<Role[]>(member.roles.filter((r): r is Role => (ROLES as readonly string[]).includes(r)));
  const [save, m] = useMutation(SetMemberRolesMutation);
  const [done, setDone] = useState('');
  return (
    <Section title="Roles" id="roles">
      <form
        onSubmit={async (e: FormEvent) => {
          e.preventDefault();
          setDone('');
          if (await save({ memberId: member.id, roles })) {
            setDone('Roles saved.');
            await onChange();
          }
        }}
      >
        <fieldset>
          <legend>Roles of {member.name}</legend>
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
        </fieldset>
        <p className="hint">Gaining the supplier role starts vetting at “applied”; losing it clears the status.</p>
        <button type="submit" disabled={m.running || roles.length === 0}>
          Save roles
        </button>
        <ErrorNote error={m.error} />
        <Done>{done}</Done>
      </form>
    </Section>
  );
}

function VettingSection({ member, onChange }: { member: Member; onChange: () => Promise<void> }) {
  const history = useQuery(VettingHistoryQuery, { supplierId: member.id });
  return (
    <Section title="Vetting" id="vetting" aside={<VettingBadge status={member.vettingStatus} />}>
      <VettingActions
        supplier={member}
        onChange={async () => {
          await onChange();
          await history.refetch();
        }}
      />
      <h3>History</h3>
      <QueryView state={history} label="Loading vetting history…">
        {({ vettingHistory }) => (
          <ol className="timeline">
            {vettingHistory.map((v) => (
              <li key={v.id}>
                <time dateTime={v.createdAt}>{dateTimeWords(v.createdAt)}</time> {v.fromStatus ? `${vettingWords(v.fromStatus)} → ` : ''}
                <strong>{vettingWords(v.toStatus)}</strong>
                {v.note ? <span className="muted"> · “{v.note}”</span> : null}
              </li>
            ))}
          </ol>
        )}
      </QueryView>
    </Section>
  );
}

function CapabilitiesSection({ member, currency, onChange }: { member: Member; currency: string; onChange: () => Promise<void> }) {
  const [remove, r] = useMutation(RemoveCapabilityMutation);
  const [add, a] = useMutation(AddCapabilityMutation);
  const [form, setForm] = useState({ category: '', regions: '', dailyCapacity: '5', leadTimeHours: '24', amount: '', currency });
  const [problem, setProblem] = useState('');
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [k]: e.target.value }));

  async function submit(e: FormEvent) {
    e.preventDefault();
    const regions = form.regions.split(/[\s,]+/).filter(Boolean);
    const capacity = Number(form.dailyCapacity);
    const lead = Number(form.leadTimeHours);
    if (!form.category.trim() || regions.length === 0) return setProblem('Give a category and at least one region.');
    if (!Number.isInteger(capacity) || capacity < 1 || !Number.isInteger(lead) || lead < 0)
      return setProblem('Capacity must be a whole number of at least 1, lead time a whole number of hours.');
    setProblem('');
    const ok = await add({
      input: {
        supplierId: member.id,
        category: form.category.trim(),
        regions,
        dailyCapacity: capacity,
        leadTimeHours: lead,
        unitPrice: { amount: form.amount.trim(), currency: form.currency.trim() },
      },
    });
    if (ok) {
      setForm((f) => ({ ...f, category: '', regions: '', amount: '' }));
      await onChange();
    }
  }

  return (
    <Section title="Capabilities" id="capabilities">
      {member.capabilities.length === 0 ? (
        <Empty>No capabilities: this supplier is never routed an order.</Empty>
      ) : (
        <div className="table-scroll">
          <table>
            <caption className="sr-only">Capabilities of {member.name}</caption>
            <thead>
              <tr>
                <th scope="col">Category</th>
                <th scope="col">Regions</th>
                <th scope="col" className="num">
                  Per day
                </th>
                <th scope="col" className="num">
                  Lead time
                </th>
                <th scope="col" className="num">
                  Unit price
                </th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {member.capabilities.map((c) => (
                <tr key={c.id}>
                  <th scope="row">{c.category}</th>
                  <td>{c.regions.join(', ')}</td>
                  <td className="num">{c.dailyCapacity}</td>
                  <td className="num">{c.leadTimeHours} h</td>
                  <td className="num">
                    <MoneyText value={c.unitPrice} />
                  </td>
                  <td>
                    <button
                      type="button"
                      className="danger"
                      disabled={r.running}
                      aria-label={`Remove ${c.category}`}
                      onClick={async () => (await remove({ id: c.id })) && onChange()}
                    >
                      Remove
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <ErrorNote error={r.error} />
      <h3>Add a capability</h3>
      <form onSubmit={submit} noValidate className="form-grid">
        <Field label="Category">{(p) => <input {...p} value={form.category} onChange={set('category')} />}</Field>
        <Field label="Regions" hint="Separated by commas or spaces.">
          {(p) => <input {...p} value={form.regions} onChange={set('regions')} />}
        </Field>
        <Field label="Orders per day">{(p) => <input {...p} inputMode="numeric" value={form.dailyCapacity} onChange={set('dailyCapacity')} />}</Field>
        <Field label="Lead time (hours)">{(p) => <input {...p} inputMode="numeric" value={form.leadTimeHours} onChange={set('leadTimeHours')} />}</Field>
        <Field label="Unit price">{(p) => <input {...p} inputMode="decimal" value={form.amount} onChange={set('amount')} />}</Field>
        <Field label="Currency">{(p) => <input {...p} value={form.currency} maxLength={3} onChange={set('currency')} />}</Field>
        <div className="span buttons">
          <button type="submit" disabled={a.running}>
            Add capability
          </button>
        </div>
        <div className="span">
          {problem ? <p className="field-error">{problem}</p> : null}
          <ErrorNote error={a.error} />
        </div>
      </form>
    </Section>
  );
}

function TermsSection({ member, onChange }: { member: Member; onChange: () => Promise<void> }) {
  const [save, m] = useMutation(SetMemberTermsMutation);
  const [clear, cleared] = useMutation(ClearMemberTermsMutation);
  const history = useQuery(FeeTermHistoryQuery, { memberId: member.id });
  if (!member.terms) return null;
  const latest = history.data?.feeTermHistory.at(-1)?.overrides;
  return (
    <Section title="Fee terms" id="terms">
      <TermsTable terms={member.terms} caption={`Terms in force for ${member.name} (the network's schedule with this member's overrides)`} />
      <h3>Override for this member</h3>
      <TermsForm
        current={member.terms}
        submitLabel="Save member terms"
        running={m.running}
        error={m.error}
        onSubmit={async (input) => {
          const ok = !!(await save({ memberId: member.id, input }));
          if (ok) await Promise.all([onChange(), history.refetch()]);
          return ok;
        }}
      />
      {latest ? (
        <OverridesToClear
          name={member.name}
          overrides={latest}
          running={cleared.running}
          error={cleared.error}
          onClear={async (field) => {
            const ok = !!(await clear({ memberId: member.id, fields: [field] }));
            if (ok) await Promise.all([onChange(), history.refetch()]);
            return ok;
          }}
        />
      ) : null}
      <h3>History of overrides</h3>
      <QueryView state={history} label="Loading term history…">
        {({ feeTermHistory }) =>
          feeTermHistory.length === 0 ? (
            <Empty>No overrides: the network's schedule applies.</Empty>
          ) : (
            <ol className="timeline">
              {feeTermHistory.map((h) => (
                <li key={h.id}>
                  <time dateTime={h.effectiveAt}>{dateTimeWords(h.effectiveAt)}</time>{' '}
                  {Object.entries(h.overrides)
                    .filter(([, v]) => v !== null && v !== undefined)
                    .map(([k, v]) => `${k} ${v}`)
                    .join(', ') || 'no overrides'}
                </li>
              ))}
            </ol>
          )
        }
      </QueryView>
    </Section>
  );
}

function KeySection({ member }: { member: Member }) {
  const [issue, m] = useMutation(IssueApiKeyMutation);
  const [key, setKey] = useState('');
  return (
    <Section title="API key" id="api-key">
      <p className="hint">A new key acts as {member.name} in its roles. It is shown once: pass it on safely.</p>
      <button
        type="button"
        disabled={m.running}
        onClick={async () => {
          const r = await issue({ memberId: member.id });
          if (r) setKey(r.issueApiKey);
        }}
      >
        Issue a key
      </button>
      {key ? (
        <Field label="New key (shown once)">{(p) => <input {...p} readOnly value={key} onFocus={(e) => e.target.select()} className="mono" />}</Field>
      ) : null}
      <ErrorNote error={m.error} />
    </Section>
  );
}
