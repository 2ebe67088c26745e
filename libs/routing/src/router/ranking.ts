import { RoutingPolicy } from './routing-policy';

/** What routing knows of one eligible supplier. */
export interface CandidateFeatures {
  supplierId: string;
  priceMinor: bigint;
  /** Orders of this category it took in the last 30 days, and all the network's orders of the category then. */
  recentOrders: number;
  categoryOrders: number;
  /** Relationship health, 0 (poor) to 1 (excellent); 0.5 is neutral. */
  health: number;
  /**
   * The trust equation's reliability part scaled to 0..1 (SupplierStanding in
   * libs/health/src/health/health.service.ts); 0.5 is neutral. Health's score contains this part
   * too, so both weights lean on one measure rather than on two formulas.
   */
  reliability: number;
}

export interface ScoredCandidate extends CandidateFeatures {
  /** 0 to 100, higher is better. */
  score: number;
}

/** 1 for the cheapest, 0.5 for twice its price. Bigints are scaled first so no precision is lost on large amounts. */
export function priceFactor(priceMinor: bigint, cheapestMinor: bigint): number {
  if (priceMinor <= 0n) return 1;
  return Number((cheapestMinor * 1_000_000n) / priceMinor) / 1_000_000;
}

/** A supplier with a smaller recent share of the category's business scores higher. */
export function spreadFactor(c: CandidateFeatures): number {
  if (c.categoryOrders <= 0) return 1;
  return 1 - Math.min(1, c.recentOrders / c.categoryOrders);
}

const clamp01 = (x: number) => (Number.isFinite(x) ? Math.min(1, Math.max(0, x)) : 0.5);

/**
 * Scores the eligible suppliers and sorts them best first. Scores are rounded to
 * four decimals so equal inputs tie exactly; ties go to the smaller supplier id.
 */
export function rankCandidates<T extends CandidateFeatures>(candidates: T[], policy: RoutingPolicy): (T & { score: number })[] {
  if (candidates.length === 0) return [];
  const cheapest = candidates.reduce((min, c) => (c.priceMinor < min ? c.priceMinor : min), candidates[0].priceMinor);
  const total = policy.priceWeight + policy.reliabilityWeight + policy.healthWeight + policy.spreadWeight;
  const scored = candidates.map((c) => {
    const weighted =
      policy.priceWeight * priceFactor(c.priceMinor, cheapest) +
      policy.reliabilityWeight * clamp01(c.reliability) +
      policy.healthWeight * clamp01(c.health) +
      policy.spreadWeight * spreadFactor(c);
    const score = total > 0 ? Math.round((100 * weighted * 10_000) / total) / 10_000 : 0;
    return { ...c, score };
  });
  return scored.sort((a, b) => b.score - a.score || (a.supplierId < b.supplierId ? -1 : a.supplierId > b.supplierId ? 1 : 0));
}
