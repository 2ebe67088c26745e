import { earningsByWeek, weekStart } from './weekly';

describe('earnings by week', () => {
  it('starts weeks on Monday, UTC', () => {
    expect(weekStart('2026-11-23T00:00:00.000Z')).toBe('2026-11-23'); // a Monday
    expect(weekStart('2026-11-29T23:59:59.999Z')).toBe('2026-11-23'); // the Sunday after
    expect(weekStart('2026-11-30T00:00:00.000Z')).toBe('2026-11-30');
    expect(weekStart('2027-01-01T10:00:00.000Z')).toBe('2026-12-28'); // across a year end
  });

  it('sums each week exactly and fills the weeks between with zeros', () => {
    const { weeks, total } = earningsByWeek(
      [
        { fulfilledAt: '2026-11-02T10:00:00.000Z', price: '120.00', fee: '6.00', net: '114.00' },
        { fulfilledAt: '2026-11-08T10:00:00.000Z', price: '0.10', fee: '0.01', net: '0.09' },
        { fulfilledAt: '2026-11-17T10:00:00.000Z', price: '0.20', fee: '0.01', net: '0.19' },
      ],
      2,
    );
    expect(weeks.map((w) => [w.week, w.orders, w.earned, w.fees, w.net])).toEqual([
      ['2026-11-02', 2, '120.10', '6.01', '114.09'],
      ['2026-11-09', 0, '0.00', '0.00', '0.00'],
      ['2026-11-16', 1, '0.20', '0.01', '0.19'],
    ]);
    expect(weeks[0].plot).toEqual({ earned: 120.1, fees: 6.01, net: 114.09 });
    expect(total).toEqual({ orders: 3, earned: '120.30', fees: '6.02', net: '114.28' });
  });

  it('gives no weeks and zero totals without business', () => {
    expect(earningsByWeek([], 0)).toEqual({ weeks: [], total: { orders: 0, earned: '0', fees: '0', net: '0' } });
  });
});
