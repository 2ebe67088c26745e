import { useState, type FormEvent } from 'react';
import { Done, ErrorNote } from '../../components/feedback';
import { Field } from '../../components/field';
import type { VariablesOf } from '../../graphql/graphql';
import type { ClearMemberTermsMutation, SetMemberTermsMutation } from '../../graphql/operations';
import { bpsWords } from '../../lib/words';

export type FeeScheduleInput = VariablesOf<typeof SetMemberTermsMutation>['input'];
type FeeTermField = NonNullable<VariablesOf<typeof ClearMemberTermsMutation>['fields']>[number];
export interface Terms {
  clientFeeBps: number;
  supplierFeeBps: number;
  partnerShareBps: number;
  partnerShareMonths: number;
  offerTimeoutSeconds: number;
}

/** Each field of a fee schedule, with the API's name of it for clearMemberTerms. */
export const TERM_FIELDS: { key: keyof Terms; field: FeeTermField; label: string; unit: string; max: number; words?: (n: number) => string }[] = [
  { key: 'clientFeeBps', field: 'CLIENT_FEE_BPS', label: 'Client fee', unit: 'basis points', max: 10_000, words: bpsWords },
  { key: 'supplierFeeBps', field: 'SUPPLIER_FEE_BPS', label: 'Supplier fee', unit: 'basis points', max: 10_000, words: bpsWords },
  { key: 'partnerShareBps', field: 'PARTNER_SHARE_BPS', label: 'Partner share', unit: 'basis points of the fee', max: 10_000, words: bpsWords },
  { key: 'partnerShareMonths', field: 'PARTNER_SHARE_MONTHS', label: 'Share period', unit: 'months', max: 120 },
  { key: 'offerTimeoutSeconds', field: 'OFFER_TIMEOUT_SECONDS', label: 'Offer timeout', unit: 'seconds', max: 86_400 },
];

/**
 * A fee-terms form: a blank field means "leave as it is" (the API's rule for
 * FeeScheduleInput); only the fields typed in are sent.
 */
export function TermsForm({
  current,
  submitLabel,
  onSubmit,
  running,
  error,
}: {
  current: Terms;
  submitLabel: string;
  onSubmit: (input: FeeScheduleInput) => Promise<boolean>;
  running: boolean;
  error: unknown;
}) {
  const [values, setValues] = useState<Record<string, string>>({});
  const [problems, setProblems] = useState<Record<string, string>>({});
  const [done, setDone] = useState('');

  async function submit(e: FormEvent) {
    e.preventDefault();
    setDone('');
    const input: Record<string, number> = {};
    const found: Record<string, string> = {};
    for (const f of TERM_FIELDS) {
      const raw = (values[f.key] ?? '').trim();
      if (!raw) continue;
      const n = /^\d+$/.test(raw) ? Number(raw) : NaN;
      if (!Number.isInteger(n) || n > f.max || (f.key === 'offerTimeoutSeconds' && n < 1)) {
        found[f.key] = `${f.label}: a whole number from ${f.key === 'offerTimeoutSeconds' ? 1 : 0} to ${f.max.toLocaleString('en')}.`;
      } else input[f.key] = n;
    }
    setProblems(found);
    if (Object.keys(found).length > 0) return;
    if (Object.keys(input).length === 0) return setProblems({ form: 'Type a new value in at least one field.' });
    if (await onSubmit(input as FeeScheduleInput)) {
      setValues({});
      setDone('Saved.');
    }
  }

  return (
    <form onSubmit={submit} noValidate className="form-grid">
      {TERM_FIELDS.map((f) => (
        <Field
          key={f.key}
          label={`${f.label} (${f.unit})`}
          hint={`Now ${current[f.key]}${f.words ? ` (${f.words(current[f.key])})` : ''}. Leave blank to keep.`}
          error={problems[f.key]}
        >
          {(p) => <input {...p} inputMode="numeric" value={values[f.key] ?? ''} onChange={(e) => setValues((v) => ({ ...v, [f.key]: e.target.value }))} />}
        </Field>
      ))}
      <div className="span buttons">
        <button type="submit" className="primary" disabled={running}>
          {submitLabel}
        </button>
      </div>
      <div className="span">
        {problems.form ? <p className="field-error">{problems.form}</p> : null}
        <ErrorNote error={error} />
        <Done>{done}</Done>
      </div>
    </form>
  );
}

export function TermsTable({ terms, caption }: { terms: Terms; caption: string }) {
  return (
    <table>
      <caption>{caption}</caption>
      <tbody>
        {TERM_FIELDS.map((f) => (
          <tr key={f.key}>
            <th scope="row">{f.label}</th>
            <td className="num">{f.words ? f.words(terms[f.key]) : `${terms[f.key]} ${f.unit}`}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/**
 * The member's own values, each with a button that gives it back to the
 * network's schedule (clearMemberTerms): `overrides` is the latest version of
 * feeTermHistory, null where the network's value applies.
 */
export function OverridesToClear({
  name,
  overrides,
  onClear,
  running,
  error,
}: {
  name: string;
  overrides: Partial<Record<keyof Terms, number | null>>;
  onClear: (field: FeeTermField, label: string) => Promise<boolean>;
  running: boolean;
  error: unknown;
}) {
  const [done, setDone] = useState('');
  const own = TERM_FIELDS.filter((f) => overrides[f.key] !== null && overrides[f.key] !== undefined);
  if (own.length === 0 && !done) return null;
  return (
    <div className="overrides">
      {own.length > 0 ? (
        <ul className="plain">
          {own.map((f) => (
            <li key={f.key}>
              {f.label}: {name}&rsquo;s own {f.words ? f.words(overrides[f.key] as number) : `${overrides[f.key]} ${f.unit}`}{' '}
              <button
                type="button"
                disabled={running}
                onClick={async () => {
                  setDone('');
                  if (await onClear(f.field, f.label)) setDone(`${f.label} is the network's again.`);
                }}
              >
                Use the network&rsquo;s {f.label.toLowerCase()}
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      <ErrorNote error={error} />
      <Done>{done}</Done>
    </div>
  );
}
