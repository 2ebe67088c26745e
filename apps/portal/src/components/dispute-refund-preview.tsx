import { useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { describeError } from '../graphql/client';
import { RefundPreviewQuery } from '../graphql/disputes-operations';
import type { ResultOf } from '../graphql/graphql';
import { useMutation } from '../hooks/use-query';
import { subtractAmounts, sumAmounts, toMinor, formatMoney, type MoneyValue } from '../lib/money';
import { ErrorNote } from './feedback';
import { Field } from './field';
import { MoneyText } from './money';

interface Party {
  id: string;
  name: string;
}

/** The order's frozen breakdown (only what the form shows of it). */
export interface RefundableFees {
  price: MoneyValue;
}

/** What one refund reverses on each leg; refundedAfter and remainingAfter are shown when known. */
export interface RefundLegs {
  amount: MoneyValue;
  clientFee: MoneyValue;
  supplierFee: MoneyValue;
  /** amount + the client fee reversed. */
  clientGetsBack: MoneyValue;
  /** amount − the supplier fee reversed. */
  supplierGivesBack: MoneyValue;
  partnerShares: readonly { partner: Party; referred: Party; amount: MoneyValue }[];
  /** Both fees reversed less the shares reversed. */
  hubNetFalls: MoneyValue;
  refundedAfter?: MoneyValue;
  remainingAfter?: MoneyValue;
}

type Reversal = ResultOf<typeof RefundPreviewQuery>['refundPreview'];

/** A reversal as the API writes it (Order.refunds[].reversed, refundPreview), in the table's words. */
export function refundLegsOf(r: Reversal): RefundLegs {
  return {
    amount: r.price,
    clientFee: r.clientFee,
    supplierFee: r.supplierFee,
    clientGetsBack: r.clientPays,
    supplierGivesBack: r.supplierReceives,
    partnerShares: r.partnerShares,
    hubNetFalls: r.hubNet,
  };
}

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
 * The preview is the API's (refundPreview: the rule that records the refund,
 * with its refusals shown by the amount).
 */
export function RefundPreviewForm({
  orderId,
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
  orderId: string;
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
  const [preview, setPreview] = useState<RefundLegs | null>(null);
  const [ask, asking] = useMutation(RefundPreviewQuery);
  const previewRef = useRef<HTMLDivElement>(null);
  const amountRef = useRef<HTMLInputElement | null>(null);
  const noteOrNull = note.trim() ? note.trim() : null;
  const remaining = { amount: subtractAmounts(fees.price.amount, refundedAmount.amount), currency };

  useEffect(() => {
    // The preview is new content the operator must read before confirming: take focus there.
    if (preview) previewRef.current?.focus();
  }, [preview]);

  async function showPreview(e: FormEvent) {
    e.preventDefault();
    setPreview(null);
    const typed = amount.trim();
    const r = await ask({ orderId, amount: { amount: typed, currency } });
    if (!r) {
      amountRef.current?.focus();
      return;
    }
    const refundedAfter = { amount: sumAmounts([refundedAmount.amount, r.refundPreview.price.amount], toMinor(fees.price.amount).decimals), currency };
    setPreview({
      ...refundLegsOf(r.refundPreview),
      refundedAfter,
      remainingAfter: { amount: subtractAmounts(fees.price.amount, refundedAfter.amount), currency },
    });
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
        error={asking.error ? describeError(asking.error) : undefined}
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
              asking.reset();
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
          <button type="submit" disabled={running || asking.running || !amount.trim()}>
            Preview the refund
          </button>
          {extraButtons?.(noteOrNull)}
        </div>
      )}
      <ErrorNote error={error} />
    </form>
  );
}
