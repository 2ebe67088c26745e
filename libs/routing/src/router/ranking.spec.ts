import { CandidateFeatures, priceFactor, rankCandidates, spreadFactor } from './ranking';
import { DEFAULT_ROUTING_POLICY, RoutingPolicy } from './routing-policy';

const candidate = (supplierId: string, over: Partial<CandidateFeatures> = {}): CandidateFeatures => ({
  supplierId,
  priceMinor: 12000n,
  recentOrders: 0,
  categoryOrders: 0,
  health: 0.5,
  reliability: 0.5,
  ...over,
});
const only = (key: keyof RoutingPolicy): RoutingPolicy => ({ priceWeight: 0, reliabilityWeight: 0, healthWeight: 0, spreadWeight: 0, [key]: 1 });

describe('ranking', () => {
  it("weighs health's reliability part (1 to 10, here / 10) as it comes, beside the score that contains it", () => {
    // Bloom & Co of docs/health.md: reliability 6.89, score 57.1. Price 1 and spread 1 as the only candidate:
    // 100 * (0.4 * 1 + 0.3 * 0.689 + 0.15 * 0.571 + 0.15 * 1) = 84.235
    const [bloom] = rankCandidates([candidate('bloom', { reliability: 0.689, health: 0.571 })], DEFAULT_ROUTING_POLICY);
    expect(bloom.score).toBe(84.235);
    expect(rankCandidates([candidate('a', { reliability: 0.689 })], only('reliabilityWeight'))[0].score).toBe(68.9);
  });

  it('lets a reliable supplier outrank a cheaper unreliable one', () => {
    // Cheap: 100 * (0.4 * 1 + 0.3 * 0.2 + 0.15 * 0.5 + 0.15) = 68.5.
    // Reliable at 110.00: price 10000/11000 = 0.909090 (six digits): 100 * (0.4 * 0.90909 + 0.3 * 0.9 + 0.075 + 0.15) = 85.8636.
    const cheap = candidate('a', { priceMinor: 10000n, reliability: 0.2 });
    const reliable = candidate('z', { priceMinor: 11000n, reliability: 0.9 });
    expect(rankCandidates([cheap, reliable], DEFAULT_ROUTING_POLICY).map((c) => [c.supplierId, c.score])).toEqual([
      ['z', 85.8636],
      ['a', 68.5],
    ]);
  });

  it('clamps a standing outside 0..1 and treats a non-number as neutral', () => {
    expect(rankCandidates([candidate('a', { reliability: 1.7 })], only('reliabilityWeight'))[0].score).toBe(100);
    expect(rankCandidates([candidate('a', { reliability: Number.NaN })], only('reliabilityWeight'))[0].score).toBe(50);
  });

  it('scores price relative to the cheapest eligible supplier', () => {
    expect(priceFactor(12000n, 12000n)).toBe(1);
    expect(priceFactor(24000n, 12000n)).toBe(0.5);
    expect(priceFactor(900_719_925_474_099_300n, 300_239_975_158_033_100n)).toBeCloseTo(1 / 3, 6);
    const ranked = rankCandidates([candidate('a', { priceMinor: 24000n }), candidate('b', { priceMinor: 12000n })], only('priceWeight'));
    expect(ranked.map((c) => [c.supplierId, c.score])).toEqual([
      ['b', 100],
      ['a', 50],
    ]);
  });

  it('prefers the supplier with the smaller recent share of the category', () => {
    expect(spreadFactor(candidate('a'))).toBe(1);
    expect(spreadFactor(candidate('a', { recentOrders: 3, categoryOrders: 4 }))).toBe(0.25);
    const ranked = rankCandidates(
      [candidate('a', { recentOrders: 3, categoryOrders: 4 }), candidate('b', { recentOrders: 1, categoryOrders: 4 })],
      only('spreadWeight'),
    );
    expect(ranked.map((c) => [c.supplierId, c.score])).toEqual([
      ['b', 75],
      ['a', 25],
    ]);
  });

  it('weighs reliability and health', () => {
    const reliable = candidate('z', { reliability: 0.9 });
    const flaky = candidate('a', { reliability: 0.3 });
    expect(rankCandidates([flaky, reliable], only('reliabilityWeight')).map((c) => c.supplierId)).toEqual(['z', 'a']);
    const healthy = candidate('z', { health: 0.9 });
    expect(rankCandidates([candidate('a'), healthy], only('healthWeight')).map((c) => [c.supplierId, c.score])).toEqual([
      ['z', 90],
      ['a', 50],
    ]);
  });

  it('combines the factors by their weights into 0-100 with the default policy', () => {
    const [best] = rankCandidates([candidate('a')], DEFAULT_ROUTING_POLICY);
    // price 1, reliability 0.5, health 0.5, spread 1: 100 * (0.4 + 0.15 + 0.075 + 0.15) / 1
    expect(best.score).toBe(77.5);
  });

  it('breaks ties by supplier id, whatever the input order', () => {
    const ids = ['c3', 'a1', 'b2'];
    expect(
      rankCandidates(
        ids.map((id) => candidate(id)),
        DEFAULT_ROUTING_POLICY,
      ).map((c) => c.supplierId),
    ).toEqual(['a1', 'b2', 'c3']);
    expect(rankCandidates([], DEFAULT_ROUTING_POLICY)).toEqual([]);
  });
});
