import { useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { formatMoney, subtractAmounts, type MoneyValue } from '../lib/money';
import { previewRefund, type RefundPreview, type RefundableFees } from '../lib/refund-preview';
import { ErrorNote } from './feedback';
import { Field } from './field';
import { MoneyText } from './money';

/** What one refund reverses on each leg; refundedAfter and remainingAfter are shown when known. */
export type RefundLegs = Omit<RefundPreview, 'refundedAfter' | 'remainingAfter'> & Partial<Pick<RefundPreview, 'refundedAfter' | 'remainingAfter'>>;

/** Every leg one refund reverses, as a table (the same lines as Order.refunds[].reversed). */
export function RefundLegsTable({ legs, caption }: { legs: RefundLegs; caption: string }) {
  const row = (label: ReactNode, value: MoneyValue, total = false) => (
    <tr className={total ? 'total' : undefined}>
      <th scope="row">{label}</th>
      <td>
        <MoneyText value={value} />
      </td>
    </tr>
  );
  return (
    <table className="fees refund-legs">
      <caption>{caption}</caption>
      <tbody>
        {row('Price refunded', legs.amount)}
        {row('Client fee reversed', legs.clientFee)}
        {row('Supplier fee reversed', legs.supplierFee)}
        {row('Client gets back', legs.clientGetsBack, true)}
        {row('Supplier gives back', legs.supplierGivesBack, true)}
        {legs.partnerShares.map((s) => (
          <tr key={`${s.partner.id}-${s.referred.id}`}>
            <th scope="row">
              Share {s.partner.name} gives back <span className="muted">(referred {s.referred.name})</span>
            </th>
            <td>
              <MoneyText value={s.amount} />
            </td>
          </tr>
        ))}
        {row("Hub's net falls by", legs.hubNetFalls)}
        {legs.refundedAfter ? row('Refunded in all after this', legs.refundedAfter) : null}
        {legs.remainingAfter ? row('Left of the price', legs.remainingAfter) : null}
      </tbody>
    </table>
  );
}

/**
 * A refund amount, then a preview of every leg it reverses, then the
 * confirmation: nothing is sent before the operator has seen the preview.
 * The preview uses the API's rounding (lib/refund-preview.ts); the API
 * stays the judge and its refusal is shown here.
 */
export function RefundPreviewForm({
  fees,
  refundedAmount,
  subject,
  noteLabel,
  confirmLabel,
  running,
  error,
  onConfirm,
  extraButtons,
}: {
  fees: RefundableFees;
  refundedAmount: MoneyValue;
  /** What is refunded, for the labels: "1 × gift-baskets for Grand Hotel". */
  subject: string;
  noteLabel: string;
  confirmLabel: (amount: MoneyValue) => string;
  running: boolean;
  error: unknown;
  onConfirm: (amount: MoneyValue, note: string | null) => Promise<boolean>;
  extraButtons?: (note: string | null) => ReactNode;
}) {
  const currency = fees.price.currency;
  const [amount, setAmount] = useState('');
  const [note, setNote] = useState('');
  const [problem, setProblem] = useState('');
  const [preview, setPreview] = useState<RefundPreview | null>(null);
  const previewRef = useRef<HTMLDivElement>(null);
  const amountRef = useRef<HTMLInputElement | null>(null);
  const noteOrNull = note.trim() ? note.trim() : null;
  const remaining = { amount: subtractAmounts(fees.price.amount, refundedAmount.amount), currency };

  useEffect(() => {
    // The preview is new content the operator must read before confirming: take focus there.
    if (preview) previewRef.current?.focus();
  }, [preview]);

  function showPreview(e: FormEvent) {
    e.preventDefault();
    const check = previewRefund(fees, refundedAmount, amount);
    if (!check.ok) {
      setProblem(check.problem);
      setPreview(null);
      amountRef.current?.focus();
      return;
    }
    setProblem('');
    setPreview(check.preview);
  }

  async function confirm() {
    if (!preview) return;
    if (await onConfirm(preview.amount, noteOrNull)) {
      setPreview(null);
      setAmount('');
      setNote('');
    }
  }

  return (
    <form onSubmit={showPreview} noValidate className="refund-form">
      <Field
        label={`Refund amount (${currency})`}
        hint={`At most ${formatMoney(remaining)}, what remains of the price; every fee and share is reversed in proportion.`}
        error={problem || undefined}
      >
        {(p) => (
          <input
            {...p}
            ref={amountRef}
            inputMode="decimal"
            value={amount}
            onChange={(e) => {
              setAmount(e.target.value);
              // A changed amount needs a new preview before it can be confirmed.
              setPreview(null);
            }}
            placeholder={remaining.amount}
          />
        )}
      </Field>
      <Field label={noteLabel}>{(p) => <textarea {...p} rows={2} maxLength={2000} value={note} onChange={(e) => setNote(e.target.value)} />}</Field>
      {preview ? (
        <div className="refund-preview" ref={previewRef} tabIndex={-1} role="region" aria-label={`Preview of the refund of ${subject}`}>
          <RefundLegsTable legs={preview} caption={`What refunding ${formatMoney(preview.amount)} reverses`} />
          <div className="buttons">
            <button type="button" className="primary" disabled={running} onClick={confirm}>
              {confirmLabel(preview.amount)}
            </button>
            <button type="button" disabled={running} onClick={() => (setPreview(null), amountRef.current?.focus())}>
              Change the amount
            </button>
          </div>
        </div>
      ) : (
        <div className="buttons">
          <button type="submit" disabled={running || !amount.trim()}>
            Preview the refund
          </button>
          {extraButtons?.(noteOrNull)}
        </div>
      )}
      <ErrorNote error={error} />
    </form>
  );
}
