import { compareAmounts, formatMoney, fromMinor, groupDigits, subtractAmounts, sumAmounts, toMinor } from './money';

describe('portal money helpers', () => {
  it('reads decimal strings into exact minor units and back', () => {
    expect(toMinor('120.00')).toEqual({ minor: 12000n, decimals: 2 });
    expect(toMinor('-3.50')).toEqual({ minor: -350n, decimals: 2 });
    expect(toMinor('1000')).toEqual({ minor: 1000n, decimals: 0 });
    expect(fromMinor(-350n, 2)).toBe('-3.50');
    expect(fromMinor(5n, 3)).toBe('0.005');
    expect(fromMinor(0n, 2)).toBe('0.00');
    expect(fromMinor(-5n, 2)).toBe('-0.05');
    expect(() => toMinor('1e3')).toThrow();
  });

  it('sums without floating point error', () => {
    // 0.1 + 0.2 in floats is 0.30000000000000004
    expect(sumAmounts(['0.10', '0.20'], 2)).toBe('0.30');
    expect(sumAmounts(['114.00', '33.72', '-98.28'], 2)).toBe('49.44');
    expect(sumAmounts([], 2)).toBe('0.00');
    expect(sumAmounts([], 0)).toBe('0');
    expect(sumAmounts(['99999999999999999.99', '0.01'], 2)).toBe('100000000000000000.00');
    expect(subtractAmounts('120.00', '6.00')).toBe('114.00');
    expect(subtractAmounts('5.00', '100.00')).toBe('-95.00');
  });

  it('compares and formats', () => {
    expect(compareAmounts('5.00', '100.00')).toBe(-1);
    expect(compareAmounts('100.00', '100')).toBe(0);
    expect(compareAmounts('0.01', '0.00')).toBe(1);
    expect(groupDigits('1234567.50')).toBe('1,234,567.50');
    expect(groupDigits('-1000')).toBe('-1,000');
    expect(groupDigits('999.99')).toBe('999.99');
    expect(formatMoney({ amount: '132.00', currency: 'USD' })).toBe('132.00 USD');
    expect(formatMoney(null)).toBe('—');
  });
});
