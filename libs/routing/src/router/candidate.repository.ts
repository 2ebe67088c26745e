import { EntityManager } from 'typeorm';
import { selectRow, selectRows, selectRowsPrepared } from '@tandem/persistence';
import { ExclusionReason } from './exclusion-reason';

export interface CandidateSqlRow {
  supplier_id: string;
  name: string;
  capability_id: string;
  price_minor: string;
  reason: ExclusionReason | null;
}

export interface RecentOrdersSqlRow {
  supplier_id: string;
  recent_orders: string;
  /** The network's count for the category, the same on every row. */
  category_orders: string;
}

/** A shortlisted capability with routing's counts (RecentOrdersSqlRow). */
export type ShortlistSqlRow = CandidateSqlRow & Omit<RecentOrdersSqlRow, 'supplier_id'>;

/** What the fast path asks the index for: the order's eligibility rules as values. */
export interface EligibleQuery {
  orderId: string;
  networkId: string;
  clientId: string;
  category: string;
  currency: string;
  region: string;
  quantity: number;
  budgetMinor: bigint;
  deliverBy: Date;
  /** The UTC day capacity counts (YYYY-MM-DD). */
  day: string;
  now: Date;
  limit: number;
  /** assignOrder: this supplier only. */
  onlySupplierId?: string;
  /** Start of the window routing's counts (recent_orders, category_orders) look back over. */
  recentSince: Date;
}

/**
 * An order's rules without the order itself (its passed offers and its client):
 * every order of one shape gets the same static reasons, so one scan explains
 * them all. `maxLeadHours` is the largest lead time that still delivers in time
 * (a lead time L fits when now + L hours <= deliver_by, that is L <= this).
 */
export interface ExclusionShape {
  networkId: string;
  category: string;
  currency: string;
  region: string;
  maxUnitPriceMinor: bigint;
  maxLeadHours: number;
  day: string;
}

export interface ExcludedSqlRow {
  supplier_id: string;
  name: string;
  capability_id: string;
  reason: ExclusionReason;
}

export interface CandidateQuery {
  orderId: string;
  networkId: string;
  category: string;
  now: Date;
  /** Reason precedence, for the order of the excluded rows. */
  reasons: readonly ExclusionReason[];
  maxExcluded: number;
  shortlist: number;
}

/** The reasons an order's shape decides alone (ExclusionShape), in the precedence of `considered`, which adds DECLINED, EXPIRED and SELF. */
export const STATIC_REASONS_IN_ORDER = ['NOT_VETTED', 'CURRENCY', 'REGION', 'OVER_BUDGET', 'LEAD_TIME', 'CAPACITY'] as const;
type StaticReason = (typeof STATIC_REASONS_IN_ORDER)[number];

/**
 * Each reason's test, on a capability `c`, its member `m` and its capacity
 * counter of the day `u` (none: nothing used), with a shape's values ($1 to $7:
 * shapeParams). The one statement of routing's rule: the CASE below and the
 * explanation's lookups are both made of these.
 */
const STATIC_REASON_TEST: Record<StaticReason, string> = {
  NOT_VETTED: `m.vetting_status IS DISTINCT FROM 'VETTED'`,
  CURRENCY: `c.currency <> $3::bpchar`,
  REGION: `NOT ($4 = ANY (c.regions))`,
  OVER_BUDGET: `c.unit_price_minor > $5`,
  LEAD_TIME: `c.lead_time_hours > $6`,
  CAPACITY: `coalesce(u.used, 0) >= c.daily_capacity`,
};
const STATIC_REASON_CASE = `CASE ${STATIC_REASONS_IN_ORDER.map((r) => `WHEN ${STATIC_REASON_TEST[r]} THEN '${r}'`).join(' ')} END`;
const IS_SUPPLIER = `'SUPPLIER' = ANY (m.roles)`;
const OF_THE_DAY = `u.capability_id = c.id AND u.day = $7::date`;
const OF_THE_SHAPE = `c.network_id = $1 AND c.category = $2`;
const STATIC_REASON_COLUMNS = `c.supplier_id, m.name, c.id AS capability_id, ${STATIC_REASON_CASE} AS reason`;

/**
 * The order-independent reasons of every capability of a shape ($1 to $7:
 * shapeParams), null for the eligible: a join over the whole category, for a
 * few suppliers (staticReasonsOf) or one tried capability
 * (capability-reach.service.ts). The explanation's scan uses the same tests
 * without reading the category (staticExclusions).
 */
export const STATIC_REASONS = `
  SELECT ${STATIC_REASON_COLUMNS}
    FROM capability_facts c
    JOIN member_facts m ON m.id = c.supplier_id AND ${IS_SUPPLIER}
    LEFT JOIN capacity_usage u ON ${OF_THE_DAY}
   WHERE ${OF_THE_SHAPE}`;

/**
 * The distinct region sets of the shape's category, each found with one descent
 * of capabilities_routing_regions (a loose index scan): there are few, however
 * many capabilities share them.
 */
const REGION_SETS = `
  region_sets AS (
    (SELECT c.regions FROM capability_facts c WHERE ${OF_THE_SHAPE} ORDER BY c.regions LIMIT 1)
    UNION ALL
    SELECT (SELECT c.regions FROM capability_facts c WHERE ${OF_THE_SHAPE} AND c.regions > s.regions ORDER BY c.regions LIMIT 1)
      FROM region_sets s WHERE s.regions IS NOT NULL
  )`;

/** The capabilities of the shape that each row before it names (OFFSET 0: an index lookup per row, whatever the planner guesses of their count). */
const capabilitiesOf = (match: string) => `CROSS JOIN LATERAL (SELECT * FROM capability_facts c WHERE ${OF_THE_SHAPE} AND ${match} OFFSET 0) c`;

/**
 * Per reason, capabilities of the shape that include every one with that
 * reason, found through an index (capabilities_routing_price, the indexes of
 * 1797850000000-explanation-scan-indexes.ts): the reason's own test where an
 * index answers it, else the rows it can hold. Which reason a row has is still
 * decided by STATIC_REASON_CASE, so a row found for another reason is dropped.
 */
const STATIC_REASON_CANDIDATES: Record<StaticReason, string> = {
  // The shape's network's suppliers: a capability's supplier is a member of its network (capability.service.ts).
  NOT_VETTED: `SELECT c.* FROM member_facts m ${capabilitiesOf('c.supplier_id = m.id')}
                WHERE m.network_id = $1 AND ${IS_SUPPLIER} AND ${STATIC_REASON_TEST.NOT_VETTED}`,
  // <> as the two ranges around the currency.
  CURRENCY: `SELECT * FROM capability_facts c WHERE ${OF_THE_SHAPE} AND (c.currency < $3::bpchar OR c.currency > $3::bpchar)`,
  REGION: `SELECT c.* FROM (SELECT c.regions FROM region_sets c WHERE ${STATIC_REASON_TEST.REGION}) d ${capabilitiesOf('c.regions = d.regions')}`,
  OVER_BUDGET: `SELECT * FROM capability_facts c WHERE ${OF_THE_SHAPE} AND c.currency = $3::bpchar AND ${STATIC_REASON_TEST.OVER_BUDGET}`,
  LEAD_TIME: `SELECT * FROM capability_facts c WHERE ${OF_THE_SHAPE} AND ${STATIC_REASON_TEST.LEAD_TIME}`,
  // A capability without a counter of the day has used nothing, and daily_capacity >= 1.
  CAPACITY: `SELECT c.* FROM capacity_usage u ${capabilitiesOf('c.id = u.capability_id')}
              WHERE u.day = $7::date AND ${STATIC_REASON_TEST.CAPACITY}`,
};

/**
 * The first $8 rows of one reason by name (code points) and id, from its
 * candidates joined as STATIC_REASONS joins the category (the planner picks
 * lookups for a few candidates, a hash join for many).
 */
const firstWithReason = (reason: StaticReason) => `(
  SELECT * FROM (
    SELECT ${STATIC_REASON_COLUMNS}
      FROM (${STATIC_REASON_CANDIDATES[reason]}) c
      JOIN member_facts m ON m.id = c.supplier_id AND ${IS_SUPPLIER}
      LEFT JOIN capacity_usage u ON ${OF_THE_DAY}
  ) x WHERE reason = '${reason}'
  ORDER BY name COLLATE "C", supplier_id LIMIT $8)`;

/**
 * Routing's counts for rows `s` with a supplier_id column, given the SQL of the
 * window's start and of the order's id: how many orders of the order's category
 * each supplier took since then (an indexed per-supplier range), and how many the
 * network's suppliers took (an uncorrelated sub-select: one InitPlan, run once).
 * The shortlist and the full pass both use these, so their counts are the same SQL.
 */
const recentOrdersJoin = (since: string, orderId: string) => `
  LEFT JOIN LATERAL (
    SELECT count(*) AS recent
      FROM orders
     WHERE supplier_id = s.supplier_id AND created_at >= ${since} AND accepted_at IS NOT NULL
       AND category = (SELECT category FROM orders WHERE id = ${orderId})
  ) rec ON true`;
const categoryOrdersColumn = (since: string, orderId: string) => `
  (SELECT count(*)
     FROM orders x JOIN orders o ON o.id = ${orderId}
    WHERE x.network_id = o.network_id AND x.created_at >= ${since} AND x.category = o.category AND x.accepted_at IS NOT NULL
  ) AS category_orders`;

export function shapeParams(s: ExclusionShape): unknown[] {
  return [s.networkId, s.category, s.currency, s.region, s.maxUnitPriceMinor.toString(), s.maxLeadHours, s.day];
}

/**
 * The SQL of a routing pass. Suppliers and their capabilities are network's:
 * they are read through its views member_facts and capability_facts, plain
 * projections that PostgreSQL inlines, so the pass still plans on the
 * capabilities_routing index and the members primary key.
 */
export const CandidateRepository = {
  /** The order's network and category, which go into the pass as values so the planner sees how many capabilities match. */
  scope(em: EntityManager, orderId: string): Promise<{ network_id: string; category: string } | undefined> {
    return selectRow(em, `SELECT network_id, category FROM orders WHERE id = $1`, [orderId]);
  },

  /**
   * Every capability of the order's category in the network gets exactly one
   * reason or none. Only the shortlist of the eligible and the first excluded
   * rows leave the database.
   */
  considered(em: EntityManager, q: CandidateQuery): Promise<CandidateSqlRow[]> {
    return selectRows<CandidateSqlRow>(
      em,
      `WITH o AS (
         SELECT id, network_id, client_id, category, region, quantity, deliver_by, budget_minor, currency,
                (deliver_by AT TIME ZONE 'UTC')::date AS day
           FROM orders WHERE id = $1
       ),
       passed AS (
         SELECT DISTINCT ON (supplier_id) supplier_id, status
           FROM offers WHERE order_id = $1 AND status IN ('DECLINED', 'EXPIRED')
          ORDER BY supplier_id, offered_at DESC
       ),
       considered AS (
         SELECT c.supplier_id, m.name, c.id AS capability_id,
                c.unit_price_minor::numeric * o.quantity AS price_minor,
                CASE
                  WHEN p.status = 'DECLINED' THEN 'DECLINED'
                  WHEN p.status = 'EXPIRED' THEN 'EXPIRED'
                  WHEN m.vetting_status IS DISTINCT FROM 'VETTED' THEN 'NOT_VETTED'
                  WHEN c.currency <> o.currency THEN 'CURRENCY'
                  WHEN NOT (o.region = ANY (c.regions)) THEN 'REGION'
                  WHEN c.unit_price_minor::numeric * o.quantity > o.budget_minor THEN 'OVER_BUDGET'
                  WHEN $2::timestamptz + make_interval(hours => c.lead_time_hours) > o.deliver_by THEN 'LEAD_TIME'
                  WHEN coalesce(u.used, 0) >= c.daily_capacity THEN 'CAPACITY'
                  WHEN c.supplier_id = o.client_id THEN 'SELF'
                END AS reason
           FROM o
           JOIN capability_facts c ON c.network_id = $6 AND c.category = $7
           JOIN member_facts m ON m.id = c.supplier_id AND 'SUPPLIER' = ANY (m.roles)
           LEFT JOIN passed p ON p.supplier_id = c.supplier_id
           LEFT JOIN capacity_usage u ON u.capability_id = c.id AND u.day = o.day
       ),
       shortlist AS (
         -- By the numeric price: ordered after the ::text cast below, '1000' would sort before '900'.
         SELECT * FROM considered WHERE reason IS NULL ORDER BY price_minor, supplier_id LIMIT $5
       ),
       excluded AS (
         SELECT considered.*,
                row_number() OVER (ORDER BY array_position($3::text[], reason), name COLLATE "C", supplier_id) AS rn
           FROM considered WHERE reason IS NOT NULL
       )
       SELECT supplier_id, name, capability_id, price_minor::text AS price_minor, reason
         FROM excluded WHERE rn <= $4
       UNION ALL
       SELECT supplier_id, name, capability_id, price_minor::text, reason FROM shortlist`,
      [q.orderId, q.now, q.reasons, q.maxExcluded, q.shortlist, q.networkId, q.category],
    );
  },

  /**
   * The fast path: the cheapest eligible capabilities first, straight from the
   * capabilities_routing_price index (network, category, currency, price,
   * supplier), stopping after `limit`. The WHERE clause is the negation of every
   * reason of `considered` below, one for one, and the order is the shortlist's
   * (price, then supplier id), so both passes see the same candidates
   * (fast-path.int-spec.ts). The price range repeats the budget test in a form
   * the index can use: unit x quantity <= budget exactly when unit <= floor(budget / quantity).
   * Routing's counts of the shortlist come in the same statement, joined to the
   * `limit` rows only (recentOrdersJoin, categoryOrdersColumn: the full pass's SQL).
   */
  eligibleByPrice(em: EntityManager, q: EligibleQuery): Promise<ShortlistSqlRow[]> {
    // Prepared: planning this join was the largest part of a pass's database time. Its plan is the index's
    // order with a LIMIT whatever the values, so a generic plan loses nothing.
    return selectRowsPrepared<ShortlistSqlRow>(
      em,
      `SELECT s.supplier_id, s.name, s.capability_id, s.price_minor, s.reason, coalesce(rec.recent, 0) AS recent_orders,
              ${categoryOrdersColumn('$15', '$12')}
         FROM (
       SELECT c.supplier_id, m.name, c.id AS capability_id, c.unit_price_minor,
              (c.unit_price_minor::numeric * $6)::text AS price_minor, NULL::text AS reason
         FROM capability_facts c
         JOIN member_facts m ON m.id = c.supplier_id
         LEFT JOIN capacity_usage u ON u.capability_id = c.id AND u.day = $10::date
        WHERE c.network_id = $1 AND c.category = $2 AND c.currency = $3::bpchar
          AND c.unit_price_minor <= $7 AND c.unit_price_minor::numeric * $6 <= $8::numeric
          AND $4 = ANY (c.regions)
          AND $11::timestamptz + make_interval(hours => c.lead_time_hours) <= $9::timestamptz
          AND coalesce(u.used, 0) < c.daily_capacity
          AND m.vetting_status = 'VETTED' AND 'SUPPLIER' = ANY (m.roles)
          AND c.supplier_id <> $5
          AND NOT EXISTS (
            SELECT 1 FROM offers f WHERE f.order_id = $12 AND f.supplier_id = c.supplier_id AND f.status IN ('DECLINED', 'EXPIRED')
          )
          AND ($14::uuid IS NULL OR c.supplier_id = $14::uuid)
        ORDER BY c.unit_price_minor, c.supplier_id
        LIMIT $13
       ) s
       ${recentOrdersJoin('$15', '$12')}
        ORDER BY s.unit_price_minor, s.supplier_id`,
      [
        q.networkId,
        q.category,
        q.currency,
        q.region,
        q.clientId,
        q.quantity,
        (q.budgetMinor / BigInt(q.quantity)).toString(),
        q.budgetMinor.toString(),
        q.deliverBy,
        q.day,
        q.now,
        q.orderId,
        q.limit,
        q.onlySupplierId ?? null,
        q.recentSince,
      ],
    );
  },

  /**
   * The explanation's scan: the first `limit` capabilities of a shape that one
   * of the order-independent reasons excludes, by reason (in the order of
   * `reasons`), name (code points) and id, as STATIC_REASONS would give them.
   * The reasons tied to one order (DECLINED, EXPIRED: its offers; SELF: its
   * client) are added per order by the explainer. Each reason is read on its
   * own through its index (STATIC_REASON_CANDIDATES), one statement a
   * reason in that order, until `limit` rows came: the order is the loop's,
   * not a plan's. So the cost follows the excluded rows, the category's
   * region sets and the day's capacity counters, not the category.
   */
  async staticExclusions(em: EntityManager, s: ExclusionShape, reasons: readonly ExclusionReason[], limit: number): Promise<ExcludedSqlRow[]> {
    const rank = (r: StaticReason) => reasons.indexOf(r);
    if (STATIC_REASONS_IN_ORDER.some((r) => rank(r) < 0)) throw new Error(`staticExclusions orders by every static reason, got ${reasons.join(', ')}`);
    const inOrder = [...STATIC_REASONS_IN_ORDER].sort((a, b) => rank(a) - rank(b));
    const found: ExcludedSqlRow[] = [];
    for (const reason of inOrder) {
      if (found.length >= limit) break;
      const regionSets = reason === 'REGION' ? `WITH RECURSIVE ${REGION_SETS}` : '';
      found.push(...(await selectRows<ExcludedSqlRow>(em, `${regionSets} ${firstWithReason(reason)}`, [...shapeParams(s), limit - found.length])));
    }
    return found;
  },

  /** The same reasons for a few suppliers (the clients of a shape's orders), null when none applies: then their own order excludes them as SELF. */
  staticReasonsOf(
    em: EntityManager,
    s: ExclusionShape,
    supplierIds: readonly string[],
  ): Promise<(Omit<ExcludedSqlRow, 'reason'> & { reason: ExclusionReason | null })[]> {
    return selectRows(em, `SELECT * FROM (${STATIC_REASONS} AND c.supplier_id = ANY ($8::uuid[])) x`, [...shapeParams(s), supplierIds]);
  },

  /** Routing's counts (recentOrdersJoin, categoryOrdersColumn) for the given suppliers: the full pass's, in one statement. */
  recentOrders(em: EntityManager, orderId: string, supplierIds: readonly string[], recentSince: Date): Promise<RecentOrdersSqlRow[]> {
    return selectRows<RecentOrdersSqlRow>(
      em,
      `SELECT s.supplier_id, coalesce(rec.recent, 0) AS recent_orders, ${categoryOrdersColumn('$2', '$3')}
         FROM unnest($1::uuid[]) AS s(supplier_id)
       ${recentOrdersJoin('$2', '$3')}`,
      [supplierIds, recentSince, orderId],
    );
  },
};
