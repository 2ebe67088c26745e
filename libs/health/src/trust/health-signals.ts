import { formatAmount } from '@tandem/money';
import { FeeIncrease } from './fee-increases';
import { HealthMeasures } from './health-measures';
import { LOW_HUB_RATING, NEUTRAL_PART, RiskAssessment, RiskRules, TrustEvaluation, round } from './trust-equation';

/** A category share from which the network depends on one member. */
export const CONCENTRATION_SIGNAL = 0.5;
/** Take ratios within 5% of the norm are not worth a signal. */
const TAKE_TOLERANCE = 1.05;

const pct = (x: number) => `${round(x * 100, 1)}%`;
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const day = (d: Date) => d.toISOString().slice(0, 10);

const FEE_NAMES: Record<FeeIncrease['field'], string> = {
  clientFeeBps: 'client fee',
  supplierFeeBps: 'supplier fee',
  partnerShareBps: 'partner share',
};

export interface SignalContext {
  measures: HealthMeasures;
  evaluation: TrustEvaluation;
  risk: RiskAssessment;
  rules: RiskRules;
  currency: string;
  acquisitionCostPerOrder: bigint | null;
  acquisitionBaseline: bigint | null;
}

type Part = 'credibility' | 'reliability' | 'intimacy' | 'selfOrientation';

/**
 * Plain-language reasons behind atRisk and the weakest parts, most urgent first:
 * the at-risk reasons, then each part's causes from the weakest part up, then
 * what the score does not weigh but the operator should know.
 */
export function healthSignals(ctx: SignalContext): string[] {
  const { measures: m, evaluation: e, risk, rules } = ctx;
  const out: string[] = [];
  if (risk.belowThreshold) out.push(`Score ${e.score} is below the at-risk threshold of ${rules.atRiskScore}.`);
  if (risk.drop !== null) {
    out.push(`Score fell ${risk.drop} points from ${risk.reference} within the last ${plural(rules.dropLookbackDays, 'day')}.`);
  }
  if (e.neutral) {
    out.push(`No activity in the last ${m.windowDays} days: every part is neutral (${NEUTRAL_PART}).`);
  } else {
    // Weakest first; self-orientation is better when lower, so it is compared as 11 - value.
    const goodness: [Part, number][] = [
      ['credibility', e.credibility.value],
      ['reliability', e.reliability.value],
      ['intimacy', e.intimacy.value],
      ['selfOrientation', 11 - e.selfOrientation.value],
    ];
    goodness.sort((a, b) => a[1] - b[1]);
    for (const [part] of goodness) out.push(...PART_SIGNALS[part](m, e));
  }
  out.push(...contextSignals(ctx));
  return out;
}

const PART_SIGNALS: Record<Part, (m: HealthMeasures, e: TrustEvaluation) => string[]> = {
  credibility(m, e) {
    const out: string[] = [];
    const c = e.credibility;
    if (m.roles.includes('SUPPLIER') && m.vettingStatus !== 'VETTED') {
      out.push(`Vetting status is ${m.vettingStatus ?? 'not set'}: credibility starts at ${c.base}, not 9 as for a vetted supplier.`);
    }
    if (m.vettingSetbacks > 0) {
      out.push(`Suspended or revoked ${plural(m.vettingSetbacks, 'time')} in the window: credibility -${round(c.setbackPenalty, 2)}.`);
    }
    if (m.supplier.refunded > 0) {
      out.push(
        `${m.supplier.refunded} of ${plural(m.supplier.fulfilled, 'order')} it fulfilled in the window were refunded: credibility -${round(c.refundPenalty, 2)}.`,
      );
    }
    if (c.ratingReceived !== null && c.value < c.beforeRatings) {
      out.push(
        `The other side of its orders rated it ${round(c.ratingReceived, 2)} of 5 on average (${plural(m.ratingsReceived.count, 'rating')}): credibility -${round(c.beforeRatings - c.value, 2)}.`,
      );
    }
    return out;
  },
  reliability(m, e) {
    const out: string[] = [];
    const r = e.reliability;
    if (m.offers.expired > 0) out.push(`Let ${m.offers.expired} of ${plural(r.decidedOffers, 'offer')} expire without an answer.`);
    if (m.offers.declined > 0) out.push(`Declined ${m.offers.declined} of ${plural(r.decidedOffers, 'offer')}.`);
    const late = m.supplier.fulfilled - m.supplier.onTime;
    if (late > 0) out.push(`Fulfilled ${late} of ${plural(m.supplier.fulfilled, 'order')} after their deliverBy.`);
    if (m.supplier.overdue > 0) {
      out.push(`${plural(m.supplier.overdue, 'accepted order')} ${m.supplier.overdue === 1 ? 'is' : 'are'} past deliverBy and not fulfilled.`);
    }
    if (m.client.cancelled > 0) out.push(`Cancelled ${m.client.cancelled} of ${plural(m.client.placed, 'order')} it placed.`);
    if (r.evidence > 0 && r.confidence < 0.5) {
      out.push(`Reliability rests on ${plural(r.evidence, 'observation')} only, so it stays close to neutral.`);
    }
    return out;
  },
  intimacy(m, e) {
    const i = e.intimacy;
    if (i.value >= NEUTRAL_PART) return [];
    const out: string[] = [];
    if (i.tenure < 1) out.push(`Member for ${plural(Math.max(0, m.tenureDays), 'day')}: tenure counts fully after a year.`);
    if (i.repeat < 0.5) out.push(`Did business in ${m.activeWeeks} of the last ${i.windowWeeks} weeks.`);
    if (i.breadth < 1) out.push(`Active in ${plural(m.categories, 'category', 'categories')} (3 or more count fully).`);
    return out;
  },
  selfOrientation(m, e) {
    const out: string[] = [];
    const s = e.selfOrientation;
    if (s.takeRate !== null && s.normRate !== null && s.ratio > TAKE_TOLERANCE) {
      out.push(`The hub keeps ${pct(s.takeRate)} of this member's business, ${round(s.ratio, 2)} times the network norm of ${pct(s.normRate)}.`);
    }
    if (m.feeIncreases.length > 0) {
      const list = m.feeIncreases
        .map((f) => `${FEE_NAMES[f.field]} ${f.from} to ${f.to} bp on ${day(f.at)}${f.scope === 'MEMBER' ? ' (its own terms)' : ''}`)
        .join('; ');
      out.push(`Terms worsened ${plural(m.feeIncreases.length, 'time')} in the window: ${list}.`);
    }
    const low = lowHubRatings(m.ratingsOfHub.latest);
    if (low.length > 0) {
      const ratings = low.every((r) => r === low[0]) ? `${low[0]}` : `${low.slice(0, -1).join(', ')} and ${low[low.length - 1]}`;
      out.push(`Rated the hub ${ratings} of 5 on its last ${LAST_ORDERS[low.length]}: self-orientation +${round(s.hubRatingPenalty, 2)}.`);
    }
    return out;
  },
};

const LAST_ORDERS: Record<number, string> = { 1: 'order', 2: 'two orders', 3: 'three orders' };

/** The newest ratings of the hub, newest first, while they are LOW_HUB_RATING or less (the latest one low flags the member). */
export function lowHubRatings(latestFirst: readonly number[]): number[] {
  const out: number[] = [];
  for (const r of latestFirst.slice(0, 3)) {
    if (r > LOW_HUB_RATING) break;
    out.push(r);
  }
  return out;
}

function contextSignals(ctx: SignalContext): string[] {
  const out: string[] = [];
  const disputes = ctx.measures.disputes;
  if (disputes > 0) out.push(`${plural(disputes, 'dispute')} opened on its orders in the window.`);
  const top = ctx.measures.topCategory;
  if (top && top.share >= CONCENTRATION_SIGNAL) {
    const as = top.role === 'SUPPLIER' ? 'fulfilled' : 'bought';
    out.push(`It ${as} ${pct(top.share)} of the '${top.category}' business in the window: the network depends on it.`);
  }
  const { acquisitionCostPerOrder: cost, acquisitionBaseline: baseline, currency } = ctx;
  if (cost !== null && baseline !== null && cost > baseline) {
    out.push(
      `It pays ${formatAmount(cost, currency)} ${currency} per order in supplier fees, more than its declared acquisition cost of ${formatAmount(baseline, currency)} ${currency}.`,
    );
  }
  return out;
}
