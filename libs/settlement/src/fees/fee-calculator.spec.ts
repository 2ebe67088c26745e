import { addCalendarMonths, computeFees, loadFees, shareApplies, storeFees, FeeInput, ReferrerTerms } from './fee-calculator';

const joined = new Date('2026-01-15T10:00:00Z');
const accepted = new Date('2026-06-01T12:00:00Z');
const referrer = (partnerId: string, referredId: string, over: Partial<ReferrerTerms> = {}): ReferrerTerms => ({
  partnerId,
  referredId,
  partnerShareBps: 2000,
  partnerShareMonths: 12,
  referredJoinedAt: joined,
  ...over,
});
const circles = (over: Partial<FeeInput> = {}): FeeInput => ({
  price: 12000n,
  currency: 'USD',
  clientFeeBps: 1000,
  supplierFeeBps: 500,
  clientReferrer: referrer('P1', 'C'),
  supplierReferrer: referrer('P2', 'S'),
  acceptedAt: accepted,
  ...over,
});

describe('computeFees', () => {
  it('reproduces the worked example of docs/api.md exactly', () => {
    const f = computeFees(circles());
    expect(f).toEqual({
      currency: 'USD',
      price: 12000n,
      clientFeeBps: 1000,
      supplierFeeBps: 500,
      clientFee: 1200n,
      supplierFee: 600n,
      clientPays: 13200n,
      supplierReceives: 11400n,
      partnerShares: [
        { partnerId: 'P1', referredId: 'C', side: 'CLIENT', bps: 2000, amount: 240n },
        { partnerId: 'P2', referredId: 'S', side: 'SUPPLIER', bps: 2000, amount: 120n },
      ],
      hubNet: 1440n,
    });
    expect(f.clientPays).toBe(f.supplierReceives + 240n + 120n + f.hubNet);
  });

  it('rounds each fee half up on its own: 10.10 at 5 % is 0.51', () => {
    const f = computeFees(circles({ price: 1010n, clientFeeBps: 500, supplierFeeBps: 500, clientReferrer: null, supplierReferrer: null }));
    expect(f.clientFee).toBe(51n);
    expect(f.supplierFee).toBe(51n);
    expect(f.hubNet).toBe(102n);
  });

  it('rounds JPY 1005 at 10 % to 101', () => {
    const f = computeFees(circles({ price: 1005n, currency: 'JPY', clientReferrer: null, supplierReferrer: null }));
    expect(f.clientFee).toBe(101n);
    expect(f.clientPays).toBe(1106n);
  });

  it('rounds a share from the rounded fee, and the hub keeps the remainder', () => {
    // fee 0.51; 20 % of 51 = 10.2 -> 10
    const f = computeFees(circles({ price: 1010n, clientFeeBps: 500, supplierReferrer: null }));
    expect(f.partnerShares).toEqual([{ partnerId: 'P1', referredId: 'C', side: 'CLIENT', bps: 2000, amount: 10n }]);
    expect(f.hubNet).toBe(f.clientFee + f.supplierFee - 10n);
  });

  it('leaves out shares of zero and shares past the share period', () => {
    const tiny = computeFees(circles({ price: 10n, clientFeeBps: 100, supplierFeeBps: 100 }));
    expect(tiny.partnerShares).toEqual([]);
    const late = computeFees(circles({ acceptedAt: new Date('2027-01-15T10:00:00Z') }));
    expect(late.partnerShares).toEqual([]);
    expect(late.hubNet).toBe(1800n);
    const never = computeFees(circles({ clientReferrer: referrer('P1', 'C', { partnerShareMonths: 0 }) }));
    expect(never.partnerShares.map((s) => s.side)).toEqual(['SUPPLIER']);
  });

  it('uses each referrer its own share rate', () => {
    const f = computeFees(circles({ supplierReferrer: referrer('P2', 'S', { partnerShareBps: 5000 }) }));
    expect(f.partnerShares.map((s) => s.amount)).toEqual([240n, 300n]);
    expect(f.hubNet).toBe(1800n - 540n);
  });

  it('always adds up over many prices and rates', () => {
    for (let price = 1n; price < 5000n; price += 37n) {
      for (const bps of [0, 1, 333, 1250, 9999, 10000]) {
        const f = computeFees(circles({ price, clientFeeBps: bps, supplierFeeBps: 10000 - bps }));
        const shares = f.partnerShares.reduce((s, p) => s + p.amount, 0n);
        expect(f.clientPays - f.supplierReceives).toBe(shares + f.hubNet);
      }
    }
  });

  it('survives the JSON round trip without losing a digit', () => {
    const f = computeFees(circles({ price: 9_007_199_254_740_993n }));
    expect(loadFees(JSON.parse(JSON.stringify(storeFees(f))))).toEqual(f);
  });
});

describe('share period', () => {
  it('counts calendar months and clamps to the end of the month', () => {
    expect(addCalendarMonths(new Date('2026-01-31T00:00:00Z'), 1).toISOString()).toBe('2026-02-28T00:00:00.000Z');
    expect(addCalendarMonths(new Date('2028-01-31T00:00:00Z'), 1).toISOString()).toBe('2028-02-29T00:00:00.000Z');
    expect(addCalendarMonths(new Date('2026-11-15T08:00:00Z'), 12).toISOString()).toBe('2027-11-15T08:00:00.000Z');
  });

  it('pays until, not at, the end of the period', () => {
    const r = referrer('P', 'M', { partnerShareMonths: 1 });
    expect(shareApplies(r, new Date('2026-02-15T09:59:59.999Z'))).toBe(true);
    expect(shareApplies(r, new Date('2026-02-15T10:00:00Z'))).toBe(false);
  });
});
