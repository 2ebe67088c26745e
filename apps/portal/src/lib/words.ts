/*
 * Plain words for the API's codes. The contract says new enum values and
 * reason codes will come: anything unknown is shown as it is, never an error.
 */

const STATUS: Record<string, string> = {
  ROUTING: 'Finding a supplier',
  OFFERED: 'Offered',
  ACCEPTED: 'Accepted',
  FULFILLED: 'Fulfilled',
  PARTIALLY_REFUNDED: 'Partly refunded',
  DISPUTED: 'Disputed',
  REFUNDED: 'Refunded',
  CANCELLED: 'Cancelled',
  UNROUTABLE: 'No supplier found',
};

const REASON: Record<string, string> = {
  DECLINED: 'declined this order',
  EXPIRED: 'let the offer expire',
  NOT_VETTED: 'not vetted',
  CURRENCY: 'prices in another currency',
  REGION: 'does not serve the region',
  OVER_BUDGET: 'price over the budget',
  LEAD_TIME: 'cannot deliver in time',
  CAPACITY: 'fully booked that day',
  SELF: "the client's own order",
};

const EVENT: Record<string, string> = {
  placed: 'Placed',
  offered: 'Offered',
  declined: 'Declined',
  expired: 'Offer expired',
  withdrawn: 'Offer withdrawn',
  unroutable: 'No supplier left',
  accepted: 'Accepted',
  fulfilled: 'Fulfilled',
  cancelled: 'Cancelled',
  refunded: 'Refunded',
  partially_refunded: 'Partly refunded',
  disputed: 'Disputed',
  dispute_rejected: 'Dispute rejected',
};

const VETTING: Record<string, string> = {
  APPLIED: 'Applied',
  UNDER_REVIEW: 'Under review',
  VETTED: 'Vetted',
  SUSPENDED: 'Suspended',
  REVOKED: 'Revoked',
};

const ROLE: Record<string, string> = { CLIENT: 'Client', SUPPLIER: 'Supplier', PARTNER: 'Partner' };

export const ORDER_STATUSES = ['OFFERED', 'ACCEPTED', 'FULFILLED', 'ROUTING', 'UNROUTABLE', 'CANCELLED', 'DISPUTED', 'PARTIALLY_REFUNDED', 'REFUNDED'] as const;
export const VETTING_STATUSES = ['APPLIED', 'UNDER_REVIEW', 'VETTED', 'SUSPENDED', 'REVOKED'] as const;
export const ROLES = ['CLIENT', 'SUPPLIER', 'PARTNER'] as const;

export const statusWords = (s: string) => STATUS[s] ?? s;
export const reasonWords = (r: string | null | undefined) => (r ? (REASON[r] ?? r) : 'eligible');
export const eventWords = (e: string) => EVENT[e] ?? e;
export const vettingWords = (v: string | null | undefined) => (v ? (VETTING[v] ?? v) : '—');
export const roleWords = (r: string) => ROLE[r] ?? r;

/** Basis points as a percentage: 1000 -> "10 %", 1250 -> "12.5 %". */
export function bpsWords(bps: number): string {
  const whole = Math.trunc(bps / 100);
  const rest = Math.abs(bps % 100);
  return `${whole}${rest ? `.${String(rest).padStart(2, '0').replace(/0$/, '')}` : ''} %`;
}

/** A UTC instant in the reader's own zone, e.g. "22 Nov 2026, 14:05". */
export function dateTimeWords(iso: string | null | undefined): string {
  if (!iso) return '—';
  return new Date(iso).toLocaleString(undefined, { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' });
}

export function dateWords(iso: string | null | undefined): string {
  if (!iso) return '—';
  return new Date(iso).toLocaleDateString(undefined, { day: 'numeric', month: 'short', year: 'numeric' });
}

/** 0.123 -> "12.3 %"; null -> "—". */
export function ratioWords(r: number | null | undefined): string {
  return r === null || r === undefined ? '—' : `${(r * 100).toFixed(1).replace(/\.0$/, '')} %`;
}
