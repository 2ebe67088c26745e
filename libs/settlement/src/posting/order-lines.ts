import { HUB_ACCOUNTS, POSTING_LINES, PostingLine, payableAccount, receivableAccount } from '@tandem/ledger';
import { FeeBreakdown } from '../fees/fee-calculator';

/** Line names of order postings (the ledger's one vocabulary); statements are computed from them. */
export const LINES = POSTING_LINES;

/** Journal entry kinds written by settlement. */
export const ENTRY_KINDS = {
  fulfilment: 'ORDER_FULFILMENT',
  refund: 'ORDER_REFUND',
  statementClose: 'STATEMENT_CLOSE',
  statementPaid: 'STATEMENT_PAID',
} as const;

export const fulfilmentKey = (orderId: string) => `order:${orderId}:fulfil`;
/** The entry of an order's n-th refund (1, 2, ...). Orders refunded before refunds were counted keep order:<id>:refund (their row in order_refunds says so). */
export const refundKey = (orderId: string, seq: number) => `order:${orderId}:refund:${seq}`;
export const statementCloseKey = (statementId: string) => `statement:${statementId}:close`;
export const statementPaidKey = (statementId: string) => `statement:${statementId}:paid`;

export interface OrderParties {
  clientId: string;
  supplierId: string;
}

/**
 * A fulfilled order's frozen breakdown as one balanced entry (docs/api.md, "Fees and shares"):
 * the client owes price + client fee; the hub owes the supplier price - supplier
 * fee and each referring partner its share; the hub earns both fees and expenses
 * the shares. Zero amounts are left out.
 */
export function fulfilmentLines(parties: OrderParties, fees: FeeBreakdown): PostingLine[] {
  const { clientId, supplierId } = parties;
  const sharesTotal = fees.partnerShares.reduce((s, p) => s + p.amount, 0n);
  const lines: PostingLine[] = [
    { accountCode: receivableAccount(clientId), memberId: clientId, amount: fees.price, line: LINES.purchase },
    { accountCode: receivableAccount(clientId), memberId: clientId, amount: fees.clientFee, line: LINES.clientFee },
    { accountCode: payableAccount(supplierId), memberId: supplierId, amount: -fees.price, line: LINES.earned },
    { accountCode: payableAccount(supplierId), memberId: supplierId, amount: fees.supplierFee, line: LINES.supplierFee },
    ...fees.partnerShares.map((s) => ({
      accountCode: payableAccount(s.partnerId),
      memberId: s.partnerId,
      amount: -s.amount,
      line: LINES.partnerShare,
    })),
    { accountCode: HUB_ACCOUNTS.feeRevenue, amount: -(fees.clientFee + fees.supplierFee), line: LINES.feeRevenue },
    { accountCode: HUB_ACCOUNTS.partnerShareExpense, amount: sharesTotal, line: LINES.partnerShareExpense },
  ];
  return lines.filter((l) => l.amount !== 0n);
}

/**
 * One refund as one balanced entry: the lines of its reversed breakdown
 * (libs/settlement/src/fees/refund-legs.ts), each negated. So the refunds of an
 * order that add up to its price post, together, the exact reverse of its fulfilment.
 */
export function refundLines(parties: OrderParties, reversed: FeeBreakdown): PostingLine[] {
  return fulfilmentLines(parties, reversed).map((l) => ({ ...l, amount: -l.amount }));
}
