import { memberAccountKind } from '@tandem/ledger';
import { ENTRY_KINDS, LINES } from '../posting/order-lines';

/** Open postings of one member account summed by line and entry kind (see LedgerClosingService.openActivity). */
export interface ActivityRow {
  accountCode: string;
  line: string;
  entryKind: string;
  amount: bigint;
  /** Distinct orders among the postings. */
  orders: number;
}

export interface StatementFigures {
  ordersAsClient: number;
  ordersAsSupplier: number;
  purchases: bigint;
  clientFees: bigint;
  earnedBusiness: bigint;
  supplierFees: bigint;
  partnerShares: bigint;
  /** earnedBusiness - supplierFees + partnerShares - purchases - clientFees: positive, the hub pays. */
  net: bigint;
}

/**
 * One member's statement in one currency from its open activity (receivable and
 * payable). Reversals carry the same lines negated, so every figure is net of
 * refunds; the order counts are of fulfilments closed here (a refund does not
 * uncount an order).
 */
export function statementFigures(rows: readonly ActivityRow[]): StatementFigures {
  const f = { purchases: 0n, clientFees: 0n, earnedBusiness: 0n, supplierFees: 0n, partnerShares: 0n, ordersAsClient: 0, ordersAsSupplier: 0 };
  let total = 0n;
  for (const r of rows) {
    const kind = memberAccountKind(r.accountCode);
    const fulfilment = r.entryKind === ENTRY_KINDS.fulfilment;
    total += r.amount;
    if (kind === 'receivable' && r.line === LINES.purchase) {
      f.purchases += r.amount;
      if (fulfilment) f.ordersAsClient += r.orders;
    } else if (kind === 'receivable' && r.line === LINES.clientFee) {
      f.clientFees += r.amount;
    } else if (kind === 'payable' && r.line === LINES.earned) {
      f.earnedBusiness -= r.amount;
      if (fulfilment) f.ordersAsSupplier += r.orders;
    } else if (kind === 'payable' && r.line === LINES.supplierFee) {
      f.supplierFees += r.amount;
    } else if (kind === 'payable' && r.line === LINES.partnerShare) {
      f.partnerShares -= r.amount;
    } else {
      // The statement's figures must account for every amount it closes.
      throw new Error(`posting ${r.line} on ${r.accountCode} has no place on a statement`);
    }
  }
  const net = f.earnedBusiness - f.supplierFees + f.partnerShares - f.purchases - f.clientFees;
  if (net !== -total) throw new Error(`statement figures (${net}) disagree with the postings (${-total})`);
  return { ...f, net };
}
