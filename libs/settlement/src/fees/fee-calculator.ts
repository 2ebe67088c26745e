import { Role } from '@tandem/common';
import { bpsOf } from '@tandem/money';

/** A partner who referred one side of an order, with its terms in force at acceptance. */
export interface ReferrerTerms {
  partnerId: string;
  referredId: string;
  partnerShareBps: number;
  partnerShareMonths: number;
  /** When the referred member joined: the share is paid for partnerShareMonths calendar months after. */
  referredJoinedAt: Date;
}

export interface FeeInput {
  price: bigint;
  currency: string;
  clientFeeBps: number;
  supplierFeeBps: number;
  clientReferrer?: ReferrerTerms | null;
  supplierReferrer?: ReferrerTerms | null;
  acceptedAt: Date;
}

/** The side of an order a partner's share is earned on: the member it referred was its client or its supplier. */
export type ShareSide = Extract<Role, 'CLIENT' | 'SUPPLIER'>;

export interface PartnerShareLine {
  partnerId: string;
  referredId: string;
  side: ShareSide;
  bps: number;
  amount: bigint;
}

/** The money of one order, fixed when the supplier accepts. All amounts in minor units. */
export interface FeeBreakdown {
  currency: string;
  price: bigint;
  clientFeeBps: number;
  supplierFeeBps: number;
  clientFee: bigint;
  supplierFee: bigint;
  clientPays: bigint;
  supplierReceives: bigint;
  /** The client side's share first; shares of zero are left out. */
  partnerShares: PartnerShareLine[];
  hubNet: bigint;
}

/** Adds calendar months in UTC, clamping to the month's last day (Jan 31 + 1 month = Feb 28/29). */
export function addCalendarMonths(date: Date, months: number): Date {
  const d = new Date(date.getTime());
  const day = d.getUTCDate();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() + months);
  const lastDay = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
  d.setUTCDate(Math.min(day, lastDay));
  return d;
}

/** A share is paid while the order is accepted within partnerShareMonths of the referred member's joining (0: never). */
export function shareApplies(referrer: ReferrerTerms, acceptedAt: Date): boolean {
  if (referrer.partnerShareMonths <= 0) return false;
  return acceptedAt.getTime() < addCalendarMonths(referrer.referredJoinedAt, referrer.partnerShareMonths).getTime();
}

/**
 * docs/api.md, "Fees and shares": each fee rounded half up on its own, each
 * share rounded half up from its rounded fee, the hub's net is what remains.
 */
export function computeFees(input: FeeInput): FeeBreakdown {
  const clientFee = bpsOf(input.price, input.clientFeeBps);
  const supplierFee = bpsOf(input.price, input.supplierFeeBps);
  const shares: PartnerShareLine[] = [];
  const sides: [ShareSide, ReferrerTerms | null | undefined, bigint][] = [
    ['CLIENT', input.clientReferrer, clientFee],
    ['SUPPLIER', input.supplierReferrer, supplierFee],
  ];
  for (const [side, referrer, fee] of sides) {
    if (!referrer || !shareApplies(referrer, input.acceptedAt)) continue;
    const amount = bpsOf(fee, referrer.partnerShareBps);
    if (amount === 0n) continue;
    shares.push({ partnerId: referrer.partnerId, referredId: referrer.referredId, side, bps: referrer.partnerShareBps, amount });
  }
  const sharesTotal = shares.reduce((sum, s) => sum + s.amount, 0n);
  return {
    currency: input.currency,
    price: input.price,
    clientFeeBps: input.clientFeeBps,
    supplierFeeBps: input.supplierFeeBps,
    clientFee,
    supplierFee,
    clientPays: input.price + clientFee,
    supplierReceives: input.price - supplierFee,
    partnerShares: shares,
    hubNet: clientFee + supplierFee - sharesTotal,
  };
}

/** A breakdown as JSON (bigints as decimal strings, never numbers): the form orders.fees held before order_fees, and tests compare. */
export interface StoredFeeBreakdown {
  currency: string;
  price: string;
  clientFeeBps: number;
  supplierFeeBps: number;
  clientFee: string;
  supplierFee: string;
  clientPays: string;
  supplierReceives: string;
  partnerShares: { partnerId: string; referredId: string; side: ShareSide; bps: number; amount: string }[];
  hubNet: string;
}

export function storeFees(f: FeeBreakdown): StoredFeeBreakdown {
  return {
    currency: f.currency,
    price: f.price.toString(),
    clientFeeBps: f.clientFeeBps,
    supplierFeeBps: f.supplierFeeBps,
    clientFee: f.clientFee.toString(),
    supplierFee: f.supplierFee.toString(),
    clientPays: f.clientPays.toString(),
    supplierReceives: f.supplierReceives.toString(),
    partnerShares: f.partnerShares.map((s) => ({ ...s, amount: s.amount.toString() })),
    hubNet: f.hubNet.toString(),
  };
}

export function loadFees(s: StoredFeeBreakdown): FeeBreakdown {
  return {
    currency: s.currency,
    price: BigInt(s.price),
    clientFeeBps: s.clientFeeBps,
    supplierFeeBps: s.supplierFeeBps,
    clientFee: BigInt(s.clientFee),
    supplierFee: BigInt(s.supplierFee),
    clientPays: BigInt(s.clientPays),
    supplierReceives: BigInt(s.supplierReceives),
    partnerShares: s.partnerShares.map((p) => ({ ...p, amount: BigInt(p.amount) })),
    hubNet: BigInt(s.hubNet),
  };
}
