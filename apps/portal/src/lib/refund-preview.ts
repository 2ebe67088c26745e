import { fromMinor, toMinor, type MoneyValue } from './money';

/*
 * What a refund of part of an order's price will reverse on every leg, shown
 * to the operator before it confirms. This is the rule of
 * libs/settlement/src/fees/refund-legs.ts, written again here because the
 * portal cannot import the libs and the API has no preview field: each leg L
 * (client fee, supplier fee, each partner share) is reversed on the cumulative
 * refunded amount R of the price P, round_half_up(L × R / P) in minor units so
 * far, and this refund reverses the difference from what earlier refunds
 * reversed. The price leg reverses exactly the amount. Keep the two in step:
 * refund-preview.spec.ts checks the API's worked examples (the Circles order,
 * the 10.10 USD order) to the cent, as refund-legs.spec.ts does for the API.
 */

interface Party {
  id: string;
  name: string;
}

/** The order's frozen breakdown as the API writes it (only the legs a refund reverses). */
export interface RefundableFees {
  price: MoneyValue;
  clientFee: MoneyValue;
  supplierFee: MoneyValue;
  partnerShares: readonly { partner: Party; referred: Party; amount: MoneyValue }[];
}

export interface RefundPreview {
  amount: MoneyValue;
  clientFee: MoneyValue;
  supplierFee: MoneyValue;
  /** amount + the client fee reversed. */
  clientGetsBack: MoneyValue;
  /** amount − the supplier fee reversed. */
  supplierGivesBack: MoneyValue;
  /** Shares reversed by this refund; shares of zero are left out, as the API does. */
  partnerShares: { partner: Party; referred: Party; amount: MoneyValue }[];
  /** What the hub's net falls by: both fees reversed less the shares reversed. */
  hubNetFalls: MoneyValue;
  /** Refunded in all once this refund is made, and what would then remain of the price. */
  refundedAfter: MoneyValue;
  remainingAfter: MoneyValue;
}

export type RefundCheck = { ok: true; preview: RefundPreview } | { ok: false; problem: string };

const AMOUNT = /^\d+(?:\.(\d+))?$/;

/** round_half_up(leg × refunded / price); every operand is non-negative. */
function reversedSoFar(leg: bigint, refunded: bigint, price: bigint): bigint {
  return (2n * leg * refunded + price) / (2n * price);
}

/** Minor units of an API amount at the currency's scale (the API writes every amount with the currency's minor digits). */
function minorAt(amount: string, decimals: number): bigint {
  const { minor, decimals: d } = toMinor(amount);
  return minor * 10n ** BigInt(decimals - d);
}

/**
 * Checks a typed refund amount against what remains of the price and, when it
 * fits, previews every leg it reverses. `refundedBefore` is Order.refundedAmount.
 */
export function previewRefund(fees: RefundableFees, refundedBefore: MoneyValue, typed: string): RefundCheck {
  const currency = fees.price.currency;
  const decimals = toMinor(fees.price.amount).decimals;
  const price = minorAt(fees.price.amount, decimals);
  const before = minorAt(refundedBefore.amount, decimals);
  const remaining = price - before;
  const money = (minor: bigint): MoneyValue => ({ amount: fromMinor(minor, decimals), currency });

  const text = typed.trim();
  const m = AMOUNT.exec(text);
  if (!m) return { ok: false, problem: `The refund must be an amount such as ${fromMinor(remaining, decimals)} (digits and an optional decimal point).` };
  const places = m[1]?.length ?? 0;
  if (places > decimals) return { ok: false, problem: `The refund has more than ${decimals} decimal places, the most ${currency} allows.` };
  const amount = minorAt(text, decimals);
  if (amount <= 0n) return { ok: false, problem: 'The refund must be more than zero.' };
  if (amount > remaining) {
    return { ok: false, problem: `The refund must be at most ${fromMinor(remaining, decimals)} ${currency}, what remains of the price.` };
  }

  const after = before + amount;
  const delta = (leg: MoneyValue) => {
    const l = minorAt(leg.amount, decimals);
    return reversedSoFar(l, after, price) - reversedSoFar(l, before, price);
  };
  const clientFee = delta(fees.clientFee);
  const supplierFee = delta(fees.supplierFee);
  const shares = fees.partnerShares.map((s) => ({ partner: s.partner, referred: s.referred, minor: delta(s.amount) })).filter((s) => s.minor !== 0n);
  const sharesTotal = shares.reduce((sum, s) => sum + s.minor, 0n);
  return {
    ok: true,
    preview: {
      amount: money(amount),
      clientFee: money(clientFee),
      supplierFee: money(supplierFee),
      clientGetsBack: money(amount + clientFee),
      supplierGivesBack: money(amount - supplierFee),
      partnerShares: shares.map((s) => ({ partner: s.partner, referred: s.referred, amount: money(s.minor) })),
      hubNetFalls: money(clientFee + supplierFee - sharesTotal),
      refundedAfter: money(after),
      remainingAfter: money(price - after),
    },
  };
}
