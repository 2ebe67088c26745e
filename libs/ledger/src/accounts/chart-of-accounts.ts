/**
 * The chart of accounts, one set per network and currency (see ../../README.md).
 * Amounts are signed: a debit is positive, a credit negative. Accounts owned by a
 * member carry its id as an opaque owner id; the ledger knows nothing else of it.
 */
export const HUB_ACCOUNTS = {
  /** Fees the hub charged (credit). */
  feeRevenue: 'hub:fee-revenue',
  /** Partner shares the hub gave away out of its fees (debit). */
  partnerShareExpense: 'hub:partner-share-expense',
  /** Money actually paid in or out when statements are settled. */
  cash: 'hub:cash',
} as const;

export type MemberAccountKind = 'receivable' | 'payable' | 'settlement';

/** What a member owes the hub as a client (debit balance). */
export const receivableAccount = (memberId: string) => memberAccount(memberId, 'receivable');
/** What the hub owes a member as supplier or partner (credit balance). */
export const payableAccount = (memberId: string) => memberAccount(memberId, 'payable');
/** Clearing: a statement moves the member's open position here until it is paid. */
export const settlementAccount = (memberId: string) => memberAccount(memberId, 'settlement');

export function memberAccount(memberId: string, kind: MemberAccountKind): string {
  return `member:${memberId}:${kind}`;
}

/** Accounts that a closing entry brings to zero: the member's open position. */
export const CLOSABLE_KINDS: readonly MemberAccountKind[] = ['receivable', 'payable'];

/** The kind of a member account code, or null for a hub account. */
export function memberAccountKind(code: string): MemberAccountKind | null {
  const m = /^member:[^:]+:(receivable|payable|settlement)$/.exec(code);
  return m ? (m[1] as MemberAccountKind) : null;
}

/**
 * The line name reserved for closing postings. A CLOSE posting brings its account
 * to exactly zero, so an account's open balance is the sum of its postings after
 * its latest CLOSE. Only LedgerClosingService writes it.
 */
export const CLOSE_LINE = 'CLOSE';
