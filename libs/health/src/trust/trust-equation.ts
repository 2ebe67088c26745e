import { HealthMeasures } from './health-measures';
import { MemberVetting } from './member-role';

/**
 * The trust equation, (credibility + reliability + intimacy) / selfOrientation,
 * with every part scaled 1 to 10. Pure functions of HealthMeasures; the
 * formulas, their reasons and a worked example are in docs/health.md.
 */

export const NEUTRAL_PART = 5;
export const NEUTRAL_TRUST = 3; // (5 + 5 + 5) / 5

/** Credibility starts here: a member without the SUPPLIER role is not vetted, and that is fine. */
export const CREDIBILITY_BASE_NON_SUPPLIER = 8;
export const CREDIBILITY_BASE: { readonly [S in MemberVetting]: number } = {
  VETTED: 9,
  UNDER_REVIEW: 6,
  APPLIED: 5,
  SUSPENDED: 3,
  REVOKED: 1,
};
/** Per move to SUSPENDED or REVOKED in the window, counted at most SETBACK_CAP times. */
export const SETBACK_PENALTY = 1.5;
export const SETBACK_CAP = 2;
/** Refund rate = refunded / (fulfilled + REFUND_PRIOR): a lone refund among few orders does not sink it. */
export const REFUND_PENALTY = 8;
export const REFUND_PRIOR = 2;

/**
 * Ratings received pull credibility toward what they say: the average (1 to 5)
 * maps onto 1 to 10, and weighs at most RATING_WEIGHT, by n / (n + EVIDENCE_PRIOR).
 */
export const RATING_WEIGHT = 0.5;
/** A rating of the hub below this is the hub's self-orientation showing; each point below it costs HUB_RATING_COST (times the evidence weight). */
export const NEUTRAL_RATING = 3;
export const HUB_RATING_COST = 1.5;
/** A newest rating of the hub at or below this is flagged with a signal (docs/health.md, "Ratings"). */
export const LOW_HUB_RATING = 2;

/** Reliability weights of the supplier's rates (only the rates it has evidence for count). */
export const RELIABILITY_WEIGHTS = { accept: 0.3, answer: 0.2, onTime: 0.5 } as const;
/** Each point of misses (1 - x) costs this much from 10, so 50% misses is the floor of 1. */
export const RELIABILITY_MISS_COST = 18;
/** Pseudo-observations pulling a part with little evidence toward neutral: weight n / (n + k). */
export const EVIDENCE_PRIOR = 3;

export const INTIMACY_WEIGHTS = { tenure: 0.4, repeat: 0.4, breadth: 0.2 } as const;
export const TENURE_FULL_DAYS = 365;
export const BREADTH_FULL_CATEGORIES = 3;

/** Self-orientation at the network's norm; each fee increase in the window adds 1 (at most 3). */
export const SELF_ORIENTATION_AT_NORM = 5;
export const FEE_INCREASE_PENALTY = 1;
export const FEE_INCREASE_CAP = 3;

const clampPart = (x: number) => Math.min(10, Math.max(1, x));
export const round = (x: number, digits: number) => {
  const f = 10 ** digits;
  return Math.round((x + Number.EPSILON * Math.sign(x)) * f) / f;
};

export interface CredibilityDetail {
  value: number;
  base: number;
  setbackPenalty: number;
  refundRate: number;
  refundPenalty: number;
  /** Vetting, setbacks and refunds alone, before ratings. */
  beforeRatings: number;
  /** Average rating received (1 to 5), null with none; as a part (1 to 10); and the weight it got. */
  ratingReceived: number | null;
  ratedPart: number | null;
  ratingWeight: number;
}

export interface ReliabilityDetail {
  value: number;
  /** Offers it answered or let expire (accepted + declined + expired). */
  decidedOffers: number;
  acceptRate: number | null;
  /** Share of decided offers it answered (not expired). */
  answerRate: number | null;
  /** On time / (fulfilled + overdue). */
  onTimeRate: number | null;
  cancelRate: number | null;
  /** Combined rate x in [0, 1] and the part before weighting by evidence. */
  rate: number | null;
  raw: number;
  evidence: number;
  confidence: number;
}

export interface IntimacyDetail {
  value: number;
  tenure: number;
  repeat: number;
  windowWeeks: number;
  breadth: number;
}

export interface SelfOrientationDetail {
  value: number;
  /** Business it did through the hub: purchases as a client plus earned business as a supplier. */
  business: bigint;
  /** What the hub kept from it: its fees less the partner shares paid on them. */
  hubTake: bigint;
  /** hubTake / business, or null without business. */
  takeRate: number | null;
  /** What the network's average take would be on the same business, as a rate. */
  normRate: number | null;
  /** takeRate / normRate; 1 when either is unknown. */
  ratio: number;
  increases: number;
  increasePenalty: number;
  /** Average rating the member gave the hub (1 to 5), null with none, and what it added. */
  ratingOfHub: number | null;
  hubRatingPenalty: number;
}

export interface TrustEvaluation {
  /** True when nothing was recorded in the window: every part is neutral. */
  neutral: boolean;
  credibility: CredibilityDetail;
  reliability: ReliabilityDetail;
  intimacy: IntimacyDetail;
  selfOrientation: SelfOrientationDetail;
  trust: number;
  score: number;
}

/** Anything recorded in the window: an offer, an order either way, a posting. */
export function hasActivity(m: HealthMeasures): boolean {
  const o = m.offers;
  return (
    o.accepted + o.declined + o.expired + o.open + o.withdrawn > 0 ||
    m.supplier.fulfilled + m.supplier.overdue > 0 ||
    m.client.placed > 0 ||
    m.money.postings > 0 ||
    m.ratingsReceived.count + m.ratingsOfHub.count + m.disputes > 0
  );
}

export function credibilityOf(m: HealthMeasures): CredibilityDetail {
  const isSupplier = m.roles.includes('SUPPLIER');
  const base = isSupplier ? CREDIBILITY_BASE[m.vettingStatus ?? 'APPLIED'] : CREDIBILITY_BASE_NON_SUPPLIER;
  const setbackPenalty = SETBACK_PENALTY * Math.min(m.vettingSetbacks, SETBACK_CAP);
  const refundRate = m.supplier.refunded / (m.supplier.fulfilled + REFUND_PRIOR);
  const refundPenalty = REFUND_PENALTY * refundRate;
  const beforeRatings = clampPart(base - setbackPenalty - refundPenalty);
  const { count, sum } = m.ratingsReceived;
  const ratingReceived = count > 0 ? sum / count : null;
  const ratedPart = ratingReceived === null ? null : 1 + (9 * (ratingReceived - 1)) / 4;
  const ratingWeight = (RATING_WEIGHT * count) / (count + EVIDENCE_PRIOR);
  const value = ratedPart === null ? beforeRatings : clampPart((1 - ratingWeight) * beforeRatings + ratingWeight * ratedPart);
  return { value, base, setbackPenalty, refundRate, refundPenalty, beforeRatings, ratingReceived, ratedPart, ratingWeight };
}

export function reliabilityOf(m: HealthMeasures): ReliabilityDetail {
  const { accepted, declined, expired } = m.offers;
  const decided = accepted + declined + expired;
  const due = m.supplier.fulfilled + m.supplier.overdue;
  const acceptRate = decided > 0 ? accepted / decided : null;
  const answerRate = decided > 0 ? 1 - expired / decided : null;
  const onTimeRate = due > 0 ? m.supplier.onTime / due : null;
  const cancelRate = m.client.placed > 0 ? m.client.cancelled / m.client.placed : null;

  // The supplier's rates, weighted among those it has evidence for.
  const terms: [number, number | null][] = [
    [RELIABILITY_WEIGHTS.accept, acceptRate],
    [RELIABILITY_WEIGHTS.answer, answerRate],
    [RELIABILITY_WEIGHTS.onTime, onTimeRate],
  ];
  let weight = 0;
  let sum = 0;
  for (const [w, v] of terms) {
    if (v === null) continue;
    weight += w;
    sum += w * v;
  }
  const supplierRate = weight > 0 ? sum / weight : null;
  const supplierEvidence = decided + due;
  const clientEvidence = m.client.placed;
  const evidence = supplierEvidence + clientEvidence;

  // Each role's rate counts by how much it did in that role.
  const rate = evidence > 0 ? ((supplierRate ?? 0) * supplierEvidence + (cancelRate === null ? 0 : (1 - cancelRate) * clientEvidence)) / evidence : null;
  const raw = rate === null ? NEUTRAL_PART : clampPart(10 - RELIABILITY_MISS_COST * (1 - rate));
  const confidence = evidence / (evidence + EVIDENCE_PRIOR);
  return {
    value: NEUTRAL_PART + (raw - NEUTRAL_PART) * confidence,
    decidedOffers: decided,
    acceptRate,
    answerRate,
    onTimeRate,
    cancelRate,
    rate,
    raw,
    evidence,
    confidence,
  };
}

export function intimacyOf(m: HealthMeasures): IntimacyDetail {
  const tenure = Math.min(1, Math.max(0, m.tenureDays) / TENURE_FULL_DAYS);
  const windowWeeks = Math.ceil(m.windowDays / 7);
  const repeat = Math.min(1, m.activeWeeks / windowWeeks);
  const breadth = Math.min(1, m.categories / BREADTH_FULL_CATEGORIES);
  const x = INTIMACY_WEIGHTS.tenure * tenure + INTIMACY_WEIGHTS.repeat * repeat + INTIMACY_WEIGHTS.breadth * breadth;
  return { value: clampPart(1 + 9 * x), tenure, repeat, windowWeeks, breadth };
}

export function selfOrientationOf(m: HealthMeasures): SelfOrientationDetail {
  const { purchases, earned, clientFees, supplierFees, sharesOnMemberFees } = m.money;
  const business = purchases + earned;
  const hubTake = clientFees + supplierFees - sharesOnMemberFees;
  // Rates, not money: a Number is exact enough for a ratio of two amounts.
  const expected = Number(purchases) * m.takeNorm.client + Number(earned) * m.takeNorm.supplier;
  const known = business > 0n && expected > 0;
  const takeRate = business > 0n ? Number(hubTake) / Number(business) : null;
  const normRate = known ? expected / Number(business) : null;
  const ratio = known ? Math.max(0, Number(hubTake) / expected) : 1;
  const increases = Math.min(m.feeIncreases.length, FEE_INCREASE_CAP);
  const increasePenalty = FEE_INCREASE_PENALTY * increases;
  const { count, sum } = m.ratingsOfHub;
  const ratingOfHub = count > 0 ? sum / count : null;
  const hubRatingPenalty = ratingOfHub === null ? 0 : (HUB_RATING_COST * Math.max(0, NEUTRAL_RATING - ratingOfHub) * count) / (count + EVIDENCE_PRIOR);
  return {
    value: clampPart(SELF_ORIENTATION_AT_NORM * ratio + increasePenalty + hubRatingPenalty),
    business,
    hubTake,
    takeRate,
    normRate,
    ratio,
    increases: m.feeIncreases.length,
    increasePenalty,
    ratingOfHub,
    hubRatingPenalty,
  };
}

/** (c + r + i) / s from parts already rounded to 2 decimals, so it can be checked from what the API shows. */
export function trustOf(c: number, r: number, i: number, s: number): number {
  return round((c + r + i) / s, 2);
}

/**
 * 0 to 100 from trust (0.3 to 30): neutral trust 3 scores 50 and each tenfold
 * of trust is 100 points, so doubling trust adds about 30.
 */
export function scoreOf(trust: number): number {
  return round(Math.min(100, Math.max(0, 50 + 100 * Math.log10(trust / NEUTRAL_TRUST))), 1);
}

export function evaluateTrust(m: HealthMeasures): TrustEvaluation {
  const credibility = credibilityOf(m);
  const reliability = reliabilityOf(m);
  const intimacy = intimacyOf(m);
  const selfOrientation = selfOrientationOf(m);
  const neutral = !hasActivity(m);
  // The contract: no activity, neutral parts. The details stay, for the signals.
  const c = neutral ? NEUTRAL_PART : round(credibility.value, 2);
  const r = neutral ? NEUTRAL_PART : round(reliability.value, 2);
  const i = neutral ? NEUTRAL_PART : round(intimacy.value, 2);
  const s = neutral ? NEUTRAL_PART : round(selfOrientation.value, 2);
  const trust = trustOf(c, r, i, s);
  return {
    neutral,
    credibility: { ...credibility, value: c },
    reliability: { ...reliability, value: r },
    intimacy: { ...intimacy, value: i },
    selfOrientation: { ...selfOrientation, value: s },
    trust,
    score: scoreOf(trust),
  };
}

export interface RiskRules {
  atRiskScore: number;
  sharpDrop: number;
  dropLookbackDays: number;
}

export interface RiskAssessment {
  atRisk: boolean;
  belowThreshold: boolean;
  /** Points lost against the best snapshot of the lookback period, when that is a sharp drop. */
  drop: number | null;
  reference: number | null;
}

/**
 * At risk below the threshold, or after a sharp drop against the best snapshot
 * of the last few days (so one bad snapshot does not clear the flag at the next).
 */
export function assessRisk(score: number, bestRecent: number | null, rules: RiskRules): RiskAssessment {
  const belowThreshold = score < rules.atRiskScore;
  // In tenths, as scores are kept: 60.3 - 45.3 must be 15, not 14.999...
  const fallTenths = bestRecent === null ? 0 : Math.round(bestRecent * 10) - Math.round(score * 10);
  const sharp = bestRecent !== null && fallTenths >= rules.sharpDrop * 10;
  return { atRisk: belowThreshold || sharp, belowThreshold, drop: sharp ? fallTenths / 10 : null, reference: bestRecent };
}

/** a / b rounded half away from zero to a whole number of minor units. */
export function divRoundHalfUp(a: bigint, b: bigint): bigint {
  if (b <= 0n) throw new RangeError('divisor must be positive');
  const magnitude = a < 0n ? -a : a;
  const q = (2n * magnitude + b) / (2n * b);
  return a < 0n ? -q : q;
}

export interface RelationshipValues {
  valueToMember: bigint;
  valueToHub: bigint;
  /** Suppliers with orders fulfilled (and not refunded) in the window: supplier fees / those orders. */
  acquisitionCostPerOrder: bigint | null;
}

/** docs/api.md, "Health": both sides' value, from posted activity net of refunds. */
export function relationshipValues(m: HealthMeasures): RelationshipValues {
  const { purchases, clientFees, earned, supplierFees, sharesEarned, sharesOnMemberFees } = m.money;
  const kept = m.supplier.fulfilled - m.supplier.refunded;
  return {
    valueToMember: earned - supplierFees + purchases + sharesEarned,
    valueToHub: clientFees + supplierFees - sharesOnMemberFees,
    acquisitionCostPerOrder: m.roles.includes('SUPPLIER') && kept > 0 ? divRoundHalfUp(supplierFees, BigInt(kept)) : null,
  };
}
