import { emptyMeasures, HealthMeasures } from './health-measures';
import { healthSignals } from './health-signals';
import { assessRisk, evaluateTrust } from './trust-equation';

const rules = { atRiskScore: 40, sharpDrop: 15, dropLookbackDays: 7 };
const signals = (m: HealthMeasures, best: number | null = null, cost: bigint | null = null, baseline: bigint | null = null) => {
  const evaluation = evaluateTrust(m);
  return healthSignals({
    measures: m,
    evaluation,
    risk: assessRisk(evaluation.score, best, rules),
    rules,
    currency: 'USD',
    acquisitionCostPerOrder: cost,
    acquisitionBaseline: baseline,
  });
};

describe('health signals', () => {
  it('says when there was no activity, and nothing else pulls the score down', () => {
    expect(signals(emptyMeasures({ windowDays: 45 }))).toEqual(['No activity in the last 45 days: every part is neutral (5).']);
  });

  it('puts the at-risk reasons first, then the weakest part', () => {
    const m = emptyMeasures({
      roles: ['SUPPLIER'],
      vettingStatus: 'REVOKED',
      vettingSetbacks: 1,
      tenureDays: 400,
      offers: { accepted: 0, declined: 2, expired: 8, open: 0, withdrawn: 0 },
    });
    const out = signals(m, 70);
    const score = evaluateTrust(m).score;
    expect(out.slice(0, 2)).toEqual([
      `Score ${score} is below the at-risk threshold of 40.`,
      `Score fell ${Math.round((70 - score) * 10) / 10} points from 70 within the last 7 days.`,
    ]);
    expect(out[2]).toBe('Vetting status is REVOKED: credibility starts at 1, not 9 as for a vetted supplier.');
    expect(out).toContain('Let 8 of 10 offers expire without an answer.');
    expect(out).toContain('Declined 2 of 10 offers.');
    expect(out).toContain('Did business in 0 of the last 13 weeks.');
    // With full intimacy nothing is said about it.
    const close = signals({ ...m, activeWeeks: 13, categories: 3 });
    expect(close.some((x) => x.includes('weeks') || x.includes('categor') || x.includes('tenure'))).toBe(false);
  });

  it('says a part rests on little evidence', () => {
    const m = emptyMeasures({ client: { placed: 1, cancelled: 1 } });
    expect(signals(m)).toEqual(
      expect.arrayContaining(['Cancelled 1 of 1 order it placed.', 'Reliability rests on 1 observation only, so it stays close to neutral.']),
    );
  });

  it('names a concentration of half or more of a category, and a cost above the baseline', () => {
    const m = emptyMeasures({ client: { placed: 2, cancelled: 0 }, topCategory: { category: 'cakes', share: 0.5, role: 'CLIENT' } });
    expect(signals(m, null, 720n, 500n)).toEqual(
      expect.arrayContaining([
        "It bought 50% of the 'cakes' business in the window: the network depends on it.",
        'It pays 7.20 USD per order in supplier fees, more than its declared acquisition cost of 5.00 USD.',
      ]),
    );
    const calm = signals(
      emptyMeasures({ client: { placed: 2, cancelled: 0 }, topCategory: { category: 'cakes', share: 0.49, role: 'CLIENT' } }),
      null,
      500n,
      500n,
    );
    expect(calm.some((s) => s.includes('cakes') || s.includes('per order'))).toBe(false);
  });
});
