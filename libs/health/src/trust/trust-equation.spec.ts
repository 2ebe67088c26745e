import { emptyMeasures, HealthMeasures } from './health-measures';
import { healthSignals, lowHubRatings } from './health-signals';
import { MemberRole } from './member-role';
import {
  assessRisk,
  credibilityOf,
  divRoundHalfUp,
  evaluateTrust,
  hasActivity,
  intimacyOf,
  relationshipValues,
  reliabilityOf,
  scoreOf,
  selfOrientationOf,
  trustOf,
} from './trust-equation';

const DAY = 86_400_000;

/** The worked example of docs/health.md: Bloom & Co, a vetted florist, over a 90-day window. */
export function bloomMeasures(over: Partial<HealthMeasures> = {}): HealthMeasures {
  return emptyMeasures({
    windowDays: 90,
    roles: ['SUPPLIER'],
    vettingStatus: 'VETTED',
    tenureDays: 200,
    offers: { accepted: 16, declined: 3, expired: 1, open: 0, withdrawn: 0 },
    supplier: { fulfilled: 15, onTime: 13, overdue: 1, refunded: 1 },
    activeWeeks: 10,
    categories: 2,
    money: { purchases: 0n, clientFees: 0n, earned: 168_000n, supplierFees: 10_080n, sharesEarned: 0n, sharesOnMemberFees: 2_016n, postings: 32 },
    takeNorm: { client: 0.08, supplier: 0.045, source: 'NETWORK' },
    feeIncreases: [{ field: 'supplierFeeBps', from: 500, to: 600, at: new Date('2026-09-01T00:00:00Z'), scope: 'MEMBER' }],
    topCategory: { category: 'flowers', share: 0.625, role: 'SUPPLIER' },
    ...over,
  });
}

describe('the trust equation', () => {
  it('reproduces the worked example of docs/health.md exactly', () => {
    const e = evaluateTrust(bloomMeasures());
    expect(e.neutral).toBe(false);
    expect(e.credibility.value).toBe(8.53);
    expect(e.reliability.value).toBe(6.89);
    expect(e.intimacy.value).toBe(6.94);
    expect(e.selfOrientation.value).toBe(6.33);
    expect(e.trust).toBe(3.53);
    expect(e.score).toBe(57.1);
    // The intermediate numbers the document shows.
    expect(e.credibility.refundPenalty).toBeCloseTo(8 / 17, 10);
    expect(e.reliability.rate).toBeCloseTo(0.83625, 10);
    expect(e.reliability.raw).toBeCloseTo(7.0525, 10);
    expect(e.reliability.confidence).toBeCloseTo(36 / 39, 10);
    expect(e.selfOrientation.takeRate).toBeCloseTo(0.048, 10);
    expect(e.selfOrientation.normRate).toBeCloseTo(0.045, 10);
    expect(e.selfOrientation.ratio).toBeCloseTo(16 / 15, 10);
    expect(relationshipValues(bloomMeasures())).toEqual({ valueToMember: 157_920n, valueToHub: 8_064n, acquisitionCostPerOrder: 720n });
  });

  it('gives a member with no activity neutral parts, trust 3 and score 50', () => {
    for (const roles of [['CLIENT'], ['SUPPLIER'], ['PARTNER'], ['CLIENT', 'SUPPLIER', 'PARTNER']] as MemberRole[][]) {
      const m = emptyMeasures({ roles, vettingStatus: roles.includes('SUPPLIER') ? 'REVOKED' : null, tenureDays: 800 });
      expect(hasActivity(m)).toBe(false);
      const e = evaluateTrust(m);
      expect(e).toMatchObject({ neutral: true, trust: 3, score: 50 });
      expect([e.credibility.value, e.reliability.value, e.intimacy.value, e.selfOrientation.value]).toEqual([5, 5, 5, 5]);
    }
  });

  it.each([
    ['an open offer', { offers: { accepted: 0, declined: 0, expired: 0, open: 1, withdrawn: 0 } }],
    ['a withdrawn offer', { offers: { accepted: 0, declined: 0, expired: 0, open: 0, withdrawn: 1 } }],
    ['an order placed', { client: { placed: 1, cancelled: 0 } }],
    ['an overdue order', { supplier: { fulfilled: 0, onTime: 0, overdue: 1, refunded: 0 } }],
    ['a posting (a partner share)', { money: { ...emptyMeasures().money, sharesEarned: 240n, postings: 1 } }],
  ])('counts %s as activity', (_, over) => {
    expect(hasActivity(emptyMeasures(over as Partial<HealthMeasures>))).toBe(true);
  });

  it('never returns NaN or a part outside 1 to 10, whatever the measures', () => {
    const extremes: Partial<HealthMeasures>[] = [
      { client: { placed: 5, cancelled: 5 }, tenureDays: -3 },
      {
        roles: ['SUPPLIER'],
        vettingStatus: 'REVOKED',
        vettingSetbacks: 9,
        supplier: { fulfilled: 1, onTime: 0, overdue: 50, refunded: 1 },
        offers: { accepted: 1, declined: 0, expired: 99, open: 0, withdrawn: 0 },
      },
      { money: { ...emptyMeasures().money, purchases: -5000n, clientFees: -500n, postings: 2 } },
      {
        money: { ...emptyMeasures().money, purchases: 100n, clientFees: 100n, postings: 2 },
        feeIncreases: Array(9).fill({ field: 'clientFeeBps', from: 1, to: 2, at: new Date(), scope: 'NETWORK' }),
      },
      { money: { ...emptyMeasures().money, purchases: 1000n, clientFees: 0n, postings: 1 }, takeNorm: { client: 0, supplier: 0, source: 'SCHEDULE' } },
      { tenureDays: 10_000, activeWeeks: 999, categories: 50, client: { placed: 1, cancelled: 0 } },
    ];
    for (const over of extremes) {
      const e = evaluateTrust(emptyMeasures(over));
      for (const v of [e.credibility.value, e.reliability.value, e.intimacy.value, e.selfOrientation.value]) {
        expect(v).toBeGreaterThanOrEqual(1);
        expect(v).toBeLessThanOrEqual(10);
      }
      expect(e.trust).toBeGreaterThanOrEqual(0.3);
      expect(e.trust).toBeLessThanOrEqual(30);
      expect(e.score).toBeGreaterThanOrEqual(0);
      expect(e.score).toBeLessThanOrEqual(100);
      expect(Number.isNaN(e.score)).toBe(false);
    }
  });
});

describe('credibility', () => {
  it('starts from the vetting status, lower for each step away from VETTED', () => {
    const of = (vettingStatus: HealthMeasures['vettingStatus']) => credibilityOf(emptyMeasures({ roles: ['SUPPLIER'], vettingStatus })).value;
    expect([of('VETTED'), of('UNDER_REVIEW'), of('APPLIED'), of('SUSPENDED'), of('REVOKED')]).toEqual([9, 6, 5, 3, 1]);
    expect(credibilityOf(emptyMeasures({ roles: ['CLIENT', 'PARTNER'] })).value).toBe(8);
  });

  it('loses 1.5 per suspension or revocation in the window, at most twice', () => {
    const of = (vettingSetbacks: number) => credibilityOf(emptyMeasures({ roles: ['SUPPLIER'], vettingStatus: 'VETTED', vettingSetbacks })).value;
    expect([of(0), of(1), of(2), of(5)]).toEqual([9, 7.5, 6, 6]);
  });

  it('loses 8 x refunded / (fulfilled + 2): refunds lower credibility', () => {
    const of = (fulfilled: number, refunded: number) =>
      credibilityOf(emptyMeasures({ roles: ['SUPPLIER'], vettingStatus: 'VETTED', supplier: { fulfilled, onTime: fulfilled, overdue: 0, refunded } })).value;
    expect(of(8, 0)).toBe(9);
    expect(of(8, 1)).toBeCloseTo(8.2, 10);
    expect(of(8, 4)).toBeCloseTo(5.8, 10);
    expect(of(8, 8)).toBeCloseTo(2.6, 10);
    expect(of(1, 1)).toBeCloseTo(9 - 8 / 3, 10);
  });

  it('never goes below 1', () => {
    const m = emptyMeasures({
      roles: ['SUPPLIER'],
      vettingStatus: 'REVOKED',
      vettingSetbacks: 2,
      supplier: { fulfilled: 3, onTime: 3, overdue: 0, refunded: 3 },
    });
    expect(credibilityOf(m).value).toBe(1);
  });
});

describe('reliability', () => {
  const supplier = (offers: [number, number, number], fulfilled: number, onTime: number, overdue = 0) =>
    emptyMeasures({
      roles: ['SUPPLIER'],
      vettingStatus: 'VETTED',
      offers: { accepted: offers[0], declined: offers[1], expired: offers[2], open: 0, withdrawn: 0 },
      supplier: { fulfilled, onTime, overdue, refunded: 0 },
    });

  it('ranks a supplier that accepts and fulfils on time above one that declines and lets offers expire', () => {
    const good = reliabilityOf(supplier([10, 0, 0], 10, 10)).value;
    const decliner = reliabilityOf(supplier([4, 6, 0], 4, 4)).value;
    const expirer = reliabilityOf(supplier([4, 0, 6], 4, 4)).value;
    expect(good).toBeCloseTo(5 + 5 * (20 / 23), 10);
    expect(good).toBeGreaterThan(decliner);
    // Letting an offer expire is worse than declining it.
    expect(decliner).toBeGreaterThan(expirer);
    expect(expirer).toBeLessThan(5);
  });

  it('counts late fulfilment and overdue orders against on-time delivery', () => {
    const onTime = reliabilityOf(supplier([10, 0, 0], 10, 10)).value;
    const late = reliabilityOf(supplier([10, 0, 0], 10, 7)).value;
    const overdue = reliabilityOf(supplier([10, 0, 0], 9, 9, 1)).value;
    expect(late).toBeLessThan(onTime);
    expect(overdue).toBeLessThan(onTime);
    // 7 of 10 on time: x = 0.3 + 0.2 + 0.5 * 0.7 = 0.85, raw = 10 - 18 * 0.15 = 7.3, weight 20/23.
    expect(late).toBeCloseTo(5 + 2.3 * (20 / 23), 10);
  });

  it('weights little evidence toward neutral', () => {
    const one = reliabilityOf(supplier([1, 0, 0], 1, 1)).value;
    const many = reliabilityOf(supplier([30, 0, 0], 30, 30)).value;
    expect(one).toBeCloseTo(5 + 5 * (2 / 5), 10);
    expect(many).toBeGreaterThan(one);
    expect(reliabilityOf(emptyMeasures()).value).toBe(5);
  });

  it('uses only the rates with evidence: offers without deliveries yet', () => {
    const r = reliabilityOf(supplier([3, 1, 0], 0, 0));
    expect(r.onTimeRate).toBeNull();
    // x = (0.3 * 0.75 + 0.2 * 1) / 0.5 = 0.85
    expect(r.rate).toBeCloseTo(0.85, 10);
  });

  it("counts a client's cancellations, and blends roles by how much each did", () => {
    const client = reliabilityOf(emptyMeasures({ client: { placed: 10, cancelled: 4 } }));
    expect(client.rate).toBeCloseTo(0.6, 10);
    expect(client.raw).toBe(2.8);
    const both = reliabilityOf(
      emptyMeasures({
        roles: ['CLIENT', 'SUPPLIER'],
        vettingStatus: 'VETTED',
        client: { placed: 10, cancelled: 0 },
        offers: { accepted: 5, declined: 0, expired: 5, open: 0, withdrawn: 0 },
      }),
    );
    // supplier: x = (0.3 * 0.5 + 0.2 * 0.5) / 0.5 = 0.5 over 10 offers; client: 1 over 10 orders.
    expect(both.rate).toBeCloseTo(0.75, 10);
  });

  it('floors at 1 at half misses', () => {
    expect(reliabilityOf(supplier([0, 0, 100], 0, 0)).raw).toBe(1);
  });
});

describe('intimacy', () => {
  it('grows with tenure, repeat business and breadth of categories', () => {
    const base = intimacyOf(emptyMeasures({ tenureDays: 0, activeWeeks: 0, categories: 0 }));
    expect(base.value).toBe(1);
    expect(intimacyOf(emptyMeasures({ tenureDays: 365, activeWeeks: 13, categories: 3 })).value).toBe(10);
    expect(intimacyOf(emptyMeasures({ tenureDays: 365 * 5, activeWeeks: 0, categories: 0 })).value).toBeCloseTo(1 + 9 * 0.4, 10);
    expect(intimacyOf(emptyMeasures({ activeWeeks: 13 })).value).toBeCloseTo(4.6, 10);
    expect(intimacyOf(emptyMeasures({ categories: 1 })).value).toBeCloseTo(1 + (9 * 0.2) / 3, 10);
  });

  it('counts weeks of the configured window', () => {
    expect(intimacyOf(emptyMeasures({ windowDays: 30, activeWeeks: 5 })).repeat).toBe(1);
    expect(intimacyOf(emptyMeasures({ windowDays: 30, activeWeeks: 2 })).windowWeeks).toBe(5);
  });
});

describe('self-orientation', () => {
  const client = (clientFees: bigint, sharesOnMemberFees = 0n, feeIncreases: HealthMeasures['feeIncreases'] = []) =>
    emptyMeasures({
      money: { ...emptyMeasures().money, purchases: 100_000n, clientFees, sharesOnMemberFees, postings: 2 },
      takeNorm: { client: 0.1, supplier: 0.05, source: 'NETWORK' },
      feeIncreases,
    });

  it('is 5 at the network norm and rises with the hub take: a higher take rate lowers trust', () => {
    expect(selfOrientationOf(client(10_000n)).value).toBe(5);
    expect(selfOrientationOf(client(15_000n)).value).toBeCloseTo(7.5, 10);
    expect(selfOrientationOf(client(5_000n)).value).toBeCloseTo(2.5, 10);
    const fair = evaluateTrust(client(10_000n));
    const greedy = evaluateTrust(client(15_000n));
    expect(greedy.trust).toBeLessThan(fair.trust);
    expect(greedy.score).toBeLessThan(fair.score);
  });

  it('counts what partners received out of the member fees as not kept by the hub', () => {
    const s = selfOrientationOf(client(10_000n, 2_000n));
    expect(s.hubTake).toBe(8_000n);
    expect(s.value).toBeCloseTo(4, 10);
  });

  it('compares each role with its own side of the norm', () => {
    const m = emptyMeasures({
      roles: ['CLIENT', 'SUPPLIER'],
      money: { ...emptyMeasures().money, purchases: 100_000n, clientFees: 10_000n, earned: 100_000n, supplierFees: 5_000n, postings: 4 },
      takeNorm: { client: 0.1, supplier: 0.05, source: 'NETWORK' },
    });
    expect(selfOrientationOf(m).ratio).toBeCloseTo(1, 10);
  });

  it('adds 1 per fee increase in the window, at most 3', () => {
    const inc = { field: 'clientFeeBps' as const, from: 1000, to: 1100, at: new Date(), scope: 'NETWORK' as const };
    expect(selfOrientationOf(client(10_000n, 0n, [inc])).value).toBe(6);
    expect(selfOrientationOf(client(10_000n, 0n, [inc, inc, inc, inc, inc])).value).toBe(8);
  });

  it('is neutral without business, and capped at 10', () => {
    expect(selfOrientationOf(emptyMeasures({ roles: ['PARTNER'] })).value).toBe(5);
    expect(selfOrientationOf(client(90_000n)).value).toBe(10);
  });
});

describe('trust and score', () => {
  it('divides the sum of the first three parts by self-orientation', () => {
    expect(trustOf(8, 7, 6, 5)).toBe(4.2);
    expect(trustOf(10, 10, 10, 1)).toBe(30);
    expect(trustOf(1, 1, 1, 10)).toBe(0.3);
  });

  it('maps trust to 0-100 on a log scale: 3 is 50, 30 is 100, 0.3 is 0, doubling adds about 30', () => {
    expect(scoreOf(3)).toBe(50);
    expect(scoreOf(30)).toBe(100);
    expect(scoreOf(0.3)).toBe(0);
    expect(scoreOf(6)).toBe(80.1);
    expect(scoreOf(1.5)).toBe(19.9);
    expect(scoreOf(0.5)).toBe(0);
    expect(scoreOf(12)).toBe(100);
  });
});

describe('at risk', () => {
  const rules = { atRiskScore: 40, sharpDrop: 15, dropLookbackDays: 7 };
  it('flags a score below the threshold', () => {
    expect(assessRisk(39.9, null, rules)).toMatchObject({ atRisk: true, belowThreshold: true, drop: null });
    expect(assessRisk(40, null, rules).atRisk).toBe(false);
  });
  it('flags a drop of 15 points or more against the best recent snapshot', () => {
    expect(assessRisk(45.3, 60.3, rules)).toMatchObject({ atRisk: true, belowThreshold: false, drop: 15 });
    expect(assessRisk(45.4, 60.3, rules)).toMatchObject({ atRisk: false, drop: null });
    expect(assessRisk(70, 60, rules).atRisk).toBe(false);
  });
});

describe('relationship values', () => {
  it('sums the value to the member over its roles and the hub keeps fees less shares', () => {
    const m = emptyMeasures({
      roles: ['CLIENT', 'SUPPLIER', 'PARTNER'],
      money: { purchases: 12_000n, clientFees: 1_200n, earned: 24_000n, supplierFees: 1_200n, sharesEarned: 480n, sharesOnMemberFees: 240n, postings: 9 },
      supplier: { fulfilled: 3, onTime: 3, overdue: 0, refunded: 1 },
    });
    expect(relationshipValues(m)).toEqual({ valueToMember: 24_000n - 1_200n + 12_000n + 480n, valueToHub: 2_160n, acquisitionCostPerOrder: 600n });
  });

  it('has no acquisition cost for a non-supplier or without orders kept', () => {
    expect(
      relationshipValues(emptyMeasures({ roles: ['CLIENT'], supplier: { fulfilled: 2, onTime: 2, overdue: 0, refunded: 0 } })).acquisitionCostPerOrder,
    ).toBeNull();
    expect(
      relationshipValues(emptyMeasures({ roles: ['SUPPLIER'], supplier: { fulfilled: 1, onTime: 1, overdue: 0, refunded: 1 } })).acquisitionCostPerOrder,
    ).toBeNull();
  });

  it('rounds the cost per order half up to the minor unit', () => {
    expect(divRoundHalfUp(10n, 4n)).toBe(3n);
    expect(divRoundHalfUp(10n, 3n)).toBe(3n);
    expect(divRoundHalfUp(-10n, 4n)).toBe(-3n);
    expect(divRoundHalfUp(11n, 2n)).toBe(6n);
  });
});

export const days = (n: number) => n * DAY;

const RATING_RULES = { atRiskScore: 40, sharpDrop: 15, dropLookbackDays: 7 };

/** docs/health.md, "Worked example: ratings": Bloom & Co once both sides have had their say. */
const rated = () =>
  bloomMeasures({
    ratingsReceived: { count: 4, sum: 16 },
    ratingsOfHub: { count: 3, sum: 6, latest: [2, 2, 2] },
    disputes: 1,
  });

describe('ratings in the trust equation', () => {
  it('reproduces the ratings worked example of docs/health.md exactly', () => {
    const e = evaluateTrust(rated());
    expect(e.credibility.ratingReceived).toBe(4);
    expect(e.credibility.ratedPart).toBe(7.75);
    expect(e.credibility.ratingWeight).toBeCloseTo(2 / 7, 12);
    expect(e.credibility.beforeRatings).toBeCloseTo(9 - 8 / 17, 12);
    expect(e.credibility.value).toBe(8.31);
    expect(e.selfOrientation.ratingOfHub).toBe(2);
    expect(e.selfOrientation.hubRatingPenalty).toBe(0.75);
    expect(e.selfOrientation.value).toBe(7.08);
    expect([e.reliability.value, e.intimacy.value]).toEqual([6.89, 6.94]);
    expect(e.trust).toBe(3.13);
    expect(e.score).toBe(51.8);
    const signals = healthSignals({
      measures: rated(),
      evaluation: e,
      risk: assessRisk(e.score, null, RATING_RULES),
      rules: RATING_RULES,
      currency: 'USD',
      acquisitionCostPerOrder: 720n,
      acquisitionBaseline: 10_000n,
    });
    expect(signals).toContain('Rated the hub 2 of 5 on its last three orders: self-orientation +0.75.');
    expect(signals).toContain('The other side of its orders rated it 4 of 5 on average (4 ratings): credibility -0.22.');
    expect(signals).toContain('1 dispute opened on its orders in the window.');
  });

  it('leaves the parts as they were without ratings (the Bloom example stands)', () => {
    const e = evaluateTrust(bloomMeasures());
    expect([e.credibility.value, e.selfOrientation.value, e.trust, e.score]).toEqual([8.53, 6.33, 3.53, 57.1]);
    expect([e.credibility.ratingReceived, e.selfOrientation.ratingOfHub, e.selfOrientation.hubRatingPenalty]).toEqual([null, null, 0]);
  });

  it('raises credibility with good ratings, and a good rating of the hub costs the hub nothing', () => {
    const e = evaluateTrust(bloomMeasures({ ratingsReceived: { count: 10, sum: 50 }, ratingsOfHub: { count: 5, sum: 25, latest: [5, 5, 5] } }));
    expect(e.credibility.value).toBeGreaterThan(8.53);
    expect(e.selfOrientation.value).toBe(6.33);
  });

  it('flags the newest run of ratings of the hub at 2 or less, newest first', () => {
    expect(lowHubRatings([2, 1, 2])).toEqual([2, 1, 2]);
    expect(lowHubRatings([1, 4, 1])).toEqual([1]);
    expect(lowHubRatings([3, 1, 1])).toEqual([]);
    expect(lowHubRatings([])).toEqual([]);
    const m = emptyMeasures({ ratingsOfHub: { count: 2, sum: 3, latest: [1, 2] } });
    const e = evaluateTrust(m);
    const signals = healthSignals({
      measures: m,
      evaluation: e,
      risk: assessRisk(e.score, null, RATING_RULES),
      rules: RATING_RULES,
      currency: 'USD',
      acquisitionCostPerOrder: null,
      acquisitionBaseline: null,
    });
    expect(signals.some((s) => s.startsWith('Rated the hub 1 and 2 of 5 on its last two orders'))).toBe(true);
  });

  it('keeps every part within 1 and 10 with the worst ratings', () => {
    const e = evaluateTrust(
      bloomMeasures({ ratingsReceived: { count: 1000, sum: 1000 }, ratingsOfHub: { count: 1000, sum: 1000, latest: [1, 1, 1] }, feeIncreases: [] }),
    );
    for (const v of [e.credibility.value, e.selfOrientation.value]) expect(v >= 1 && v <= 10).toBe(true);
  });
});
