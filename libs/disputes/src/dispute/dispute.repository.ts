import { EntityManager } from 'typeorm';
import { execute, selectRow, selectRows } from '@tandem/persistence';
import { DisputeCursor } from './dispute-cursor';

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

/** A row of the list, with the created_at it sorts on (to the millisecond), for its cursor. */
export interface DisputeListRow extends DisputeRow {
  created_ms: Date;
}

/** Who the disputes list is for: the network's operator (every dispute) or a member (those of its own orders). */
export interface DisputeListFilter {
  networkId: string;
  /** The member whose orders' disputes are listed, as client or as the supplier that accepted; null for the operator. */
  memberId: string | null;
  status: DisputeRow['status'] | null;
}

// The list sorts on created_at to the millisecond, exactly what a cursor can hold; the id breaks ties.
const CREATED_MS = `date_trunc('milliseconds', d.created_at)`;
/** Open disputes first, oldest first (the queue to work through); then the others, newest first. */
const LIST_ORDER = `(d.status <> 'OPEN'),
  CASE WHEN d.status = 'OPEN' THEN ${CREATED_MS} END ASC, CASE WHEN d.status = 'OPEN' THEN d.id END ASC,
  ${CREATED_MS} DESC, d.id DESC`;
// A member's reach is its orders' parties, read through routing's public view.
const LIST_JOIN = `JOIN order_facts o ON o.id = d.order_id`;

const prefixed = (alias: string) =>
  COLUMNS.split(',')
    .map((c) => `${alias}.${c.trim()}`)
    .join(', ');

function listFilterSql(f: DisputeListFilter): { sql: string; params: unknown[] } {
  const params: unknown[] = [f.networkId];
  let sql = 'd.network_id = $1';
  if (f.memberId !== null) {
    params.push(f.memberId);
    const me = `$${params.length}::uuid`;
    sql += ` AND (o.client_id = ${me} OR (o.supplier_id = ${me} AND o.accepted_at IS NOT NULL))`;
  }
  if (f.status !== null) {
    params.push(f.status);
    sql += ` AND d.status = $${params.length}`;
  }
  return { sql, params };
}

export const DisputeRepository = {
  /** Inserts the order's dispute, or nothing when it already has one (undefined). */
  async insertOnce(
    em: EntityManager,
    d: Pick<DisputeRow, 'id' | 'network_id' | 'order_id' | 'opened_by_id' | 'reason' | 'order_status_before' | 'currency' | 'created_at'>,
  ): Promise<DisputeRow | undefined> {
    return selectRow<DisputeRow>(
      em,
      `INSERT INTO disputes (id, network_id, order_id, opened_by_id, reason, status, order_status_before, currency, created_at)
       VALUES ($1, $2, $3, $4, $5, 'OPEN', $6, $7, $8)
       ON CONFLICT (order_id) DO NOTHING
       RETURNING ${COLUMNS}`,
      [d.id, d.network_id, d.order_id, d.opened_by_id, d.reason, d.order_status_before, d.currency, d.created_at],
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

  /** A page of the disputes list (LIST_ORDER) after the position, limit rows, each with the created_at it sorts on for its cursor. */
  page(em: EntityManager, f: DisputeListFilter, after: DisputeCursor | null, limit: number): Promise<DisputeListRow[]> {
    const { sql, params } = listFilterSql(f);
    let where = sql;
    if (after) {
      params.push(after.createdAt, after.id);
      const at = `($${params.length - 1}::timestamptz, $${params.length}::uuid)`;
      // Past an open row: the later open rows, then every closed one; past a closed row: the older closed rows.
      where += after.open ? ` AND (d.status <> 'OPEN' OR (${CREATED_MS}, d.id) > ${at})` : ` AND d.status <> 'OPEN' AND (${CREATED_MS}, d.id) < ${at}`;
    }
    params.push(limit);
    return selectRows<DisputeListRow>(
      em,
      `SELECT ${prefixed('d')}, ${CREATED_MS} AS created_ms FROM disputes d ${LIST_JOIN} WHERE ${where} ORDER BY ${LIST_ORDER} LIMIT $${params.length}`,
      params,
    );
  },

  async count(em: EntityManager, f: DisputeListFilter): Promise<number> {
    const { sql, params } = listFilterSql(f);
    const row = await selectRow<{ n: string }>(em, `SELECT count(*)::text AS n FROM disputes d ${LIST_JOIN} WHERE ${sql}`, params);
    return Number(row?.n ?? 0);
  },

  /** The supplier's answer, once, while the dispute is OPEN; false when it was not OPEN or already answered. */
  async respond(em: EntityManager, id: string, response: string, at: Date): Promise<boolean> {
    return (
      (await execute(
        em,
        `UPDATE disputes SET supplier_response = $2, responded_at = $3
          WHERE id = $1 AND status = 'OPEN' AND supplier_response IS NULL`,
        [id, response, at],
      )) === 1
    );
  },

  /** The operator's decision, while the dispute is OPEN; false when it was not. */
  async close(
    em: EntityManager,
    id: string,
    end: { status: 'RESOLVED' | 'REJECTED'; resolution: string | null; refundMinor: bigint | null; at: Date },
  ): Promise<boolean> {
    return (
      (await execute(
        em,
        `UPDATE disputes SET status = $2, resolution = $3, refund_minor = $4, resolved_at = $5
          WHERE id = $1 AND status = 'OPEN'`,
        [id, end.status, end.resolution, end.refundMinor === null ? null : end.refundMinor.toString(), end.at],
      )) === 1
    );
  },
};
