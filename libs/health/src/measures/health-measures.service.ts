import { Injectable } from '@nestjs/common';
import { DAY_MS, DAY_SECONDS } from '@tandem/common';
import { MEMBER_BUSINESS_LINES, POSTING_LINES } from '@tandem/ledger';
import { queryAll } from '@tandem/persistence';
import { EntityManager } from 'typeorm';
import { FeeTermsChange, feeIncreases } from '../trust/fee-increases';
import { HealthMeasures } from '../trust/health-measures';
import { MemberRole, MemberVetting } from '../trust/member-role';
import { HealthNetwork, NetworkStats, takeNormOf } from './network-stats.service';

const WEEK_SECONDS = 7 * DAY_SECONDS;


export interface GatheredMember {
  id: string;
  measures: HealthMeasures;
  acquisitionBaseline: bigint | null;
}

interface Range {
  networkId: string;
  ids: string[];
  from: Date;
  now: Date;
  currency: string;
}

type Counts<K extends string> = Map<string, Record<K, number>>;

/**
 * Gathers HealthMeasures for many members of one network at once: a fixed
 * number of queries whatever the number of members, each an index range scan
 * of those members' window (offers_supplier, orders_client_created,
 * health_orders_supplier_*, health_postings_account_created, ...). It reads
 * only the owners' public read models (network's member_facts, vetting_facts,
 * capability_facts, fee_term_facts; routing's order_facts, offer_facts;
 * settlement's order_fee_facts; the ledger's member_postings): plain views the
 * planner inlines, so those indexes still serve.
 */
@Injectable()
export class HealthMeasuresService {
  async gather(em: EntityManager, network: HealthNetwork, stats: NetworkStats, memberIds: readonly string[], now: Date): Promise<Map<string, GatheredMember>> {
    const out = new Map<string, GatheredMember>();
    if (memberIds.length === 0) return out;
    const windowDays = network.settings.windowDays;
    const r: Range = { networkId: network.id, ids: [...new Set(memberIds)], from: new Date(now.getTime() - windowDays * DAY_MS), now, currency: network.currency };

    const members = await this.members(em, r);
    if (members.length === 0) return out;
    r.ids = members.map((m) => m.id);
    const [offers, supplier, overdue, client, activity, capabilities, money, sharesOnFees, setbacks, feeChanges, business] = await queryAll(em, [
      () => this.offers(em, r),
      () => this.supplierOrders(em, r),
      () => this.overdue(em, r),
      () => this.clientOrders(em, r),
      () => this.activity(em, r),
      () => this.capabilities(em, r),
      () => this.money(em, r),
      // Only a referred member's fees carry partner shares.
      () => this.sharesOnMemberFees(em, { ...r, ids: members.filter((m) => m.referred_by_id !== null).map((m) => m.id) }),
      () => this.setbacks(em, r),
      () => this.feeChanges(em, r),
      () => this.categoryBusiness(em, r),
    ] as const);
    const takeNorm = takeNormOf(stats, network);

    for (const m of members) {
      const cats = new Set([...(capabilities.get(m.id) ?? []), ...(activity.get(m.id)?.categories ?? [])]);
      const mon = money.get(m.id);
      const roles = m.roles as MemberRole[];
      const measures: HealthMeasures = {
        windowDays,
        roles,
        vettingStatus: roles.includes('SUPPLIER') ? ((m.vetting_status ?? 'APPLIED') as MemberVetting) : null,
        tenureDays: Math.floor((now.getTime() - m.joined_at.getTime()) / DAY_MS),
        vettingSetbacks: setbacks.get(m.id) ?? 0,
        offers: offers.get(m.id) ?? { accepted: 0, declined: 0, expired: 0, open: 0, withdrawn: 0 },
        supplier: { ...(supplier.get(m.id) ?? { fulfilled: 0, onTime: 0, refunded: 0 }), overdue: overdue.get(m.id) ?? 0 },
        client: client.get(m.id) ?? { placed: 0, cancelled: 0 },
        activeWeeks: activity.get(m.id)?.weeks ?? 0,
        categories: cats.size,
        money: {
          // The ledger's signs (debit positive) turned into plain amounts.
          purchases: mon?.[POSTING_LINES.purchase] ?? 0n,
          clientFees: mon?.[POSTING_LINES.clientFee] ?? 0n,
          earned: -(mon?.[POSTING_LINES.earned] ?? 0n),
          supplierFees: mon?.[POSTING_LINES.supplierFee] ?? 0n,
          sharesEarned: -(mon?.[POSTING_LINES.partnerShare] ?? 0n),
          sharesOnMemberFees: sharesOnFees.get(m.id) ?? 0n,
          postings: mon?.count ?? 0,
        },
        takeNorm,
        feeIncreases: feeIncreases(
          feeChanges.filter((c) => c.memberId === null || c.memberId === m.id),
          roles,
          new Date(Math.max(r.from.getTime(), m.joined_at.getTime())),
          now,
        ),
        topCategory: topCategory(business.get(m.id), stats),
      };
      out.set(m.id, { id: m.id, measures, acquisitionBaseline: m.acquisition_baseline_minor === null ? null : BigInt(m.acquisition_baseline_minor) });
    }
    return out;
  }

  private members(em: EntityManager, r: Range) {
    return em.query(
      `SELECT id, roles, vetting_status, joined_at, referred_by_id, acquisition_baseline_minor::text AS acquisition_baseline_minor
         FROM member_facts WHERE network_id = $1 AND id = ANY($2::uuid[])`,
      [r.networkId, r.ids],
    ) as Promise<
      { id: string; roles: string[]; vetting_status: string | null; joined_at: Date; referred_by_id: string | null; acquisition_baseline_minor: string | null }[]
    >;
  }

  private async offers(em: EntityManager, r: Range): Promise<Counts<'accepted' | 'declined' | 'expired' | 'open' | 'withdrawn'>> {
    const rows: { supplier_id: string; status: string; n: number }[] = await em.query(
      `SELECT supplier_id, status, count(*)::int AS n FROM offer_facts
        WHERE supplier_id = ANY($1::uuid[]) AND offered_at >= $2 AND offered_at <= $3
        GROUP BY supplier_id, status`,
      [r.ids, r.from, r.now],
    );
    const out: Counts<'accepted' | 'declined' | 'expired' | 'open' | 'withdrawn'> = new Map();
    for (const row of rows) {
      const c = out.get(row.supplier_id) ?? { accepted: 0, declined: 0, expired: 0, open: 0, withdrawn: 0 };
      const key = row.status.toLowerCase();
      // Statuses added later (none yet) are not the supplier's answer: left out.
      if (key in c) c[key as keyof typeof c] += row.n;
      out.set(row.supplier_id, c);
    }
    return out;
  }

  private async supplierOrders(em: EntityManager, r: Range): Promise<Counts<'fulfilled' | 'onTime' | 'refunded'>> {
    const rows: { supplier_id: string; fulfilled: number; on_time: number; refunded: number }[] = await em.query(
      `SELECT supplier_id, count(*)::int AS fulfilled,
              count(*) FILTER (WHERE fulfilled_at <= deliver_by)::int AS on_time,
              count(*) FILTER (WHERE refunded_at IS NOT NULL)::int AS refunded
         FROM order_facts
        WHERE supplier_id = ANY($1::uuid[]) AND fulfilled_at >= $2 AND fulfilled_at <= $3
        GROUP BY supplier_id`,
      [r.ids, r.from, r.now],
    );
    return new Map(rows.map((x) => [x.supplier_id, { fulfilled: x.fulfilled, onTime: x.on_time, refunded: x.refunded }]));
  }

  /** Accepted in the window, past deliverBy, neither fulfilled nor cancelled. */
  private async overdue(em: EntityManager, r: Range): Promise<Map<string, number>> {
    const rows: { supplier_id: string; n: number }[] = await em.query(
      `SELECT supplier_id, count(*)::int AS n FROM order_facts
        WHERE supplier_id = ANY($1::uuid[]) AND accepted_at >= $2 AND accepted_at <= $3
          AND fulfilled_at IS NULL AND cancelled_at IS NULL AND status = 'ACCEPTED' AND deliver_by < $3
        GROUP BY supplier_id`,
      [r.ids, r.from, r.now],
    );
    return new Map(rows.map((x) => [x.supplier_id, x.n]));
  }

  private async clientOrders(em: EntityManager, r: Range): Promise<Counts<'placed' | 'cancelled'>> {
    const rows: { client_id: string; placed: number; cancelled: number }[] = await em.query(
      `SELECT client_id, count(*)::int AS placed, count(*) FILTER (WHERE cancelled_at IS NOT NULL OR status = 'CANCELLED')::int AS cancelled
         FROM order_facts WHERE client_id = ANY($1::uuid[]) AND created_at >= $2 AND created_at <= $3
        GROUP BY client_id`,
      [r.ids, r.from, r.now],
    );
    return new Map(rows.map((x) => [x.client_id, { placed: x.placed, cancelled: x.cancelled }]));
  }

  /** Active 7-day periods (counted back from now) and categories of business: orders placed, orders accepted, shares earned. */
  private async activity(em: EntityManager, r: Range): Promise<Map<string, { weeks: number; categories: string[] }>> {
    const rows: { member_id: string; weeks: number; categories: string[] | null }[] = await em.query(
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
    return new Map(rows.map((x) => [x.member_id, { weeks: x.weeks, categories: x.categories ?? [] }]));
  }

  private async capabilities(em: EntityManager, r: Range): Promise<Map<string, string[]>> {
    const rows: { supplier_id: string; category: string }[] = await em.query(
      `SELECT supplier_id, category FROM capability_facts WHERE supplier_id = ANY($1::uuid[])`,
      [r.ids],
    );
    const out = new Map<string, string[]>();
    for (const x of rows) out.set(x.supplier_id, [...(out.get(x.supplier_id) ?? []), x.category]);
    return out;
  }

  /** Signed sums per order line over the member's accounts in the network's currency. */
  private async money(em: EntityManager, r: Range): Promise<Map<string, Record<string, bigint> & { count: number }>> {
    const rows: { member_id: string; line: string; total: string; n: number }[] = await em.query(
      `SELECT p.member_id, p.line, sum(p.amount_minor)::text AS total, count(*)::int AS n
         FROM member_postings p
        WHERE p.member_id = ANY($1::uuid[]) AND p.network_id = $4 AND p.currency = $5
          AND p.created_at >= $2 AND p.created_at <= $3 AND p.line = ANY($6::text[])
        GROUP BY p.member_id, p.line`,
      [r.ids, r.from, r.now, r.networkId, r.currency, MEMBER_BUSINESS_LINES],
    );
    const out = new Map<string, Record<string, bigint> & { count: number }>();
    for (const x of rows) {
      const m = out.get(x.member_id) ?? ({ count: 0 } as Record<string, bigint> & { count: number });
      m[x.line] = BigInt(x.total);
      m.count += x.n;
      out.set(x.member_id, m);
    }
    return out;
  }

  /**
   * Partner shares paid out of this member's own fees: for each of its fee
   * postings in the window, the frozen breakdown's share on that side for this
   * member, with the posting's sign (a refund reverses it).
   */
  private async sharesOnMemberFees(em: EntityManager, r: Range): Promise<Map<string, bigint>> {
    if (r.ids.length === 0) return new Map();
    const rows: { member_id: string; total: string }[] = await em.query(
      `SELECT p.member_id, sum(sign(p.amount_minor) * CASE p.line WHEN $6 THEN f.client_share_minor ELSE f.supplier_share_minor END)::text AS total
         FROM member_postings p
         JOIN order_fee_facts f ON f.order_id = p.order_id
        WHERE p.member_id = ANY($1::uuid[]) AND p.network_id = $4 AND p.currency = $5
          AND p.created_at >= $2 AND p.created_at <= $3
          AND ((p.line = $6 AND f.client_share_referred_id = p.member_id)
            OR (p.line = $7 AND f.supplier_share_referred_id = p.member_id))
        GROUP BY p.member_id`,
      [r.ids, r.from, r.now, r.networkId, r.currency, POSTING_LINES.clientFee, POSTING_LINES.supplierFee],
    );
    return new Map(rows.map((x) => [x.member_id, BigInt(x.total)]));
  }

  private async setbacks(em: EntityManager, r: Range): Promise<Map<string, number>> {
    const rows: { member_id: string; n: number }[] = await em.query(
      `SELECT member_id, count(*)::int AS n FROM vetting_facts
        WHERE member_id = ANY($1::uuid[]) AND to_status IN ('SUSPENDED', 'REVOKED') AND created_at >= $2 AND created_at <= $3
        GROUP BY member_id`,
      [r.ids, r.from, r.now],
    );
    return new Map(rows.map((x) => [x.member_id, x.n]));
  }

  /** The network's schedule history and these members' own terms history (both small). */
  private async feeChanges(em: EntityManager, r: Range): Promise<FeeTermsChange[]> {
    const rows: { member_id: string | null; terms: Record<string, unknown>; effective_at: Date }[] = await em.query(
      `SELECT member_id, terms, effective_at FROM fee_term_facts
        WHERE network_id = $1 AND (member_id IS NULL OR member_id = ANY($2::uuid[]))
        ORDER BY effective_at, id`,
      [r.networkId, r.ids],
    );
    return rows.map((x) => ({ memberId: x.member_id, terms: x.terms, effectiveAt: x.effective_at }));
  }

  /** Price of the fulfilled, unrefunded business per category, as a supplier and as a client. */
  private async categoryBusiness(em: EntityManager, r: Range): Promise<Map<string, { category: string; role: 'CLIENT' | 'SUPPLIER'; price: bigint }[]>> {
    const rows: { member_id: string; role: 'CLIENT' | 'SUPPLIER'; category: string; price: string }[] = await em.query(
      `SELECT o.supplier_id AS member_id, 'SUPPLIER' AS role, o.category, sum(f.price_minor)::text AS price
         FROM order_facts o JOIN order_fee_facts f ON f.order_id = o.id
        WHERE o.supplier_id = ANY($1::uuid[]) AND o.fulfilled_at >= $2 AND o.fulfilled_at <= $3
          AND o.refunded_at IS NULL AND o.currency = $4
        GROUP BY o.supplier_id, o.category
       UNION ALL
       SELECT o.client_id, 'CLIENT', o.category, sum(f.price_minor)::text
         FROM order_facts o JOIN order_fee_facts f ON f.order_id = o.id
        WHERE o.client_id = ANY($1::uuid[]) AND o.created_at >= $2 AND o.created_at <= $3
          AND o.fulfilled_at >= $2 AND o.fulfilled_at <= $3 AND o.refunded_at IS NULL AND o.currency = $4
        GROUP BY o.client_id, o.category`,
      [r.ids, r.from, r.now, r.currency],
    );
    const out = new Map<string, { category: string; role: 'CLIENT' | 'SUPPLIER'; price: bigint }[]>();
    for (const x of rows) out.set(x.member_id, [...(out.get(x.member_id) ?? []), { category: x.category, role: x.role, price: BigInt(x.price) }]);
    return out;
  }
}

/** The category where the member holds the largest share of the network's business (ties: alphabetical). */
function topCategory(business: { category: string; role: 'CLIENT' | 'SUPPLIER'; price: bigint }[] | undefined, stats: NetworkStats): HealthMeasures['topCategory'] {
  let best: HealthMeasures['topCategory'] = null;
  for (const b of business ?? []) {
    const total = stats.categories.get(b.category);
    if (!total || total <= 0n || b.price <= 0n) continue;
    // Cached totals may lag the member's own business by a few minutes: never above 100%.
    const share = Math.min(1, Number((b.price * 10_000n) / total) / 10_000);
    if (!best || share > best.share || (share === best.share && b.category < best.category)) best = { category: b.category, share, role: b.role };
  }
  return best;
}
