import { Injectable } from '@nestjs/common';
import { DAY_MS } from '@tandem/common';
import { POSTING_LINES } from '@tandem/ledger';
import { queryAll } from '@tandem/persistence';
import { EntityManager } from 'typeorm';
import { FeeTermsChange, feeIncreases } from '../trust/fee-increases';
import { HealthMeasures } from '../trust/health-measures';
import { MemberRole, MemberVetting } from '../trust/member-role';
import { HealthMeasuresRepository, MeasureRange } from './health-measures.repository';
import { HealthNetwork, NetworkStats, takeNormOf } from './network-stats';

export interface GatheredMember {
  id: string;
  measures: HealthMeasures;
  acquisitionBaseline: bigint | null;
}

type Counts<K extends string> = Map<string, Record<K, number>>;

/**
 * Gathers HealthMeasures for many members of one network at once: a fixed
 * number of queries whatever the number of members, each an index range scan
 * of those members' window (offers_supplier, orders_client_created,
 * health_orders_supplier_*, health_postings_account_created, ...). The SQL is
 * in health-measures.repository.ts, on the owners' public read models: plain
 * views the planner inlines, so those indexes still serve.
 */
@Injectable()
export class HealthMeasuresService {
  async gather(em: EntityManager, network: HealthNetwork, stats: NetworkStats, memberIds: readonly string[], now: Date): Promise<Map<string, GatheredMember>> {
    const out = new Map<string, GatheredMember>();
    if (memberIds.length === 0) return out;
    const windowDays = network.settings.windowDays;
    const r: MeasureRange = {
      networkId: network.id,
      ids: [...new Set(memberIds)],
      from: new Date(now.getTime() - windowDays * DAY_MS),
      now,
      currency: network.currency,
    };

    const members = await HealthMeasuresRepository.members(em, r);
    if (members.length === 0) return out;
    r.ids = members.map((m) => m.id);
    const [offers, supplier, overdue, client, activity, capabilities, money, sharesOnFees, setbacks, feeChanges, business, ratings, disputes] = await queryAll(
      em,
      [
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
        () => this.ratings(em, r),
        () => this.disputes(em, r),
      ] as const,
    );
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
        ratingsReceived: ratings.received.get(m.id) ?? { count: 0, sum: 0 },
        ratingsOfHub: ratings.ofHub.get(m.id) ?? { count: 0, sum: 0, latest: [] },
        disputes: disputes.get(m.id) ?? 0,
      };
      out.set(m.id, { id: m.id, measures, acquisitionBaseline: m.acquisition_baseline_minor === null ? null : BigInt(m.acquisition_baseline_minor) });
    }
    return out;
  }

  private async offers(em: EntityManager, r: MeasureRange): Promise<Counts<'accepted' | 'declined' | 'expired' | 'open' | 'withdrawn'>> {
    const rows = await HealthMeasuresRepository.offers(em, r);
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

  private async supplierOrders(em: EntityManager, r: MeasureRange): Promise<Counts<'fulfilled' | 'onTime' | 'refunded'>> {
    const rows = await HealthMeasuresRepository.supplierOrders(em, r);
    return new Map(rows.map((x) => [x.supplier_id, { fulfilled: x.fulfilled, onTime: x.on_time, refunded: x.refunded }]));
  }

  /** Accepted in the window, past deliverBy, neither fulfilled nor cancelled. */
  private async overdue(em: EntityManager, r: MeasureRange): Promise<Map<string, number>> {
    const rows = await HealthMeasuresRepository.overdue(em, r);
    return new Map(rows.map((x) => [x.supplier_id, x.n]));
  }

  private async clientOrders(em: EntityManager, r: MeasureRange): Promise<Counts<'placed' | 'cancelled'>> {
    const rows = await HealthMeasuresRepository.clientOrders(em, r);
    return new Map(rows.map((x) => [x.client_id, { placed: x.placed, cancelled: x.cancelled }]));
  }

  /** Active 7-day periods (counted back from now) and categories of business: orders placed, orders accepted, shares earned. */
  private async activity(em: EntityManager, r: MeasureRange): Promise<Map<string, { weeks: number; categories: string[] }>> {
    const rows = await HealthMeasuresRepository.activity(em, r);
    return new Map(rows.map((x) => [x.member_id, { weeks: x.weeks, categories: x.categories ?? [] }]));
  }

  private async capabilities(em: EntityManager, r: MeasureRange): Promise<Map<string, string[]>> {
    const rows = await HealthMeasuresRepository.capabilities(em, r);
    const out = new Map<string, string[]>();
    for (const x of rows) out.set(x.supplier_id, [...(out.get(x.supplier_id) ?? []), x.category]);
    return out;
  }

  /** Signed sums per order line over the member's accounts in the network's currency. */
  private async money(em: EntityManager, r: MeasureRange): Promise<Map<string, Record<string, bigint> & { count: number }>> {
    const rows = await HealthMeasuresRepository.money(em, r);
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
  private async sharesOnMemberFees(em: EntityManager, r: MeasureRange): Promise<Map<string, bigint>> {
    if (r.ids.length === 0) return new Map();
    const rows = await HealthMeasuresRepository.sharesOnMemberFees(em, r);
    return new Map(rows.map((x) => [x.member_id, BigInt(x.total)]));
  }

  /** Ratings about each member and each member's ratings of the hub, in the window. */
  private async ratings(
    em: EntityManager,
    r: MeasureRange,
  ): Promise<{ received: Map<string, HealthMeasures['ratingsReceived']>; ofHub: Map<string, HealthMeasures['ratingsOfHub']> }> {
    const rows = await HealthMeasuresRepository.ratings(em, r);
    const received = new Map<string, HealthMeasures['ratingsReceived']>();
    const ofHub = new Map<string, HealthMeasures['ratingsOfHub']>();
    for (const x of rows) {
      if (x.kind === 'RECEIVED') received.set(x.member_id, { count: x.n, sum: x.total });
      else ofHub.set(x.member_id, { count: x.n, sum: x.total, latest: x.latest });
    }
    return { received, ofHub };
  }

  private async disputes(em: EntityManager, r: MeasureRange): Promise<Map<string, number>> {
    const rows = await HealthMeasuresRepository.disputes(em, r);
    return new Map(rows.map((x) => [x.member_id, x.n]));
  }

  private async setbacks(em: EntityManager, r: MeasureRange): Promise<Map<string, number>> {
    const rows = await HealthMeasuresRepository.setbacks(em, r);
    return new Map(rows.map((x) => [x.member_id, x.n]));
  }

  /** The network's schedule history and these members' own terms history (both small). */
  private async feeChanges(em: EntityManager, r: MeasureRange): Promise<FeeTermsChange[]> {
    const rows = await HealthMeasuresRepository.feeChanges(em, r);
    return rows.map((x) => ({ memberId: x.member_id, terms: x.terms, effectiveAt: x.effective_at }));
  }

  /** Price of the fulfilled, unrefunded business per category, as a supplier and as a client; an order refunded in part counts at its net. */
  private async categoryBusiness(em: EntityManager, r: MeasureRange): Promise<Map<string, { category: string; role: 'CLIENT' | 'SUPPLIER'; price: bigint }[]>> {
    const rows = await HealthMeasuresRepository.categoryBusiness(em, r);
    const out = new Map<string, { category: string; role: 'CLIENT' | 'SUPPLIER'; price: bigint }[]>();
    for (const x of rows) out.set(x.member_id, [...(out.get(x.member_id) ?? []), { category: x.category, role: x.role, price: BigInt(x.price) }]);
    return out;
  }
}

/** The category where the member holds the largest share of the network's business (ties: alphabetical). */
function topCategory(
  business: { category: string; role: 'CLIENT' | 'SUPPLIER'; price: bigint }[] | undefined,
  stats: NetworkStats,
): HealthMeasures['topCategory'] {
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
