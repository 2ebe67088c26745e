import { CandidateFeatures, priceFactor, rankCandidates, reliabilityOf, smoothedRate, spreadFactor } from './ranking';
import { DEFAULT_ROUTING_POLICY, RoutingPolicy } from './routing-policy';

const candidate = (supplierId: string, over: Partial<CandidateFeatures> = {}): CandidateFeatures => ({
  supplierId,
  priceMinor: 12000n,
  offersAccepted: 0,
  offersPassed: 0,
  fulfilled: 0,
  fulfilledOnTime: 0,
  recentOrders: 0,
  categoryOrders: 0,
  health: 0.5,
  ...over,
});
const only = (key: keyof RoutingPolicy): RoutingPolicy => ({ priceWeight: 0, reliabilityWeight: 0, healthWeight: 0, spreadWeight: 0, [key]: 1 });

describe('ranking', () => {
  it('gives a newcomer a neutral reliability of 0.5 (Laplace smoothing)', () => {
    expect(smoothedRate(0, 0)).toBe(0.5);
    expect(reliabilityOf(candidate('a'))).toBe(0.5);
    // 9 of 10 accepted, 4 of 4 on time: (10/12 + 5/6) / 2
    expect(reliabilityOf(candidate('a', { offersAccepted: 9, offersPassed: 1, fulfilled: 4, fulfilledOnTime: 4 }))).toBeCloseTo(10 / 12, 10);
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
    const reliable = candidate('z', { offersAccepted: 8, offersPassed: 0 });
    const flaky = candidate('a', { offersAccepted: 0, offersPassed: 8 });
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
    expect(rankCandidates(ids.map((id) => candidate(id)), DEFAULT_ROUTING_POLICY).map((c) => c.supplierId)).toEqual(['a1', 'b2', 'c3']);
    expect(rankCandidates([], DEFAULT_ROUTING_POLICY)).toEqual([]);
  });
});
