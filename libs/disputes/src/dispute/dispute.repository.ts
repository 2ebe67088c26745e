import { EntityManager } from 'typeorm';
import { execute, selectRow, selectRows } from '@tandem/persistence';

/** Disputes' table disputes: at most one per order. */
export interface DisputeRow {
  id: string;
  network_id: string;
  order_id: string;
  opened_by_id: string;
  reason: string;
  status: 'OPEN' | 'RESOLVED' | 'REJECTED';
  order_status_before: string;
  supplier_response: string | null;
  responded_at: Date | null;
  resolution: string | null;
  refund_minor: string | null;
  currency: string;
  created_at: Date;
  resolved_at: Date | null;
}

const COLUMNS = `id, network_id, order_id, opened_by_id, reason, status, order_status_before, supplier_response, responded_at,
  resolution, refund_minor::text, currency, created_at, resolved_at`;

export const DisputeRepository = {
  /** Inserts the order's dispute, or nothing when it already has one (undefined). */
  async insertOnce(
    em: EntityManager,
    d: Pick<DisputeRow, 'id' | 'network_id' | 'order_id' | 'opened_by_id' | 'reason' | 'order_status_before' | 'currency'>,
  ): Promise<DisputeRow | undefined> {
    return selectRow<DisputeRow>(
      em,
      `INSERT INTO disputes (id, network_id, order_id, opened_by_id, reason, status, order_status_before, currency)
       VALUES ($1, $2, $3, $4, $5, 'OPEN', $6, $7)
       ON CONFLICT (order_id) DO NOTHING
       RETURNING ${COLUMNS}`,
      [d.id, d.network_id, d.order_id, d.opened_by_id, d.reason, d.order_status_before, d.currency],
    );
  },

  byId(em: EntityManager, id: string, lock = false): Promise<DisputeRow | undefined> {
    return selectRow<DisputeRow>(em, `SELECT ${COLUMNS} FROM disputes WHERE id = $1${lock ? ' FOR UPDATE' : ''}`, [id]);
  },

  async existsForOrder(em: EntityManager, orderId: string): Promise<boolean> {
    return (await selectRows(em, `SELECT 1 FROM disputes WHERE order_id = $1`, [orderId])).length > 0;
  },

  ofOrders(em: EntityManager, orderIds: readonly string[]): Promise<DisputeRow[]> {
    if (orderIds.length === 0) return Promise.resolve([]);
    return selectRows<DisputeRow>(em, `SELECT ${COLUMNS} FROM disputes WHERE order_id = ANY($1::uuid[])`, [[...new Set(orderIds)]]);
  },

  /** The supplier's answer, once, while the dispute is OPEN; false when it was not OPEN or already answered. */
  async respond(em: EntityManager, id: string, response: string): Promise<boolean> {
    return (
      (await execute(
        em,
        `UPDATE disputes SET supplier_response = $2, responded_at = clock_timestamp()
          WHERE id = $1 AND status = 'OPEN' AND supplier_response IS NULL`,
        [id, response],
      )) === 1
    );
  },

  /** The operator's decision, while the dispute is OPEN; false when it was not. */
  async close(
    em: EntityManager,
    id: string,
    end: { status: 'RESOLVED' | 'REJECTED'; resolution: string | null; refundMinor: bigint | null },
  ): Promise<boolean> {
    return (
      (await execute(
        em,
        `UPDATE disputes SET status = $2, resolution = $3, refund_minor = $4, resolved_at = clock_timestamp()
          WHERE id = $1 AND status = 'OPEN'`,
        [id, end.status, end.resolution, end.refundMinor === null ? null : end.refundMinor.toString()],
      )) === 1
    );
  },
};
