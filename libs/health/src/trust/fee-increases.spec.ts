import { FeeTermsChange, feeIncreases } from './fee-increases';

const d = (s: string) => new Date(`${s}T00:00:00Z`);
const network = (at: string, terms: Record<string, number>): FeeTermsChange => ({ memberId: null, terms, effectiveAt: d(at) });
const own = (at: string, terms: Record<string, number>): FeeTermsChange => ({ memberId: 'm', terms, effectiveAt: d(at) });
const FULL = { clientFeeBps: 1000, supplierFeeBps: 500, partnerShareBps: 2000, partnerShareMonths: 12, offerTimeoutSeconds: 900 };
const window = [d('2026-09-01'), d('2026-12-01')] as const;

describe('feeIncreases', () => {
  it('does not count the network creation, nor changes before the window', () => {
    const changes = [network('2026-01-01', FULL), network('2026-05-01', { ...FULL, clientFeeBps: 1200 })];
    expect(feeIncreases(changes, ['CLIENT'], ...window)).toEqual([]);
  });

  it('counts a network-wide rise of a fee the member pays in one of its roles', () => {
    const changes = [network('2026-01-01', FULL), network('2026-10-01', { ...FULL, clientFeeBps: 1200, supplierFeeBps: 400 })];
    expect(feeIncreases(changes, ['CLIENT'], ...window)).toEqual([{ field: 'clientFeeBps', from: 1000, to: 1200, at: d('2026-10-01'), scope: 'NETWORK' }]);
    // A supplier got a cut, not a rise.
    expect(feeIncreases(changes, ['SUPPLIER'], ...window)).toEqual([]);
  });

  it("ignores a network rise the member's own terms override, and counts its own rises", () => {
    const changes = [
      network('2026-01-01', FULL),
      own('2026-02-01', { supplierFeeBps: 300 }),
      network('2026-10-01', { ...FULL, supplierFeeBps: 700 }),
      own('2026-11-01', { supplierFeeBps: 450 }),
    ];
    expect(feeIncreases(changes, ['SUPPLIER'], ...window)).toEqual([{ field: 'supplierFeeBps', from: 300, to: 450, at: d('2026-11-01'), scope: 'MEMBER' }]);
  });

  it('counts dropping an override that kept a fee low as a rise', () => {
    const changes = [network('2026-01-01', FULL), own('2026-02-01', { clientFeeBps: 500 }), own('2026-10-01', {})];
    expect(feeIncreases(changes, ['CLIENT'], ...window)).toEqual([{ field: 'clientFeeBps', from: 500, to: 1000, at: d('2026-10-01'), scope: 'MEMBER' }]);
  });

  it("counts a cut of a partner's share against the partner", () => {
    const changes = [network('2026-01-01', FULL), network('2026-09-15', { ...FULL, partnerShareBps: 1500 })];
    expect(feeIncreases(changes, ['PARTNER'], ...window)).toEqual([{ field: 'partnerShareBps', from: 2000, to: 1500, at: d('2026-09-15'), scope: 'NETWORK' }]);
    expect(feeIncreases(changes, ['CLIENT', 'SUPPLIER'], ...window)).toEqual([]);
  });

  it('sorts the changes by time whatever order they come in', () => {
    const changes = [network('2026-10-01', { ...FULL, clientFeeBps: 1100 }), network('2026-01-01', FULL)];
    expect(feeIncreases(changes, ['CLIENT'], ...window)).toHaveLength(1);
  });
});
