import { useState, type FormEvent } from 'react';
import { Done, ErrorNote } from '../../components/feedback';
import { Field } from '../../components/field';
import type { VariablesOf } from '../../graphql/graphql';
import type { SetMemberTermsMutation } from '../../graphql/operations';
import { bpsWords } from '../../lib/words';

export type FeeScheduleInput = VariablesOf<typeof SetMemberTermsMutation>['input'];
export interface Terms {
  clientFeeBps: number;
  supplierFeeBps: number;
  partnerShareBps: number;
  partnerShareMonths: number;
  offerTimeoutSeconds: number;
}

export const TERM_FIELDS: { key: keyof Terms; label: string; unit: string; max: number; words?: (n: number) => string }[] = [
  { key: 'clientFeeBps', label: 'Client fee', unit: 'basis points', max: 10_000, words: bpsWords },
  { key: 'supplierFeeBps', label: 'Supplier fee', unit: 'basis points', max: 10_000, words: bpsWords },
  { key: 'partnerShareBps', label: 'Partner share', unit: 'basis points of the fee', max: 10_000, words: bpsWords },
  { key: 'partnerShareMonths', label: 'Share period', unit: 'months', max: 120 },
  { key: 'offerTimeoutSeconds', label: 'Offer timeout', unit: 'seconds', max: 86_400 },
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
