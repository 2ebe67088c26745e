import { EntityManager } from 'typeorm';
import { execute, selectRow, selectRows } from '@tandem/persistence';

/**
 * Settlement's table order_refunds: every refund of an order, full or partial,
 * with what it reversed on each leg and the key of its own journal entry.
 * Written inside routing's refund transaction (on the locked order row), posted
 * by the 'post-refund' job; posted_at is its entry's time.
 */

export interface RefundRow {
  id: string;
  order_id: string;
  network_id: string;
  seq: number;
  currency: string;
  amount_minor: string;
  client_fee_minor: string;
  supplier_fee_minor: string;
  client_share_minor: string;
  supplier_share_minor: string;
  reason: string | null;
  entry_key: string;
  created_at: Date;
  posted_at: Date | null;
}

export type NewRefundRow = Omit<RefundRow, 'created_at' | 'posted_at'> & { at: Date | null };

const COLUMNS = `id, order_id, network_id, seq, currency, amount_minor::text, client_fee_minor::text, supplier_fee_minor::text,
  client_share_minor::text, supplier_share_minor::text, reason, entry_key, created_at, posted_at`;

export const RefundRepository = {
  /** How much of the order's price earlier refunds gave back, and how many there were. */
  async totals(em: EntityManager, orderId: string): Promise<{ refunded: bigint; count: number }> {
    const row = await selectRow<{ refunded: string; n: number }>(
      em,
      `SELECT coalesce(sum(amount_minor), 0)::text AS refunded, count(*)::int AS n FROM order_refunds WHERE order_id = $1`,
      [orderId],
    );
    return { refunded: BigInt(row?.refunded ?? '0'), count: row?.n ?? 0 };
  },

  async insert(em: EntityManager, r: NewRefundRow): Promise<RefundRow> {
    const [row] = await selectRows<RefundRow>(
      em,
      `INSERT INTO order_refunds (id, order_id, network_id, seq, currency, amount_minor, client_fee_minor, supplier_fee_minor,
                                  client_share_minor, supplier_share_minor, reason, entry_key, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, coalesce($13, clock_timestamp()))
       RETURNING ${COLUMNS}`,
      [
        r.id,
        r.order_id,
        r.network_id,
        r.seq,
        r.currency,
        r.amount_minor,
        r.client_fee_minor,
        r.supplier_fee_minor,
        r.client_share_minor,
        r.supplier_share_minor,
        r.reason,
        r.entry_key,
        r.at,
      ],
    );
    return row;
  },

  /** The refunds of these orders, each order's oldest first. */
  ofOrders(em: EntityManager, orderIds: readonly string[]): Promise<RefundRow[]> {
    if (orderIds.length === 0) return Promise.resolve([]);
    return selectRows<RefundRow>(em, `SELECT ${COLUMNS} FROM order_refunds WHERE order_id = ANY($1::uuid[]) ORDER BY order_id, seq`, [[...new Set(orderIds)]]);
  },

  /** The order's refunds not posted yet, oldest first. */
  unposted(em: EntityManager, orderId: string): Promise<RefundRow[]> {
    return selectRows<RefundRow>(em, `SELECT ${COLUMNS} FROM order_refunds WHERE order_id = $1 AND posted_at IS NULL ORDER BY seq`, [orderId]);
  },

  /** Records that the refund's entry exists, with the entry's own time (what health's window compares). */
  async markPosted(em: EntityManager, refundId: string, postedAt: Date): Promise<void> {
    await execute(em, `UPDATE order_refunds SET posted_at = $2 WHERE id = $1 AND posted_at IS NULL`, [refundId, postedAt]);
  },
};
