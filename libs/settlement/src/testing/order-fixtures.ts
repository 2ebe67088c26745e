import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { FeeBreakdown, FeeInput, computeFees } from '../fees/fee-calculator';
import { freezeOrderFees } from '../fees/order-fees.repository';
import { recordRefund } from '../posting/order-refunds';

/**
 * Rows for settlement tests, written by SQL as the routing lib would leave them
 * (settlement reads orders by SQL and must not import routing). Test code only.
 */
export class OrderFixtures {
  constructor(private readonly ds: DataSource) {}

  async network(currency = 'USD'): Promise<string> {
    const id = randomUUID();
    await this.ds.query(
      `INSERT INTO networks (id, name, currency, client_fee_bps, supplier_fee_bps, partner_share_bps, partner_share_months, offer_timeout_seconds)
       VALUES ($1, 'Circles', $2, 1000, 500, 2000, 12, 900)`,
      [id, currency],
    );
    return id;
  }

  async member(networkId: string, roles: string[], opts: { name?: string; joinedAt?: Date; referredById?: string } = {}): Promise<string> {
    const id = randomUUID();
    await this.ds.query(
      `INSERT INTO members (id, network_id, name, roles, vetting_status, referred_by_id, joined_at)
       VALUES ($1, $2, $3, $4, $5, $6, coalesce($7, now()))`,
      [id, networkId, opts.name ?? roles.join('+'), roles, roles.includes('SUPPLIER') ? 'VETTED' : null, opts.referredById ?? null, opts.joinedAt ?? null],
    );
    return id;
  }

  /** An order in the given state with its frozen breakdown. */
  async order(
    networkId: string,
    clientId: string,
    supplierId: string,
    fees: FeeBreakdown,
    status: 'FULFILLED' | 'REFUNDED' | 'ACCEPTED' = 'FULFILLED',
  ): Promise<string> {
    const id = randomUUID();
    await this.ds.query(
      `INSERT INTO orders (id, network_id, client_id, category, region, quantity, deliver_by, budget_minor, currency, status,
                           supplier_id, price_minor, idempotency_key, input_fingerprint, accepted_at, fulfilled_at, refunded_at)
       VALUES ($1, $2, $3, 'gift-basket', 'NYC', 1, now() + interval '2 days', $4, $5, $6, $7, $4, $8, 'fp',
               now(), CASE WHEN $6 <> 'ACCEPTED' THEN now() END, CASE WHEN $6 = 'REFUNDED' THEN now() END)`,
      [id, networkId, clientId, fees.price.toString(), fees.currency, status, supplierId, `k-${id}`],
    );
    await freezeOrderFees(this.ds.manager, id, fees);
    if (status === 'REFUNDED') await this.refundRemainder(id);
    return id;
  }

  /** Records a refund of what remains of the order's price, as routing's refundOrder does (its entry is left to the posting job). */
  async refundRemainder(orderId: string): Promise<void> {
    const [{ network_id }] = await this.ds.query(`SELECT network_id FROM orders WHERE id = $1`, [orderId]);
    await recordRefund(this.ds.manager, { orderId, networkId: network_id, amount: null, reason: null });
  }

  /** Replaces an order's frozen breakdown, as an operator's repair of a broken one would; a full refund not posted yet is recorded again on it. */
  async replaceFees(orderId: string, fees: FeeBreakdown): Promise<void> {
    const [{ n }] = await this.ds.query(`SELECT count(*)::int AS n FROM order_refunds WHERE order_id = $1 AND posted_at IS NULL`, [orderId]);
    await this.ds.query(`DELETE FROM order_refunds WHERE order_id = $1 AND posted_at IS NULL`, [orderId]);
    await this.ds.query(`DELETE FROM order_fees WHERE order_id = $1`, [orderId]);
    await freezeOrderFees(this.ds.manager, orderId, fees);
    if (n > 0) await this.refundRemainder(orderId);
  }

  async setStatus(orderId: string, status: 'FULFILLED' | 'REFUNDED'): Promise<void> {
    await this.ds.query(`UPDATE orders SET status = $2, refunded_at = CASE WHEN $2 = 'REFUNDED' THEN now() END WHERE id = $1`, [orderId, status]);
    if (status === 'REFUNDED') await this.refundRemainder(orderId);
  }
}

/** computeFees with the network defaults (10 % client, 5 % supplier) unless overridden. */
export function fees(price: bigint, currency = 'USD', extra: Partial<FeeInput> = {}): FeeBreakdown {
  return computeFees({ price, currency, clientFeeBps: 1000, supplierFeeBps: 500, acceptedAt: new Date(), ...extra });
}

/** A referring partner within its share period (20 % for 12 months). */
export function referrer(partnerId: string, referredId: string) {
  return { partnerId, referredId, partnerShareBps: 2000, partnerShareMonths: 12, referredJoinedAt: new Date(Date.now() - 86_400_000) };
}
