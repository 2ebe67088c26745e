import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { ErrorNote } from '../../components/feedback';
import { Field } from '../../components/field';
import { Page } from '../../components/page';
import { ApiError } from '../../graphql/client';
import { CurrencyProbeQuery, PlaceOrderMutation } from '../../graphql/operations';
import { useMutation, useQuery } from '../../hooks/use-query';
import { navigate } from '../../hooks/use-route';
import { MAX_NOTES, codePointLength, decimalsOfAmount, formFieldOf, validateOrderForm, type OrderErrors, type OrderForm } from '../../lib/order-validation';
import { useSignedIn } from '../../session/session-context';

const newKey = () => (typeof crypto !== 'undefined' && 'randomUUID' in crypto ? crypto.randomUUID() : `${Date.now()}-${Math.random().toString(36).slice(2)}`);

/** A datetime-local value for a moment in the browser's zone ("2026-11-25T09:30"). */
function localInputValue(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}

export function PlaceOrderPage() {
  const { identity } = useSignedIn();
  const meId = identity.kind === 'member' ? identity.member.id : '';
  const [form, setForm] = useState<OrderForm>(() => ({
    category: '',
    region: '',
    quantity: '1',
    deliverBy: localInputValue(new Date(Date.now() + 3 * 86_400_000)),
    budgetAmount: '',
    currency: identity.network.currency,
    notes: '',
  }));
  const [errors, setErrors] = useState<OrderErrors>({});
  const [tried, setTried] = useState(false);
  // One idempotency key per order being written: a retry after a lost answer returns the same order.
  const idempotencyKey = useRef(newKey());
  const [place, m] = useMutation(PlaceOrderMutation);
  const formRef = useRef<HTMLFormElement>(null);

  // The currency's minor digits as the API writes them; an unknown code is refused by the API.
  const currency = form.currency.trim().toUpperCase();
  const probe = useQuery(CurrencyProbeQuery, { memberId: meId, currency }, { skip: !/^[A-Z]{3}$/.test(currency) });
  const currencyDecimals = useMemo(() => {
    if (probe.data) return decimalsOfAmount(probe.data.balance.owedToHub.amount);
    if (probe.error instanceof ApiError && probe.error.code === 'BAD_USER_INPUT') return null;
    return undefined;
  }, [probe.data, probe.error]);

  // Once a submit was tried, errors follow the typing.
  useEffect(() => {
    if (tried) setErrors(validateOrderForm(form, { now: new Date(), currencyDecimals }).errors);
  }, [form, tried, currencyDecimals]);

  const set = (k: keyof OrderForm) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [k]: e.target.value }));

  async function submit(e: FormEvent) {
    e.preventDefault();
    setTried(true);
    const { errors: found, input } = validateOrderForm(form, { now: new Date(), currencyDecimals });
    setErrors(found);
    if (!input) {
      // Move focus to the first field in error, where its message is read out.
      requestAnimationFrame(() => formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
      return;
    }
    const r = await place({ input: { ...input, idempotencyKey: idempotencyKey.current } });
    if (r) {
      idempotencyKey.current = newKey();
      setTried(false);
      navigate('orders', r.placeOrder.id);
    }
  }

  // An API refusal that names a field is shown next to that field.
  const apiField = m.error instanceof ApiError ? formFieldOf(m.error.field) : undefined;
  const err = (k: keyof OrderForm) => errors[k] ?? (apiField === k && m.error instanceof ApiError ? m.error.message : undefined);
  const notesLength = codePointLength(form.notes);

  return (
    <Page
      title="Place an order"
      intro="Tell the hub what you need; it routes the order to the best vetted supplier. You pay the supplier's price plus the hub's client fee."
    >
      <form ref={formRef} onSubmit={submit} noValidate className="form-grid">
        <Field label="Category" hint="What you need, as a code: gift-baskets, flowers…" error={err('category')}>
          {(p) => <input {...p} name="category" value={form.category} onChange={set('category')} autoComplete="off" required />}
        </Field>
        <Field label="Region" hint="Where to deliver, as a code: US-NY…" error={err('region')}>
          {(p) => <input {...p} name="region" value={form.region} onChange={set('region')} autoComplete="off" required />}
        </Field>
        <Field label="Quantity" error={err('quantity')}>
          {(p) => <input {...p} name="quantity" type="number" inputMode="numeric" min={1} step={1} value={form.quantity} onChange={set('quantity')} required />}
        </Field>
        <Field label="Deliver by" hint="In your time zone." error={err('deliverBy')}>
          {(p) => <input {...p} name="deliverBy" type="datetime-local" value={form.deliverBy} onChange={set('deliverBy')} required />}
        </Field>
        <Field label="Budget" hint="The most the supplier's price may be; the client fee comes on top." error={err('budgetAmount')}>
          {(p) => <input {...p} name="budget" inputMode="decimal" value={form.budgetAmount} onChange={set('budgetAmount')} placeholder="150.00" required />}
        </Field>
        <Field label="Currency" error={err('currency')}>
          {(p) => <input {...p} name="currency" value={form.currency} onChange={set('currency')} maxLength={3} autoComplete="off" required />}
        </Field>
        <div className="span">
          <Field label="Notes (optional)" hint={`${notesLength.toLocaleString('en')} of ${MAX_NOTES.toLocaleString('en')} characters`} error={err('notes')}>
            {(p) => <textarea {...p} name="notes" rows={3} value={form.notes} onChange={set('notes')} />}
          </Field>
        </div>
        <div className="span buttons">
          <button type="submit" className="primary" disabled={m.running}>
            {m.running ? 'Placing…' : 'Place order'}
          </button>
        </div>
        <div className="span">{m.error && !apiField ? <ErrorNote error={m.error} /> : null}</div>
      </form>
    </Page>
  );
}
