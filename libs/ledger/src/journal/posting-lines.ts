/**
 * The one vocabulary of posting line names: what each amount of a journal entry
 * is. Settlement writes them (libs/settlement/src/posting/order-lines.ts);
 * health and analytics read them back out of the ledger's member_postings view.
 * The ledger itself gives meaning only to CLOSE (closing entries).
 */
export const POSTING_LINES = {
  /** The client owes the price (debit of its receivable). */
  purchase: 'PURCHASE',
  /** The client owes the client fee. */
  clientFee: 'CLIENT_FEE',
  /** The hub owes the supplier the price (credit of its payable). */
  earned: 'EARNED',
  /** The supplier's fee, taken off what the hub owes it. */
  supplierFee: 'SUPPLIER_FEE',
  /** The hub owes a referring partner its share. */
  partnerShare: 'PARTNER_SHARE',
  feeRevenue: 'FEE_REVENUE',
  partnerShareExpense: 'PARTNER_SHARE_EXPENSE',
  /** The closing entry's posting on the member's settlement account. */
  statement: 'STATEMENT',
  payment: 'PAYMENT',
} as const;

export type PostingLineName = (typeof POSTING_LINES)[keyof typeof POSTING_LINES];

/** A member's business: the lines of an order on its own accounts (statements and payments are not business). */
export const MEMBER_BUSINESS_LINES: readonly PostingLineName[] = [
  POSTING_LINES.purchase,
  POSTING_LINES.clientFee,
  POSTING_LINES.earned,
  POSTING_LINES.supplierFee,
  POSTING_LINES.partnerShare,
];
