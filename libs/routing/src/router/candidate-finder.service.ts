import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { CandidateFeatures } from './ranking';
import { EXCLUSION_REASONS, ExclusionReason } from './exclusion-reason';

/** A supplier with a capability in the order's category, as the routing pass saw it. */
export interface Candidate {
  supplierId: string;
  name: string;
  capabilityId: string;
  /** unit price x quantity, in the order's currency when eligible. */
  priceMinor: bigint;
  reason: ExclusionReason | null;
}

export type EligibleCandidate = Candidate & Omit<CandidateFeatures, 'health'>;

export interface CandidatePass {
  eligible: EligibleCandidate[];
  /** The first MAX_EXCLUDED excluded suppliers, by reason precedence, then name, then id. */
  excluded: Candidate[];
}

export const MAX_ROUTING_ROWS = 100;
/**
 * How many eligible suppliers, the cheapest first, are scored in full. Scoring
 * reads each one's history, so it is bounded whatever the size of the network;
 * Order.routing shows at most 100 rows anyway.
 */
export const SHORTLIST = 50;
const RELIABILITY_WINDOW_DAYS = 90;
const SPREAD_WINDOW_DAYS = 30;

interface CandidateSqlRow {
  supplier_id: string;
  name: string;
  capability_id: string;
  price_minor: string;
  reason: ExclusionReason | null;
}

interface FeatureSqlRow {
  supplier_id: string;
  offers_accepted: string;
  offers_passed: string;
  fulfilled: string;
  fulfilled_on_time: string;
  recent_orders: string;
}

/**
 * The eligibility rules, in SQL: every capability of the order's category in the
 * network (index capabilities_routing) gets exactly one reason or none. Only the
 * shortlist of the eligible and the first 100 excluded rows leave the database.
 */
@Injectable()
export class CandidateFinderService {
  async find(em: EntityManager, orderId: string, now: Date): Promise<CandidatePass> {
    // The network and category go in as values, so the planner sees how many capabilities match.
    const [scope]: { network_id: string; category: string }[] = await em.query(`SELECT network_id, category FROM orders WHERE id = $1`, [orderId]);
    if (!scope) return { eligible: [], excluded: [] };
    const rows: CandidateSqlRow[] = await em.query(
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
           JOIN capabilities c ON c.network_id = $6 AND c.category = $7
           JOIN members m ON m.id = c.supplier_id AND 'SUPPLIER' = ANY (m.roles)
           LEFT JOIN passed p ON p.supplier_id = c.supplier_id
           LEFT JOIN capacity_usage u ON u.capability_id = c.id AND u.day = o.day
       ),
       excluded AS (
         SELECT considered.*,
                row_number() OVER (ORDER BY array_position($3::text[], reason), name COLLATE "C", supplier_id) AS rn
           FROM considered WHERE reason IS NOT NULL
       )
       SELECT supplier_id, name, capability_id, price_minor::text AS price_minor, reason
         FROM excluded WHERE rn <= $4
       UNION ALL
       (SELECT supplier_id, name, capability_id, price_minor::text, reason FROM considered WHERE reason IS NULL
         ORDER BY price_minor, supplier_id LIMIT $5)`,
      [orderId, now, EXCLUSION_REASONS, MAX_ROUTING_ROWS, SHORTLIST, scope.network_id, scope.category],
    );
    const toCandidate = (r: CandidateSqlRow): Candidate => ({
      supplierId: r.supplier_id,
      name: r.name,
      capabilityId: r.capability_id,
      priceMinor: BigInt(r.price_minor),
      reason: r.reason,
    });
    const excluded = rows.filter((r) => r.reason !== null).map(toCandidate);
    excluded.sort(compareExcluded);
    const eligibleRows = rows.filter((r) => r.reason === null).map(toCandidate);
    return { eligible: await this.withFeatures(em, orderId, eligibleRows, now), excluded };
  }

  /** Reliability and recent-business counts of the eligible, from indexed per-supplier ranges. */
  private async withFeatures(em: EntityManager, orderId: string, eligible: Candidate[], now: Date): Promise<EligibleCandidate[]> {
    if (eligible.length === 0) return [];
    const since = new Date(now.getTime() - RELIABILITY_WINDOW_DAYS * 86_400_000);
    const recentSince = new Date(now.getTime() - SPREAD_WINDOW_DAYS * 86_400_000);
    const features: FeatureSqlRow[] = await em.query(
      `SELECT s.id AS supplier_id,
              coalesce(off.accepted, 0) AS offers_accepted, coalesce(off.passed, 0) AS offers_passed,
              coalesce(ful.fulfilled, 0) AS fulfilled, coalesce(ful.on_time, 0) AS fulfilled_on_time,
              coalesce(rec.recent, 0) AS recent_orders
         FROM unnest($1::uuid[]) AS s(id)
         LEFT JOIN LATERAL (
           SELECT count(*) FILTER (WHERE status = 'ACCEPTED') AS accepted,
                  count(*) FILTER (WHERE status IN ('DECLINED', 'EXPIRED')) AS passed
             FROM offers WHERE supplier_id = s.id AND offered_at >= $2
         ) off ON true
         LEFT JOIN LATERAL (
           SELECT count(*) AS fulfilled, count(*) FILTER (WHERE fulfilled_at <= deliver_by) AS on_time
             FROM orders WHERE supplier_id = s.id AND created_at >= $2 AND fulfilled_at IS NOT NULL
         ) ful ON true
         LEFT JOIN LATERAL (
           SELECT count(*) AS recent
             FROM orders
            WHERE supplier_id = s.id AND created_at >= $3 AND accepted_at IS NOT NULL
              AND category = (SELECT category FROM orders WHERE id = $4)
         ) rec ON true`,
      [eligible.map((c) => c.supplierId), since, recentSince, orderId],
    );
    const totals: { category_orders: string }[] = await em.query(
      `SELECT count(*) AS category_orders
         FROM orders x JOIN orders o ON o.id = $1
        WHERE x.network_id = o.network_id AND x.created_at >= $2 AND x.category = o.category AND x.accepted_at IS NOT NULL`,
      [orderId, recentSince],
    );
    const bySupplier = new Map(features.map((f) => [f.supplier_id, f]));
    const categoryOrders = Number(totals[0]?.category_orders ?? 0);
    return eligible.map((c) => {
      const f = bySupplier.get(c.supplierId);
      return {
        ...c,
        offersAccepted: Number(f?.offers_accepted ?? 0),
        offersPassed: Number(f?.offers_passed ?? 0),
        fulfilled: Number(f?.fulfilled ?? 0),
        fulfilledOnTime: Number(f?.fulfilled_on_time ?? 0),
        recentOrders: Number(f?.recent_orders ?? 0),
        categoryOrders,
      };
    });
  }
}

/** The fixed order of excluded rows: reason precedence, then name (code points), then id. */
export function compareExcluded(a: Candidate, b: Candidate): number {
  const ra = EXCLUSION_REASONS.indexOf(a.reason as ExclusionReason);
  const rb = EXCLUSION_REASONS.indexOf(b.reason as ExclusionReason);
  if (ra !== rb) return ra - rb;
  if (a.name !== b.name) return a.name < b.name ? -1 : 1;
  return a.supplierId < b.supplierId ? -1 : a.supplierId > b.supplierId ? 1 : 0;
}
