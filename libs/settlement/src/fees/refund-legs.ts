import { FeeBreakdown, PartnerShareLine } from './fee-calculator';

/**
 * What one refund of an order reverses on each leg of its frozen breakdown
 * (libs/settlement/README.md, "Partial refunds"): each leg L is reversed on the cumulative
 * refunded amount R of the price P, round_half_up(L × R / P) so far, and this
 * refund reverses the difference from what the earlier ones reversed. The
 * price leg reverses exactly the amount. Refunds that add up to P reverse
 * every leg exactly, so the legs of all refunds sum to the breakdown itself.
 *
 * The result is a FeeBreakdown of the refund: price = the amount, clientPays =
 * what the client gets back, supplierReceives = what the supplier gives back,
 * partner shares of zero left out, hubNet = what the hub's net falls by.
 */
export function refundLegs(fees: FeeBreakdown, refundedBefore: bigint, amount: bigint): FeeBreakdown {
  const price = fees.price;
  if (amount <= 0n || refundedBefore < 0n || refundedBefore + amount > price) {
    throw new RangeError(`a refund of ${amount} after ${refundedBefore} does not fit in a price of ${price}`);
  }
  const after = refundedBefore + amount;
  const delta = (leg: bigint) => reversedSoFar(leg, after, price) - reversedSoFar(leg, refundedBefore, price);
  const clientFee = delta(fees.clientFee);
  const supplierFee = delta(fees.supplierFee);
  const partnerShares: PartnerShareLine[] = fees.partnerShares.map((s) => ({ ...s, amount: delta(s.amount) })).filter((s) => s.amount !== 0n);
  const sharesTotal = partnerShares.reduce((sum, s) => sum + s.amount, 0n);
  return {
    currency: fees.currency,
    price: amount,
    clientFeeBps: fees.clientFeeBps,
    supplierFeeBps: fees.supplierFeeBps,
    clientFee,
    supplierFee,
    clientPays: amount + clientFee,
    supplierReceives: amount - supplierFee,
    partnerShares,
    hubNet: clientFee + supplierFee - sharesTotal,
  };
}

/** round_half_up(leg × refunded / price) in minor units; every operand is non-negative. */
function reversedSoFar(leg: bigint, refunded: bigint, price: bigint): bigint {
  return (2n * leg * refunded + price) / (2n * price);
}
