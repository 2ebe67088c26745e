import { useState, type FormEvent } from 'react';
import { Done, ErrorNote } from '../../components/feedback';
import { Field } from '../../components/field';
import { Page, Section } from '../../components/page';
import type { VariablesOf } from '../../graphql/graphql';
import { RegisterMemberMutation } from '../../graphql/operations';
import { PartnerChoicesQuery } from '../../graphql/scale-operations';
import { useMutation, useQuery } from '../../hooks/use-query';
import { hrefOf } from '../../hooks/use-route';
import { ROLES, roleWords } from '../../lib/words';

type Role = VariablesOf<typeof RegisterMemberMutation>['input']['roles'][number];
/** Partners offered in the "referred by" list at once; a name filter narrows a longer list. */
const PARTNER_CHOICES = 100;

/** Registers a member: a name, its roles and the partner who referred it. */
export function RegisterMemberPage() {
  return (
    <Page
      title="Register a member"
      intro="A new member of the network. A supplier starts vetting as applied; open the member afterwards to issue a key or add capabilities."
      actions={<a href={hrefOf('members')}>Back to members</a>}
    >
      <Section title="The new member" id="register">
        <RegisterForm />
      </Section>
    </Page>
  );
}

function RegisterForm() {
  const [name, setName] = useState('');
  const [roles, setRoles] = useState<Role[]>([]);
  const [referredById, setReferredById] = useState('');
  const [partnerFilter, setPartnerFilter] = useState('');
  const partners = useQuery(PartnerChoicesQuery, { search: partnerFilter.trim() || null, first: PARTNER_CHOICES });
  const [register, m] = useMutation(RegisterMemberMutation);
  const [done, setDone] = useState<{ id: string; name: string } | null>(null);
  const [problem, setProblem] = useState('');
  const choices = partners.data?.members.edges.map((e) => e.node) ?? [];
  const more = (partners.data?.members.totalCount ?? 0) > choices.length;

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
      setPartnerFilter('');
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
      <Field
        label="Find the referring partner by name"
        hint={more ? `More than ${PARTNER_CHOICES} partners: type part of a name to narrow the list.` : undefined}
      >
        {(p) => (
          <input
            {...p}
            type="search"
            value={partnerFilter}
            maxLength={200}
            onChange={(e) => {
              // The chosen partner may leave the narrowed list: choose again from it.
              setPartnerFilter(e.target.value);
              setReferredById('');
            }}
          />
        )}
      </Field>
      <Field label="Referred by (optional)" hint="A partner earns a share of the fees this member pays.">
        {(p) => (
          <select {...p} value={referredById} onChange={(e) => setReferredById(e.target.value)}>
            <option value="">Nobody</option>
            {choices.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
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
        <ErrorNote error={partners.error} prefix="Partners could not be listed" />
        <Done>{done ? <a href={hrefOf('members', done.id)}>Registered {done.name}: open to issue a key or add capabilities.</a> : null}</Done>
      </div>
    </form>
  );
}
