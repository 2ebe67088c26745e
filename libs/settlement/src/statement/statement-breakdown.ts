import { memberAccountKind } from '@tandem/ledger';
import { ENTRY_KINDS, LINES } from '../posting/order-lines';

/** The fields of an open posting a statement is computed from. */
export interface ClosablePosting {
  accountCode: string;
  amount: bigint;
  line: string;
  orderId: string | null;
  entryKind: string;
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
 * One member's statement in one currency from its open postings (receivable and
 * payable). Reversals carry the same lines negated, so every figure is net of
 * refunds; the order counts are of fulfilments closed here, refunds not deducted.
 */
export function statementFigures(postings: readonly ClosablePosting[]): StatementFigures {
  const f = { purchases: 0n, clientFees: 0n, earnedBusiness: 0n, supplierFees: 0n, partnerShares: 0n };
  const asClient = new Set<string>();
  const asSupplier = new Set<string>();
  let total = 0n;
  for (const p of postings) {
    const kind = memberAccountKind(p.accountCode);
    // Orders are counted by their fulfilment postings; a refund does not uncount them.
    const fulfilledOrder = p.entryKind === ENTRY_KINDS.fulfilment ? p.orderId : null;
    total += p.amount;
    if (kind === 'receivable' && p.line === LINES.purchase) {
      f.purchases += p.amount;
      if (fulfilledOrder) asClient.add(fulfilledOrder);
    } else if (kind === 'receivable' && p.line === LINES.clientFee) {
      f.clientFees += p.amount;
    } else if (kind === 'payable' && p.line === LINES.earned) {
      f.earnedBusiness -= p.amount;
      if (fulfilledOrder) asSupplier.add(fulfilledOrder);
    } else if (kind === 'payable' && p.line === LINES.supplierFee) {
      f.supplierFees += p.amount;
    } else if (kind === 'payable' && p.line === LINES.partnerShare) {
      f.partnerShares -= p.amount;
    } else {
      // The statement's figures must account for every amount it closes.
      throw new Error(`posting ${p.line} on ${p.accountCode} has no place on a statement`);
    }
  }
  const net = f.earnedBusiness - f.supplierFees + f.partnerShares - f.purchases - f.clientFees;
  if (net !== -total) throw new Error(`statement figures (${net}) disagree with the postings (${-total})`);
  return { ...f, net, ordersAsClient: asClient.size, ordersAsSupplier: asSupplier.size };
}
