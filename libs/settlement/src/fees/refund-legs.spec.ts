import fc from 'fast-check';
import { fulfilmentLines, refundLines } from '../posting/order-lines';
import { computeFees, FeeBreakdown } from './fee-calculator';
import { refundLegs } from './refund-legs';

const joined = new Date('2026-01-15T10:00:00Z');
const accepted = new Date('2026-06-01T12:00:00Z');
const referrer = (partnerId: string, referredId: string, bps: number) => ({
  partnerId,
  referredId,
  partnerShareBps: bps,
  partnerShareMonths: 12,
  referredJoinedAt: joined,
});
const circles = (price: bigint) =>
  computeFees({
    price,
    currency: 'USD',
    clientFeeBps: 1000,
    supplierFeeBps: 500,
    clientReferrer: referrer('P1', 'C', 2000),
    supplierReferrer: referrer('P2', 'S', 2000),
    acceptedAt: accepted,
  });
const parties = { clientId: 'C', supplierId: 'S' };

/** Refunds in sequence; each sees what the earlier ones gave back. */
function refundAll(fees: FeeBreakdown, amounts: readonly bigint[]): FeeBreakdown[] {
  let before = 0n;
  return amounts.map((a) => {
    const legs = refundLegs(fees, before, a);
    before += a;
    return legs;
  });
}

const legsOf = (f: FeeBreakdown) => [f.price, f.clientFee, f.supplierFee, ...f.partnerShares.map((s) => s.amount)];

describe('refundLegs', () => {
  it('reproduces the worked example of libs/settlement/README.md: 30.00, 50.00, then the remaining 40.00 of the Circles order', () => {
    const [a, b, c] = refundAll(circles(12000n), [3000n, 5000n, 4000n]);
    expect(legsOf(a)).toEqual([3000n, 300n, 150n, 60n, 30n]);
    expect([a.clientPays, a.supplierReceives, a.hubNet]).toEqual([3300n, 2850n, 360n]);
    expect(legsOf(b)).toEqual([5000n, 500n, 250n, 100n, 50n]);
    expect(legsOf(c)).toEqual([4000n, 400n, 200n, 80n, 40n]);
  });

  it('rounds half up on the cumulative amount: 5.05 of a 10.10 order reverses 0.51 and 0.26, the rest 0.50 and 0.25', () => {
    const fees = computeFees({ price: 1010n, currency: 'USD', clientFeeBps: 1000, supplierFeeBps: 500, acceptedAt: accepted });
    expect([fees.clientFee, fees.supplierFee]).toEqual([101n, 51n]);
    const [first, second] = refundAll(fees, [505n, 505n]);
    expect([first.clientFee, first.supplierFee]).toEqual([51n, 26n]);
    expect([second.clientFee, second.supplierFee]).toEqual([50n, 25n]);
  });

  it('refuses a refund above what remains, and one of zero', () => {
    const fees = circles(12000n);
    expect(() => refundLegs(fees, 8000n, 4001n)).toThrow(RangeError);
    expect(() => refundLegs(fees, 0n, 0n)).toThrow(RangeError);
  });

  // Random prices, rates, shares and refund sequences that add up to the price.
  const scenario = fc
    .record({
      price: fc.bigInt({ min: 1n, max: 10n ** 13n }),
      clientFeeBps: fc.integer({ min: 0, max: 10_000 }),
      supplierFeeBps: fc.integer({ min: 0, max: 10_000 }),
      clientShareBps: fc.integer({ min: 0, max: 10_000 }),
      supplierShareBps: fc.integer({ min: 0, max: 10_000 }),
      cuts: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 12 }),
    })
    .map(({ price, cuts, clientShareBps, supplierShareBps, ...rates }) => {
      const fees = computeFees({
        price,
        currency: 'USD',
        ...rates,
        clientReferrer: referrer('P1', 'C', clientShareBps),
        supplierReferrer: referrer('P2', 'S', supplierShareBps),
        acceptedAt: accepted,
      });
      // Cut points in (0, price): distinct, sorted; the refunds are the gaps between them, so they add up to the price.
      const points = [...new Set(cuts.map((c) => BigInt(Math.floor(c * Number(price)))).filter((p) => p > 0n && p < price))].sort((a, b) =>
        a < b ? -1 : a > b ? 1 : 0,
      );
      const bounds = [0n, ...points, price];
      return { fees, amounts: bounds.slice(1).map((b, i) => b - bounds[i]) };
    });

  it('property: the legs of all refunds sum exactly to the original breakdown, and every refund entry balances', () => {
    fc.assert(
      fc.property(scenario, ({ fees, amounts }) => {
        const refunds = refundAll(fees, amounts);
        const sum = (pick: (f: FeeBreakdown) => bigint) => refunds.reduce((s, r) => s + pick(r), 0n);
        expect(sum((r) => r.price)).toBe(fees.price);
        expect(sum((r) => r.clientFee)).toBe(fees.clientFee);
        expect(sum((r) => r.supplierFee)).toBe(fees.supplierFee);
        expect(sum((r) => r.hubNet)).toBe(fees.hubNet);
        for (const side of ['CLIENT', 'SUPPLIER'] as const) {
          const original = fees.partnerShares.find((s) => s.side === side)?.amount ?? 0n;
          expect(refunds.reduce((s, r) => s + (r.partnerShares.find((p) => p.side === side)?.amount ?? 0n), 0n)).toBe(original);
        }
        // Every leg of every refund is between zero and the leg itself: nothing is ever reversed twice.
        for (const r of refunds) {
          expect(r.clientFee >= 0n && r.supplierFee >= 0n && r.partnerShares.every((s) => s.amount > 0n)).toBe(true);
        }
        // Each refund's entry balances; the fulfilment plus all its refunds leaves every account at zero.
        const total = new Map<string, bigint>();
        for (const line of fulfilmentLines(parties, fees))
          total.set(`${line.accountCode} ${line.line}`, (total.get(`${line.accountCode} ${line.line}`) ?? 0n) + line.amount);
        for (const r of refunds) {
          const lines = refundLines(parties, r);
          expect(lines.reduce((s, l) => s + l.amount, 0n)).toBe(0n);
          for (const line of lines) total.set(`${line.accountCode} ${line.line}`, (total.get(`${line.accountCode} ${line.line}`) ?? 0n) + line.amount);
        }
        expect([...total.values()].every((v) => v === 0n)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('property: a partial sequence leaves each leg reversed by round_half_up(L × R / P)', () => {
    fc.assert(
      fc.property(scenario, fc.nat(), ({ fees, amounts }, k) => {
        const upTo = amounts.slice(0, amounts.length === 0 ? 0 : k % amounts.length);
        const refunded = upTo.reduce((a, b) => a + b, 0n);
        const reversed = refundAll(fees, upTo).reduce((s, r) => s + r.clientFee, 0n);
        const exact = (fees.clientFee * refunded * 2n + fees.price) / (2n * fees.price);
        expect(reversed).toBe(exact);
      }),
      { numRuns: 300 },
    );
  });
});
