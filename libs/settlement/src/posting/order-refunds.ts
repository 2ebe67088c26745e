import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { badInput } from '@tandem/common';
import { formatAmount } from '@tandem/money';
import { FeeBreakdown, PartnerShareLine } from '../fees/fee-calculator';
import { orderFeesOf } from '../fees/order-fees.repository';
import { refundLegs } from '../fees/refund-legs';
import { refundKey } from './order-lines';
import { RefundRepository, RefundRow } from './refund.repository';

/** One refund of an order: the part of the price it gave back and what each leg reversed. */
export interface OrderRefund {
  id: string;
  orderId: string;
  /** 1 for the order's first refund, 2 for the next, ... (its entry key is order:<id>:refund:<seq>). */
  seq: number;
  amount: bigint;
  currency: string;
  /** What this refund gave back, as a breakdown (libs/settlement/src/fees/refund-legs.ts). */
  reversed: FeeBreakdown;
  reason: string | null;
  createdAt: Date;
}

/** A refund just recorded, with where the order now stands. */
export interface RecordedRefund extends OrderRefund {
  /** Every refund of the order so far, this one included. */
  refundedTotal: bigint;
  /** True when the refunds now add up to the price: the order is REFUNDED. */
  complete: boolean;
}

export interface RefundRequest {
  orderId: string;
  networkId: string;
  /** The part of the price to refund, in the order's currency; null refunds whatever remains. */
  amount: bigint | null;
  reason: string | null;
  /** The simulated clock's time (Clock.simulatedNow()); null or absent: the database's clock at the insert. */
  at?: Date | null;
}

/**
 * What a refund of `amount` (null: whatever remains) would reverse on every leg
 * of the order now: the same checks and the same rule as recordRefund, which
 * posts it, so a preview never differs from the refund it shows.
 * 0 < amount ≤ price − refunded so far, else BAD_USER_INPUT.
 */
export async function planRefund(
  em: EntityManager,
  orderId: string,
  requested: bigint | null,
): Promise<{ fees: FeeBreakdown; before: { refunded: bigint; count: number }; amount: bigint; legs: FeeBreakdown }> {
  const fees = (await orderFeesOf(em, [orderId])).get(orderId);
  if (!fees) throw badInput('this order has no fee breakdown to refund', 'orderId');
  const before = await RefundRepository.totals(em, orderId);
  const remaining = fees.price - before.refunded;
  const amount = requested ?? remaining;
  if (remaining <= 0n) throw badInput('this order has been refunded in full', 'orderId');
  if (amount <= 0n) throw badInput('the amount must be greater than zero', 'amount');
  if (amount > remaining) {
    throw badInput(`the amount is above what remains to refund, ${formatAmount(remaining, fees.currency)} ${fees.currency}`, 'amount');
  }
  return { fees, before, amount, legs: refundLegs(fees, before.refunded, amount) };
}

/**
 * Records one refund of an order, inside the caller's transaction (routing's
 * refund, or the resolution of a dispute), which holds the order row locked:
 * concurrent refunds of one order are serialized there, so they never give back
 * more than the price. The checks are planRefund's. The entry is posted
 * afterwards by the 'post-refund' job.
 */
export async function recordRefund(em: EntityManager, request: RefundRequest): Promise<RecordedRefund> {
  const { fees, before, amount, legs } = await planRefund(em, request.orderId, request.amount);
  const seq = before.count + 1;
  const share = (side: PartnerShareLine['side']) => (legs.partnerShares.find((s) => s.side === side)?.amount ?? 0n).toString();
  const row = await RefundRepository.insert(em, {
    id: randomUUID(),
    order_id: request.orderId,
    network_id: request.networkId,
    seq,
    currency: fees.currency,
    amount_minor: amount.toString(),
    client_fee_minor: legs.clientFee.toString(),
    supplier_fee_minor: legs.supplierFee.toString(),
    client_share_minor: share('CLIENT'),
    supplier_share_minor: share('SUPPLIER'),
    reason: request.reason,
    entry_key: refundKey(request.orderId, seq),
    at: request.at ?? null,
  });
  const refundedTotal = before.refunded + amount;
  return { ...toRefund(row, fees), refundedTotal, complete: refundedTotal === fees.price };
}

/** The refunds of these orders, each order's oldest first (an order without any maps to []). One query for the refunds, one for the breakdowns. */
export async function refundsOf(em: EntityManager, orderIds: readonly string[]): Promise<Map<string, OrderRefund[]>> {
  const rows = await RefundRepository.ofOrders(em, orderIds);
  const fees = await orderFeesOf(em, [...new Set(rows.map((r) => r.order_id))]);
  const out = new Map<string, OrderRefund[]>(orderIds.map((id) => [id, []]));
  for (const r of rows) {
    const f = fees.get(r.order_id);
    if (f) out.get(r.order_id)?.push(toRefund(r, f));
  }
  return out;
}

/** A stored refund as a breakdown: the amounts are the row's, the partners those the order's breakdown names. */
export function toRefund(r: RefundRow, fees: FeeBreakdown): OrderRefund {
  const amount = BigInt(r.amount_minor);
  const clientFee = BigInt(r.client_fee_minor);
  const supplierFee = BigInt(r.supplier_fee_minor);
  const byside = { CLIENT: BigInt(r.client_share_minor), SUPPLIER: BigInt(r.supplier_share_minor) };
  const partnerShares = fees.partnerShares.map((s) => ({ ...s, amount: byside[s.side] })).filter((s) => s.amount !== 0n);
  const sharesTotal = partnerShares.reduce((sum, s) => sum + s.amount, 0n);
  return {
    id: r.id,
    orderId: r.order_id,
    seq: r.seq,
    amount,
    currency: r.currency,
    reversed: {
      currency: r.currency,
      price: amount,
      clientFeeBps: fees.clientFeeBps,
      supplierFeeBps: fees.supplierFeeBps,
      clientFee,
      supplierFee,
      clientPays: amount + clientFee,
      supplierReceives: amount - supplierFee,
      partnerShares,
      hubNet: clientFee + supplierFee - sharesTotal,
    },
    reason: r.reason,
    createdAt: r.created_at,
  };
}
