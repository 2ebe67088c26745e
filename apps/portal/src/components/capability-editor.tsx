import { useEffect, useId, useMemo, useState, type FormEvent } from 'react';
import { ApiError, describeError } from '../graphql/client';
import type { ResultOf } from '../graphql/graphql';
import { CapabilityReachQuery, SaveCapabilityMutation } from '../graphql/supplier-operations';
import { useMutation, useQuery } from '../hooks/use-query';
import { capabilityChange, valuesOf, type EditableCapability, type FieldErrors, type FormField, type FormValues, type UpdateInput } from './capability-math';
import { reasonWords } from '../lib/words';
import { Done, ErrorNote } from './feedback';
import { Field } from './field';
import { MoneyText } from './money';

type Reach = ResultOf<typeof CapabilityReachQuery>['capabilityReach'];
/** How long typing must pause before the effect is asked for. */
const PREVIEW_DELAY_MS = 400;

/** Why orders were out of reach, in the supplier's own terms; a reason the portal does not know yet is shown in routing's words. */
const REACH_REASON: Record<string, string> = {
  NOT_VETTED: 'while you are not vetted',
  CURRENCY: 'in another currency',
  REGION: 'outside your regions',
  OVER_BUDGET: 'over budget at this price',
  LEAD_TIME: 'due sooner than your lead time',
  CAPACITY: 'on a day already full',
  SELF: 'your own orders',
};

/** The form field an API error is about ("unitPrice.amount" is the price). */
function fieldOf(e: unknown): FormField | undefined {
  if (!(e instanceof ApiError) || !e.field) return undefined;
  const root = e.field.split('.')[0];
  if (root === 'unitPrice') return 'amount';
  return (['regions', 'dailyCapacity', 'leadTimeHours'] as const).find((f) => f === root);
}

function useDebounced<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

/** One capability: price, regions, capacity and lead time, with what the change would have reached before it is saved. */
export function CapabilityEditor({ supplierId, capability, onSaved }: { supplierId: string; capability: EditableCapability; onSaved: () => Promise<void> }) {
  const headingId = useId();
  const [values, setValues] = useState<FormValues>(() => valuesOf(capability));
  const [save, saving] = useMutation(SaveCapabilityMutation);
  const [done, setDone] = useState('');

  // A saved change (or another tab's) becomes the new starting point.
  const savedKey = JSON.stringify(valuesOf(capability));
  useEffect(() => setValues(JSON.parse(savedKey) as FormValues), [savedKey]);

  const { input, errors } = useMemo(() => capabilityChange(capability, values), [capability, values]);
  const changed = Object.keys(input).length > 0;
  const valid = Object.keys(errors).length === 0;
  const proposal = useDebounced(JSON.stringify(input), PREVIEW_DELAY_MS);

  const current = useQuery(CapabilityReachQuery, { memberId: supplierId, input: { capabilityId: capability.id } });
  const tried = useQuery(
    CapabilityReachQuery,
    { memberId: supplierId, input: { capabilityId: capability.id, ...(JSON.parse(proposal) as UpdateInput) } },
    { skip: !valid || !changed || proposal !== JSON.stringify(input) },
  );

  // The API's verdict on a field (from the preview or the save) is shown next to that field.
  const apiError = saving.error ?? (changed && valid ? tried.error : undefined);
  const apiField = fieldOf(apiError);
  const shownErrors: FieldErrors = { ...errors, ...(apiField ? { [apiField]: describeError(apiError) } : {}) };

  const set = (k: FormField) => (e: { target: { value: string } }) => {
    setDone('');
    saving.reset();
    setValues((v) => ({ ...v, [k]: e.target.value }));
  };

  async function submit(e: FormEvent) {
    e.preventDefault();
    setDone('');
    if (!valid || !changed) return;
    const r = await save({ id: capability.id, input });
    if (r) {
      setDone(`Saved: ${capability.category} now at ${r.updateCapability.unitPrice.amount} ${r.updateCapability.unitPrice.currency} a unit.`);
      await Promise.all([onSaved(), current.refetch()]);
    }
  }

  return (
    <section className="panel capability-editor" aria-labelledby={headingId}>
      <div className="panel-head">
        <h2 id={headingId}>{capability.category}</h2>
        <span className="muted">
          now <MoneyText value={capability.unitPrice} /> a unit · {capability.regions.join(', ')}
        </span>
      </div>
      <form onSubmit={submit} noValidate aria-labelledby={headingId} className="form-grid">
        <Field label={`Unit price (${capability.unitPrice.currency})`} error={shownErrors.amount}>
          {(p) => <input {...p} inputMode="decimal" value={values.amount} onChange={set('amount')} />}
        </Field>
        <Field label="Regions" hint="Separated by commas or spaces." error={shownErrors.regions}>
          {(p) => <input {...p} value={values.regions} onChange={set('regions')} />}
        </Field>
        <Field label="Orders per day" error={shownErrors.dailyCapacity}>
          {(p) => <input {...p} inputMode="numeric" value={values.dailyCapacity} onChange={set('dailyCapacity')} />}
        </Field>
        <Field label="Lead time (hours)" error={shownErrors.leadTimeHours}>
          {(p) => <input {...p} inputMode="numeric" value={values.leadTimeHours} onChange={set('leadTimeHours')} />}
        </Field>
        <div className="span capability-reach" aria-live="polite">
          <ReachLine testId="reach-current" label="As it is" reach={current.data?.capabilityReach} loading={current.loading} />
          {changed && valid ? (
            <ReachLine
              testId="reach-proposed"
              label="With your changes"
              reach={tried.data?.capabilityReach}
              loading={tried.loading || proposal !== JSON.stringify(input)}
            />
          ) : null}
          {current.error ? <ErrorNote error={current.error} prefix="Could not work out the reach" /> : null}
          {changed && valid && tried.error && !fieldOf(tried.error) ? <ErrorNote error={tried.error} prefix="Could not work out the effect" /> : null}
        </div>
        <div className="span buttons">
          <button type="submit" className="primary" disabled={saving.running || !changed || !valid}>
            Save {capability.category}
          </button>
          <button type="button" disabled={!changed || saving.running} onClick={() => setValues(valuesOf(capability))}>
            Undo changes
          </button>
        </div>
        <div className="span">
          {saving.error && !apiField ? <ErrorNote error={saving.error} /> : null}
          <Done>{done}</Done>
        </div>
      </form>
    </section>
  );
}

/** "would have been eligible for N of the last M orders", with what kept it out of the rest. */
function ReachLine({ label, reach, loading, testId }: { label: string; reach: Reach | undefined; loading: boolean; testId: string }) {
  if (!reach)
    return (
      <p className="muted">
        {label}: {loading ? 'working out the reach…' : '—'}
      </p>
    );
  const kept = reach.excluded.map((x) => `${x.orders} ${REACH_REASON[x.reason] ?? reasonWords(x.reason)}`).join(', ');
  const atAnyPrice = reach.eligibleAtAnyPrice - reach.eligible;
  return (
    <p data-testid={testId}>
      <strong>{label}:</strong> would have been eligible for{' '}
      <strong>
        {reach.eligible} of the last {reach.orders}
      </strong>{' '}
      {reach.orders === 1 ? 'order' : 'orders'} of the last {reach.windowDays} days
      {atAnyPrice > 0 ? ` (${atAnyPrice} more at a lower price)` : ''}.{kept ? <span className="muted"> Not eligible: {kept}.</span> : null}
    </p>
  );
}
