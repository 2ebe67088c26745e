import fc from 'fast-check';
import { fromMinor, sumAmounts, type MoneyValue } from './money';
import { previewRefund, type RefundPreview, type RefundableFees } from './refund-preview';

const usd = (amount: string): MoneyValue => ({ amount, currency: 'USD' });
const pia = { id: 'p1', name: 'Pia Partner' };
const paul = { id: 'p2', name: 'Paul Partner' };
const hotel = { id: 'c', name: 'Grand Hotel' };
const baskets = { id: 's', name: 'Basket & Co' };

/** The Circles order: price 120.00, fees 12.00 and 6.00, shares 2.40 (client side) and 1.20 (supplier side). */
const circles: RefundableFees = {
  price: usd('120.00'),
  clientFee: usd('12.00'),
  supplierFee: usd('6.00'),
  partnerShares: [
    { partner: pia, referred: hotel, amount: usd('2.40') },
    { partner: paul, referred: baskets, amount: usd('1.20') },
  ],
};

function preview(fees: RefundableFees, before: string, typed: string): RefundPreview {
  const check = previewRefund(fees, usd(before), typed);
  if (!check.ok) throw new Error(check.problem);
  return check.preview;
}

const legs = (p: RefundPreview) => [p.amount, p.clientFee, p.supplierFee, ...p.partnerShares.map((s) => s.amount)].map((m) => m.amount);

describe('previewRefund (the rule of libs/settlement/src/fees/refund-legs.ts)', () => {
  it('previews the worked example: 30.00, then 50.00, then the remaining 40.00 of the Circles order', () => {
    const first = preview(circles, '0.00', '30.00');
    expect(legs(first)).toEqual(['30.00', '3.00', '1.50', '0.60', '0.30']);
    expect([first.clientGetsBack, first.supplierGivesBack, first.hubNetFalls]).toEqual([usd('33.00'), usd('28.50'), usd('3.60')]);
    expect(first.partnerShares.map((s) => s.partner.name)).toEqual(['Pia Partner', 'Paul Partner']);
    expect([first.refundedAfter, first.remainingAfter]).toEqual([usd('30.00'), usd('90.00')]);

    const second = preview(circles, '30.00', '50');
    expect(legs(second)).toEqual(['50.00', '5.00', '2.50', '1.00', '0.50']);
    expect([second.refundedAfter, second.remainingAfter]).toEqual([usd('80.00'), usd('40.00')]);

    const last = preview(circles, '80.00', '40.00');
    expect(legs(last)).toEqual(['40.00', '4.00', '2.00', '0.80', '0.40']);
    expect([last.clientGetsBack, last.supplierGivesBack, last.hubNetFalls]).toEqual([usd('44.00'), usd('38.00'), usd('4.80')]);
    expect(last.remainingAfter).toEqual(usd('0.00'));
  });

  it('rounds half up on the cumulative amount: 5.05 of a 10.10 order reverses 0.51 and 0.26, the other half 0.50 and 0.25', () => {
    const fees: RefundableFees = { price: usd('10.10'), clientFee: usd('1.01'), supplierFee: usd('0.51'), partnerShares: [] };
    const first = preview(fees, '0.00', '5.05');
    expect([first.clientFee, first.supplierFee]).toEqual([usd('0.51'), usd('0.26')]);
    expect([first.clientGetsBack, first.supplierGivesBack, first.hubNetFalls]).toEqual([usd('5.56'), usd('4.79'), usd('0.77')]);
    const second = preview(fees, '5.05', '5.05');
    expect([second.clientFee, second.supplierFee]).toEqual([usd('0.50'), usd('0.25')]);
  });

  it('leaves out a share that this refund does not move', () => {
    // 0.01 of 120.00: client fee 0.001 -> 0.00, share 0.0002 -> 0.00.
    const tiny = preview(circles, '0.00', '0.01');
    expect(legs(tiny)).toEqual(['0.01', '0.00', '0.00']);
    expect(tiny.hubNetFalls).toEqual(usd('0.00'));
  });

  it('refuses what the API would refuse, with a reason', () => {
    const problem = (before: string, typed: string) => {
      const check = previewRefund(circles, usd(before), typed);
      return check.ok ? null : check.problem;
    };
    expect(problem('0.00', '0')).toBe('The refund must be more than zero.');
    expect(problem('0.00', '0.00')).toBe('The refund must be more than zero.');
    expect(problem('0.00', '-5')).toBe('The refund must be an amount such as 120.00 (digits and an optional decimal point).');
    expect(problem('0.00', 'ten')).toBe('The refund must be an amount such as 120.00 (digits and an optional decimal point).');
    expect(problem('0.00', '30.001')).toBe('The refund has more than 2 decimal places, the most USD allows.');
    expect(problem('80.00', '40.01')).toBe('The refund must be at most 40.00 USD, what remains of the price.');
    expect(problem('80.00', ' 40 ')).toBeNull();
  });

  it('reverses every leg exactly once refunds add up to the price, whatever the price, fees and sequence', () => {
    const scenario = fc
      .record({
        price: fc.bigInt({ min: 1n, max: 10_000_000n }),
        clientBps: fc.integer({ min: 0, max: 5000 }),
        supplierBps: fc.integer({ min: 0, max: 5000 }),
        shareBps: fc.integer({ min: 0, max: 10000 }),
        cuts: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 6 }),
      })
      .map(({ price, clientBps, supplierBps, shareBps, cuts }) => {
        const half = (n: bigint, bps: number) => (2n * n * BigInt(bps) + 10000n) / 20000n;
        const clientFee = half(price, clientBps);
        const supplierFee = half(price, supplierBps);
        // Cut points along the price give a sequence of refunds that add up to it.
        const points = [...new Set(cuts.map((c) => BigInt(Math.floor(c * Number(price)))).filter((p) => p > 0n && p < price))].sort((a, b) => (a < b ? -1 : 1));
        const amounts = [...points, price].map((p, i, all) => p - (i === 0 ? 0n : all[i - 1]));
        return { price, clientFee, supplierFee, share: half(clientFee, shareBps), amounts };
      });
    fc.assert(
      fc.property(scenario, ({ price, clientFee, supplierFee, share, amounts }) => {
        const fees: RefundableFees = {
          price: usd(fromMinor(price, 2)),
          clientFee: usd(fromMinor(clientFee, 2)),
          supplierFee: usd(fromMinor(supplierFee, 2)),
          partnerShares: share > 0n ? [{ partner: pia, referred: hotel, amount: usd(fromMinor(share, 2)) }] : [],
        };
        let before = '0.00';
        const previews: RefundPreview[] = [];
        for (const a of amounts) {
          const p = preview(fees, before, fromMinor(a, 2));
          previews.push(p);
          before = p.refundedAfter.amount;
        }
        const total = (pick: (p: RefundPreview) => string[]) => sumAmounts(previews.flatMap(pick), 2);
        expect(total((p) => [p.amount.amount])).toBe(fees.price.amount);
        expect(total((p) => [p.clientFee.amount])).toBe(fees.clientFee.amount);
        expect(total((p) => [p.supplierFee.amount])).toBe(fees.supplierFee.amount);
        expect(total((p) => p.partnerShares.map((s) => s.amount.amount))).toBe(fromMinor(share, 2));
        expect(previews.at(-1)?.remainingAfter).toEqual(usd('0.00'));
      }),
      { numRuns: 300 },
    );
  });
});
