import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { DAY_MS } from '@tandem/common';
import type { OrderEntity } from '../order/order.entity';
import { CandidateRepository, CandidateSqlRow } from './candidate.repository';
import { capacityDay } from './capacity.service';
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

/** An eligible supplier with routing's own counts; its standing (health, reliability) comes from the SupplierHealthSource port. */
export type EligibleCandidate = Candidate & Omit<CandidateFeatures, 'health' | 'reliability'>;

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
const SPREAD_WINDOW_DAYS = 30;

/**
 * The eligibility rules, asked two ways. `shortlist` is the fast path that
 * routing offers from: the index gives the cheapest eligible suppliers first
 * and reads nothing else. `find` is the full pass (CandidateRepository.considered,
 * one SQL pass): every capability of the order's category in the network gets
 * exactly one reason or none, and the same shortlist comes out of it with the
 * first 100 excluded rows; it explains an order that nobody can take, and is
 * what fast-path.int-spec.ts holds the fast path to. Either way the shortlist
 * then gets its recent share of the category.
 */
@Injectable()
export class CandidateFinderService {
  /**
   * The SHORTLIST cheapest eligible suppliers (price, then id), with routing's counts in the
   * same statement; `onlySupplierId` narrows it to one.
   */
  async shortlist(em: EntityManager, order: OrderEntity, now: Date, onlySupplierId?: string): Promise<EligibleCandidate[]> {
    const rows = await CandidateRepository.eligibleByPrice(em, {
      orderId: order.id,
      networkId: order.networkId,
      clientId: order.clientId,
      category: order.category,
      currency: order.currency,
      region: order.region,
      quantity: order.quantity,
      budgetMinor: order.budgetMinor,
      deliverBy: order.deliverBy,
      day: capacityDay(order.deliverBy),
      now,
      limit: SHORTLIST,
      onlySupplierId,
      recentSince: recentSince(now),
    });
    return rows.map((r) => ({ ...toCandidate(r), recentOrders: Number(r.recent_orders), categoryOrders: Number(r.category_orders) }));
  }

  async find(em: EntityManager, orderId: string, now: Date): Promise<CandidatePass> {
    const scope = await CandidateRepository.scope(em, orderId);
    if (!scope) return { eligible: [], excluded: [] };
    const rows = await CandidateRepository.considered(em, {
      orderId,
      networkId: scope.network_id,
      category: scope.category,
      now,
      reasons: EXCLUSION_REASONS,
      maxExcluded: MAX_ROUTING_ROWS,
      shortlist: SHORTLIST,
    });
    const excluded = rows.filter((r) => r.reason !== null).map(toCandidate);
    excluded.sort(compareExcluded);
    const eligibleRows = rows.filter((r) => r.reason === null).map(toCandidate);
    return { eligible: await this.withFeatures(em, orderId, eligibleRows, now), excluded };
  }

  /**
   * Recent-business counts of the eligible, from indexed per-supplier ranges, with the category's in the same statement.
   * Reliability is not counted here: it is health's measure (SupplierStanding).
   */
  private async withFeatures(em: EntityManager, orderId: string, eligible: Candidate[], now: Date): Promise<EligibleCandidate[]> {
    if (eligible.length === 0) return [];
    const recent = await CandidateRepository.recentOrders(
      em,
      orderId,
      eligible.map((c) => c.supplierId),
      recentSince(now),
    );
    const categoryOrders = Number(recent[0]?.category_orders ?? 0);
    const bySupplier = new Map(recent.map((f) => [f.supplier_id, Number(f.recent_orders)]));
    return eligible.map((c) => ({ ...c, recentOrders: bySupplier.get(c.supplierId) ?? 0, categoryOrders }));
  }
}

/** Start of the window of routing's counts. */
function recentSince(now: Date): Date {
  return new Date(now.getTime() - SPREAD_WINDOW_DAYS * DAY_MS);
}

function toCandidate(r: CandidateSqlRow): Candidate {
  return { supplierId: r.supplier_id, name: r.name, capabilityId: r.capability_id, priceMinor: BigInt(r.price_minor), reason: r.reason };
}

/** The fixed order of excluded rows: reason precedence, then name (code points), then id. */
export function compareExcluded(a: Candidate, b: Candidate): number {
  const ra = EXCLUSION_REASONS.indexOf(a.reason as ExclusionReason);
  const rb = EXCLUSION_REASONS.indexOf(b.reason as ExclusionReason);
  if (ra !== rb) return ra - rb;
  if (a.name !== b.name) return a.name < b.name ? -1 : 1;
  return a.supplierId < b.supplierId ? -1 : a.supplierId > b.supplierId ? 1 : 0;
}
