import { EntityManager } from 'typeorm';
import { DAY_SECONDS } from '@tandem/common';
import { MEMBER_BUSINESS_LINES, POSTING_LINES } from '@tandem/ledger';
import { selectRows } from '@tandem/persistence';

const WEEK_SECONDS = 7 * DAY_SECONDS;
/** The part of order o's price its refunds gave back so far: a partially refunded order's business counts at its net. */
const REFUNDED_OF_ORDER = `coalesce((SELECT sum(x.amount_minor) FROM order_refund_facts x WHERE x.order_id = o.id), 0)`;

/** A member as its measures need it (network's member_facts). */
export interface MeasuredMemberRow {
  id: string;
  roles: string[];
  vetting_status: string | null;
  joined_at: Date;
  referred_by_id: string | null;
  acquisition_baseline_minor: string | null;
}

/** Some members of one network and the window of their measures. */
export interface MeasureRange {
  networkId: string;
  ids: string[];
  from: Date;
  now: Date;
  currency: string;
}

/**
 * The SQL of health's measures, one statement per measure for a whole batch of
 * members. It reads only the owners' public read models (network's member_facts,
 * vetting_facts, capability_facts, fee_term_facts; routing's order_facts,
 * offer_facts; settlement's order_fee_facts, order_refund_facts; the ledger's
 * member_postings; disputes' feedback_facts, dispute_facts).
 */
export const HealthMeasuresRepository = {
  members(em: EntityManager, r: MeasureRange): Promise<MeasuredMemberRow[]> {
    return selectRows(
      em,
      `SELECT id, roles, vetting_status, joined_at, referred_by_id, acquisition_baseline_minor::text AS acquisition_baseline_minor
         FROM member_facts WHERE network_id = $1 AND id = ANY($2::uuid[])`,
      [r.networkId, r.ids],
    );
  },

  offers(em: EntityManager, r: MeasureRange): Promise<{ supplier_id: string; status: string; n: number }[]> {
    return selectRows(
      em,
      `SELECT supplier_id, status, count(*)::int AS n FROM offer_facts
        WHERE supplier_id = ANY($1::uuid[]) AND offered_at >= $2 AND offered_at <= $3
        GROUP BY supplier_id, status`,
      [r.ids, r.from, r.now],
    );
  },

  supplierOrders(em: EntityManager, r: MeasureRange): Promise<{ supplier_id: string; fulfilled: number; on_time: number; refunded: number }[]> {
    return selectRows(
      em,
      `SELECT supplier_id, count(*)::int AS fulfilled,
              count(*) FILTER (WHERE fulfilled_at <= deliver_by)::int AS on_time,
              count(*) FILTER (WHERE refunded_at IS NOT NULL)::int AS refunded
         FROM order_facts
        WHERE supplier_id = ANY($1::uuid[]) AND fulfilled_at >= $2 AND fulfilled_at <= $3
        GROUP BY supplier_id`,
      [r.ids, r.from, r.now],
    );
  },

  overdue(em: EntityManager, r: MeasureRange): Promise<{ supplier_id: string; n: number }[]> {
    return selectRows(
      em,
      `SELECT supplier_id, count(*)::int AS n FROM order_facts
        WHERE supplier_id = ANY($1::uuid[]) AND accepted_at >= $2 AND accepted_at <= $3
          AND fulfilled_at IS NULL AND cancelled_at IS NULL AND status = 'ACCEPTED' AND deliver_by < $3
        GROUP BY supplier_id`,
      [r.ids, r.from, r.now],
    );
  },

  clientOrders(em: EntityManager, r: MeasureRange): Promise<{ client_id: string; placed: number; cancelled: number }[]> {
    return selectRows(
      em,
      `SELECT client_id, count(*)::int AS placed, count(*) FILTER (WHERE cancelled_at IS NOT NULL OR status = 'CANCELLED')::int AS cancelled
         FROM order_facts WHERE client_id = ANY($1::uuid[]) AND created_at >= $2 AND created_at <= $3
        GROUP BY client_id`,
      [r.ids, r.from, r.now],
    );
  },

  activity(em: EntityManager, r: MeasureRange): Promise<{ member_id: string; weeks: number; categories: string[] | null }[]> {
    return selectRows(
      em,
      `WITH acts AS (
         SELECT client_id AS member_id, created_at AS at, category FROM order_facts
          WHERE client_id = ANY($1::uuid[]) AND created_at >= $2 AND created_at <= $3
         UNION ALL
         SELECT supplier_id, accepted_at, category FROM order_facts
          WHERE supplier_id = ANY($1::uuid[]) AND accepted_at >= $2 AND accepted_at <= $3
         UNION ALL
         SELECT p.member_id, p.created_at, NULL FROM member_postings p
          WHERE p.member_id = ANY($1::uuid[]) AND p.network_id = $4 AND p.line = $5
            AND p.created_at >= $2 AND p.created_at <= $3
       )
       SELECT member_id,
              count(DISTINCT floor(extract(epoch FROM ($3::timestamptz - at)) / ${WEEK_SECONDS}))::int AS weeks,
              array_agg(DISTINCT category) FILTER (WHERE category IS NOT NULL) AS categories
         FROM acts GROUP BY member_id`,
      [r.ids, r.from, r.now, r.networkId, POSTING_LINES.partnerShare],
    );
  },

  capabilities(em: EntityManager, r: MeasureRange): Promise<{ supplier_id: string; category: string }[]> {
    return selectRows(em, `SELECT supplier_id, category FROM capability_facts WHERE supplier_id = ANY($1::uuid[])`, [r.ids]);
  },

  money(em: EntityManager, r: MeasureRange): Promise<{ member_id: string; line: string; total: string; n: number }[]> {
    return selectRows(
      em,
      `SELECT p.member_id, p.line, sum(p.amount_minor)::text AS total, count(*)::int AS n
         FROM member_postings p
        WHERE p.member_id = ANY($1::uuid[]) AND p.network_id = $4 AND p.currency = $5
          AND p.created_at >= $2 AND p.created_at <= $3 AND p.line = ANY($6::text[])
        GROUP BY p.member_id, p.line`,
      [r.ids, r.from, r.now, r.networkId, r.currency, MEMBER_BUSINESS_LINES],
    );
  },

  /**
   * Shares paid out of the member's own fees: the full share of its side for each
   * fulfilment fee posting in the window, less what each refund posted in the
   * window reversed of it (order_refund_facts, by its entry's time). A refund
   * posting of an order with no refund recorded (written before refunds were
   * counted one by one) reverses the whole share.
   */
  sharesOnMemberFees(em: EntityManager, r: MeasureRange): Promise<{ member_id: string; total: string }[]> {
    return selectRows(
      em,
      `SELECT member_id, sum(share)::text AS total FROM (
         SELECT p.member_id, sign(p.amount_minor) * CASE p.line WHEN $6 THEN f.client_share_minor ELSE f.supplier_share_minor END AS share
           FROM member_postings p
           JOIN order_fee_facts f ON f.order_id = p.order_id
          WHERE p.member_id = ANY($1::uuid[]) AND p.network_id = $4 AND p.currency = $5
            AND p.created_at >= $2 AND p.created_at <= $3
            AND ((p.line = $6 AND f.client_share_referred_id = p.member_id)
              OR (p.line = $7 AND f.supplier_share_referred_id = p.member_id))
            AND (p.amount_minor > 0 OR NOT EXISTS (SELECT 1 FROM order_refund_facts x WHERE x.order_id = p.order_id))
         UNION ALL
         SELECT f.client_share_referred_id, -x.client_share_minor
           FROM order_refund_facts x JOIN order_fee_facts f ON f.order_id = x.order_id
          WHERE f.client_share_referred_id = ANY($1::uuid[]) AND x.network_id = $4 AND x.currency = $5
            AND x.posted_at >= $2 AND x.posted_at <= $3 AND x.client_share_minor <> 0
         UNION ALL
         SELECT f.supplier_share_referred_id, -x.supplier_share_minor
           FROM order_refund_facts x JOIN order_fee_facts f ON f.order_id = x.order_id
          WHERE f.supplier_share_referred_id = ANY($1::uuid[]) AND x.network_id = $4 AND x.currency = $5
            AND x.posted_at >= $2 AND x.posted_at <= $3 AND x.supplier_share_minor <> 0
       ) s
       GROUP BY member_id`,
      [r.ids, r.from, r.now, r.networkId, r.currency, POSTING_LINES.clientFee, POSTING_LINES.supplierFee],
    );
  },

  /**
   * Ratings in the window: about the member (RECEIVED) and by the member of the
   * hub (HUB), each with count, sum and the newest three, newest first.
   */
  ratings(em: EntityManager, r: MeasureRange): Promise<{ member_id: string; kind: 'RECEIVED' | 'HUB'; n: number; total: number; latest: number[] }[]> {
    return selectRows(
      em,
      `SELECT member_id, kind, count(*)::int AS n, sum(rating)::int AS total,
              (array_agg(rating ORDER BY created_at DESC, id DESC))[1:3] AS latest
         FROM (
           SELECT subject_member_id AS member_id, 'RECEIVED' AS kind, rating, created_at, id FROM feedback_facts
            WHERE subject_member_id = ANY($1::uuid[]) AND network_id = $4 AND created_at >= $2 AND created_at <= $3
           UNION ALL
           SELECT author_id, 'HUB', rating, created_at, id FROM feedback_facts
            WHERE author_id = ANY($1::uuid[]) AND network_id = $4 AND subject = 'HUB' AND created_at >= $2 AND created_at <= $3
         ) x
        GROUP BY member_id, kind`,
      [r.ids, r.from, r.now, r.networkId],
    );
  },

  /** Disputes opened in the window on orders where the member is the client or the supplier. */
  disputes(em: EntityManager, r: MeasureRange): Promise<{ member_id: string; n: number }[]> {
    return selectRows(
      em,
      `SELECT m.id AS member_id, count(*)::int AS n
         FROM dispute_facts d
         JOIN order_facts o ON o.id = d.order_id
         JOIN unnest($1::uuid[]) AS m(id) ON m.id = o.client_id OR m.id = o.supplier_id
        WHERE d.network_id = $4 AND d.created_at >= $2 AND d.created_at <= $3
        GROUP BY m.id`,
      [r.ids, r.from, r.now, r.networkId],
    );
  },

  setbacks(em: EntityManager, r: MeasureRange): Promise<{ member_id: string; n: number }[]> {
    return selectRows(
      em,
      `SELECT member_id, count(*)::int AS n FROM vetting_facts
        WHERE member_id = ANY($1::uuid[]) AND to_status IN ('SUSPENDED', 'REVOKED') AND created_at >= $2 AND created_at <= $3
        GROUP BY member_id`,
      [r.ids, r.from, r.now],
    );
  },

  feeChanges(em: EntityManager, r: MeasureRange): Promise<{ member_id: string | null; terms: Record<string, unknown>; effective_at: Date }[]> {
    return selectRows(
      em,
      `SELECT member_id, terms, effective_at FROM fee_term_facts
        WHERE network_id = $1 AND (member_id IS NULL OR member_id = ANY($2::uuid[]))
        ORDER BY effective_at, id`,
      [r.networkId, r.ids],
    );
  },

  categoryBusiness(em: EntityManager, r: MeasureRange): Promise<{ member_id: string; role: 'CLIENT' | 'SUPPLIER'; category: string; price: string }[]> {
    return selectRows(
      em,
      `SELECT o.supplier_id AS member_id, 'SUPPLIER' AS role, o.category, sum(f.price_minor - ${REFUNDED_OF_ORDER})::text AS price
         FROM order_facts o JOIN order_fee_facts f ON f.order_id = o.id
        WHERE o.supplier_id = ANY($1::uuid[]) AND o.fulfilled_at >= $2 AND o.fulfilled_at <= $3
          AND o.refunded_at IS NULL AND o.currency = $4
        GROUP BY o.supplier_id, o.category
       UNION ALL
       SELECT o.client_id, 'CLIENT', o.category, sum(f.price_minor - ${REFUNDED_OF_ORDER})::text
         FROM order_facts o JOIN order_fee_facts f ON f.order_id = o.id
        WHERE o.client_id = ANY($1::uuid[]) AND o.created_at >= $2 AND o.created_at <= $3
          AND o.fulfilled_at >= $2 AND o.fulfilled_at <= $3 AND o.refunded_at IS NULL AND o.currency = $4
        GROUP BY o.client_id, o.category`,
      [r.ids, r.from, r.now, r.currency],
    );
  },
};
