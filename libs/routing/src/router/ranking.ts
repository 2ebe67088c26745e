import { RoutingPolicy } from './routing-policy';

/** What routing knows of one eligible supplier (counts from the offers and orders tables). */
export interface CandidateFeatures {
  supplierId: string;
  priceMinor: bigint;
  /** Offers it accepted / passed on (declined or let expire) in the look-back window. */
  offersAccepted: number;
  offersPassed: number;
  /** Orders it fulfilled in the window, and how many of those by their deliverBy. */
  fulfilled: number;
  fulfilledOnTime: number;
  /** Orders of this category it took in the last 30 days, and all the network's orders of the category then. */
  recentOrders: number;
  categoryOrders: number;
  /** Relationship health, 0 (poor) to 1 (excellent); 0.5 is neutral. */
  health: number;
}

export interface ScoredCandidate extends CandidateFeatures {
  /** 0 to 100, higher is better. */
  score: number;
}

/** Laplace-smoothed rate: a supplier with no record scores a neutral 0.5. */
export function smoothedRate(successes: number, total: number): number {
  return (successes + 1) / (total + 2);
}

export function reliabilityOf(c: CandidateFeatures): number {
  const acceptance = smoothedRate(c.offersAccepted, c.offersAccepted + c.offersPassed);
  const onTime = smoothedRate(c.fulfilledOnTime, c.fulfilled);
  return (acceptance + onTime) / 2;
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
      policy.reliabilityWeight * reliabilityOf(c) +
      policy.healthWeight * clamp01(c.health) +
      policy.spreadWeight * spreadFactor(c);
    const score = total > 0 ? Math.round((100 * weighted * 10_000) / total) / 10_000 : 0;
    return { ...c, score };
  });
  return scored.sort((a, b) => b.score - a.score || (a.supplierId < b.supplierId ? -1 : a.supplierId > b.supplierId ? 1 : 0));
}
