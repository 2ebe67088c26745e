import { EntityManager } from 'typeorm';
import { execute, selectRows } from '@tandem/persistence';
import { FeeBreakdown, PartnerShareLine, ShareSide } from './fee-calculator';

/**
 * Settlement's table order_fees: the fee breakdown frozen on an order when its
 * supplier accepts, one row per order. Every amount is a bigint column; a side
 * has at most one partner share (computeFees), so each side has its own typed
 * columns. clientPays, supplierReceives and hubNet follow from the rest and
 * are derived here, never stored, so a row cannot disagree with itself.
 */

interface OrderFeesRow {
  order_id: string;
  currency: string;
  price_minor: string;
  client_fee_bps: number;
  supplier_fee_bps: number;
  client_fee_minor: string;
  supplier_fee_minor: string;
  client_share_partner_id: string | null;
  client_share_referred_id: string | null;
  client_share_bps: number | null;
  client_share_minor: string | null;
  supplier_share_partner_id: string | null;
  supplier_share_referred_id: string | null;
  supplier_share_bps: number | null;
  supplier_share_minor: string | null;
}

const COLUMNS = `order_id, currency, price_minor::text, client_fee_bps, supplier_fee_bps, client_fee_minor::text, supplier_fee_minor::text,
  client_share_partner_id, client_share_referred_id, client_share_bps, client_share_minor::text,
  supplier_share_partner_id, supplier_share_referred_id, supplier_share_bps, supplier_share_minor::text`;

/**
 * Freezes an order's breakdown, inside the caller's transaction (routing's
 * accept), so the acceptance and its fees commit together or not at all.
 */
export async function freezeOrderFees(em: EntityManager, orderId: string, fees: FeeBreakdown): Promise<void> {
  const share = (side: ShareSide) => fees.partnerShares.find((s) => s.side === side);
  const sideColumns = (s: PartnerShareLine | undefined) => [s?.partnerId ?? null, s?.referredId ?? null, s?.bps ?? null, s ? s.amount.toString() : null];
  await execute(
    em,
    `INSERT INTO order_fees (order_id, currency, price_minor, client_fee_bps, supplier_fee_bps, client_fee_minor, supplier_fee_minor,
                             client_share_partner_id, client_share_referred_id, client_share_bps, client_share_minor,
                             supplier_share_partner_id, supplier_share_referred_id, supplier_share_bps, supplier_share_minor)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`,
    [
      orderId,
      fees.currency,
      fees.price.toString(),
      fees.clientFeeBps,
      fees.supplierFeeBps,
      fees.clientFee.toString(),
      fees.supplierFee.toString(),
      ...sideColumns(share('CLIENT')),
      ...sideColumns(share('SUPPLIER')),
    ],
  );
}

/** The frozen breakdowns of these orders (orders not yet accepted have none). One query, whatever the number. */
export async function orderFeesOf(em: EntityManager, orderIds: readonly string[]): Promise<Map<string, FeeBreakdown>> {
  if (orderIds.length === 0) return new Map();
  const rows = await selectRows<OrderFeesRow>(em, `SELECT ${COLUMNS} FROM order_fees WHERE order_id = ANY($1::uuid[])`, [[...new Set(orderIds)]]);
  return new Map(rows.map((r) => [r.order_id, toBreakdown(r)]));
}

function toBreakdown(r: OrderFeesRow): FeeBreakdown {
  const price = BigInt(r.price_minor);
  const clientFee = BigInt(r.client_fee_minor);
  const supplierFee = BigInt(r.supplier_fee_minor);
  const partnerShares: PartnerShareLine[] = [];
  // The client side's share first, as computeFees lists them.
  const share = (side: PartnerShareLine['side'], partnerId: string | null, referredId: string | null, bps: number | null, minor: string | null) => {
    if (minor !== null)
      partnerShares.push({ partnerId: partnerId as string, referredId: referredId as string, side, bps: bps as number, amount: BigInt(minor) });
  };
  share('CLIENT', r.client_share_partner_id, r.client_share_referred_id, r.client_share_bps, r.client_share_minor);
  share('SUPPLIER', r.supplier_share_partner_id, r.supplier_share_referred_id, r.supplier_share_bps, r.supplier_share_minor);
  const sharesTotal = partnerShares.reduce((sum, s) => sum + s.amount, 0n);
  return {
    currency: r.currency,
    price,
    clientFeeBps: r.client_fee_bps,
    supplierFeeBps: r.supplier_fee_bps,
    clientFee,
    supplierFee,
    clientPays: price + clientFee,
    supplierReceives: price - supplierFee,
    partnerShares,
    hubNet: clientFee + supplierFee - sharesTotal,
  };
}
