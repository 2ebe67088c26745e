import { DomainError } from '@tandem/common';
import { CURRENCY_EXPONENTS } from './currencies';
import {
  MAX_AMOUNT_MINOR,
  allocate,
  isWithinMaximum,
  bpsOf,
  currencyExponent,
  formatAmount,
  money,
  normalizeCurrency,
  parseAmount,
  parseMoney,
  sumMinor,
  toMoneyOutput,
} from './money';

/** Runs fn and returns the DomainError it threw, failing if it threw anything else or nothing. */
function badInputFrom(fn: () => unknown): DomainError {
  let thrown: unknown;
  try {
    fn();
  } catch (e) {
    thrown = e;
  }
  expect(thrown).toBeInstanceOf(DomainError);
  const error = thrown as DomainError;
  expect(error.code).toBe('BAD_USER_INPUT');
  return error;
}

describe('currency table', () => {
  it.each([
    ['USD', 2],
    ['EUR', 2],
    ['GBP', 2],
    ['JPY', 0],
    ['KRW', 0],
    ['CLP', 0],
    ['KWD', 3],
    ['BHD', 3],
    ['TND', 3],
    ['CLF', 4],
    ['UYW', 4],
    ['XCG', 2],
    ['ZWG', 2],
  ])('%s has %i minor digits', (code, exponent) => {
    expect(currencyExponent(code)).toBe(exponent);
  });

  it('treats MGA and MRU as two-decimal currencies (ISO 4217), not dinero base-5', () => {
    expect(currencyExponent('MGA')).toBe(2);
    expect(currencyExponent('MRU')).toBe(2);
    expect(parseAmount('1.25', 'MGA')).toBe(125n);
    expect(parseAmount('1.2', 'MRU')).toBe(120n);
    expect(formatAmount(125n, 'MGA')).toBe('1.25');
    expect(formatAmount(7n, 'MRU')).toBe('0.07');
    badInputFrom(() => parseAmount('1.234', 'MRU'));
  });

  it('loads the full ISO table from dinero with sane exponents', () => {
    expect(CURRENCY_EXPONENTS.size).toBeGreaterThanOrEqual(160);
    for (const [code, exponent] of CURRENCY_EXPONENTS) {
      expect(code).toMatch(/^[A-Z]{3}$/);
      expect([0, 2, 3, 4]).toContain(exponent);
    }
  });

  it('accepts any case and surrounding spaces, returns upper case', () => {
    expect(normalizeCurrency('usd')).toBe('USD');
    expect(normalizeCurrency('  eUr ')).toBe('EUR');
    expect(currencyExponent('jpy')).toBe(0);
  });

  it.each(['XYZ', '', '   ', 'US', 'USDD', 'U$D', 'HRK', 'XAU', '840'])('rejects %j as unknown', (code) => {
    const error = badInputFrom(() => normalizeCurrency(code, 'budget.currency'));
    expect(error.message).toContain('unknown currency');
    expect(error.details).toEqual({ field: 'budget.currency' });
  });

  it('rejects a non-string currency as bad input', () => {
    badInputFrom(() => normalizeCurrency(42 as unknown as string));
    badInputFrom(() => currencyExponent(undefined as unknown as string));
  });

  it('does not echo a long unknown currency back', () => {
    const error = badInputFrom(() => normalizeCurrency('X'.repeat(500)));
    expect(error.message.length).toBeLessThan(120);
  });
});

describe('parseAmount', () => {
  it.each([
    ['120', 'USD', 12000n],
    ['120.5', 'USD', 12050n],
    ['120.00', 'USD', 12000n],
    ['0.05', 'USD', 5n],
    ['0', 'USD', 0n],
    ['0.00', 'USD', 0n],
    [' 7.25 ', 'USD', 725n],
    ['\t3\n', 'USD', 300n],
    ['007.50', 'USD', 750n],
    ['120', 'usd', 12000n],
    ['1000', 'JPY', 1000n],
    ['0', 'JPY', 0n],
    ['1.234', 'KWD', 1234n],
    ['1.2', 'KWD', 1200n],
    ['5', 'KWD', 5000n],
    ['0.001', 'BHD', 1n],
    ['12.5', 'BHD', 12500n],
    ['1.2345', 'CLF', 12345n],
  ])('%j %s = %p minor', (amount, currency, minor) => {
    expect(parseAmount(amount, currency)).toBe(minor);
  });

  it('parses amounts exactly, with no float on the way', () => {
    expect(parseAmount('99999999999.99', 'USD')).toBe(9999999999999n);
    expect(parseAmount('0.07', 'USD')).toBe(7n);
  });

  it.each([
    ['empty', ''],
    ['whitespace only', '   '],
    ['exponent', '12e3'],
    ['exponent (capital)', '1E2'],
    ['grouping comma', '1,000'],
    ['decimal comma', '1,5'],
    ['inner space', '1 000'],
    ['underscore', '1_000'],
    ['plus sign', '+5'],
    ['leading dot', '.5'],
    ['trailing dot', '5.'],
    ['lone dot', '.'],
    ['lone minus', '-'],
    ['double minus', '--5'],
    ['two dots', '1.2.3'],
    ['letters', 'abc'],
    ['NaN', 'NaN'],
    ['Infinity', 'Infinity'],
    ['hex', '0x10'],
    ['currency symbol', '$5'],
    ['code suffix', '5 USD'],
    ['full-width digits', '１２'],
    ['Arabic-Indic digits', '١٢'],
    ['too many decimals', '1.234'],
    ['too many decimals, zero', '1.230'],
    ['31 digits', '1234567890123456789012345678901'],
    ['31 digits with decimals', '12345678901234567890123456789.01'],
  ])('rejects %s (%j) for USD', (_label, amount) => {
    const error = badInputFrom(() => parseAmount(amount, 'USD', 'price'));
    expect(error.details).toEqual({ field: 'price' });
    expect(error.message).toContain('price');
  });

  it('rejects decimals on a currency without a minor unit', () => {
    expect(badInputFrom(() => parseAmount('1.5', 'JPY')).message).toContain('whole number');
    badInputFrom(() => parseAmount('1.0', 'JPY'));
  });

  it('rejects a fourth decimal for KWD and BHD', () => {
    expect(badInputFrom(() => parseAmount('1.2345', 'KWD')).message).toContain('3 decimal places');
    badInputFrom(() => parseAmount('0.0001', 'BHD'));
  });

  it('rejects a minus sign unless negatives are allowed', () => {
    expect(badInputFrom(() => parseAmount('-5', 'USD')).message).toContain('negative');
    badInputFrom(() => parseAmount('-0', 'USD'));
    expect(parseAmount('-3.50', 'EUR', 'amount', { allowNegative: true })).toBe(-350n);
    expect(parseAmount(' -0.05 ', 'USD', 'amount', { allowNegative: true })).toBe(-5n);
    expect(parseAmount('-7', 'JPY', 'amount', { allowNegative: true })).toBe(-7n);
    badInputFrom(() => parseAmount('- 5', 'USD', 'amount', { allowNegative: true }));
  });

  it('rejects non-string amounts and unknown currencies as bad input', () => {
    badInputFrom(() => parseAmount(120 as unknown as string, 'USD'));
    badInputFrom(() => parseAmount(null as unknown as string, 'USD'));
    expect(badInputFrom(() => parseAmount('120', 'XYZ')).message).toContain('unknown currency');
  });
});

describe('the business maximum (10^13 minor units)', () => {
  it('is 10^13 minor units', () => {
    expect(MAX_AMOUNT_MINOR).toBe(10_000_000_000_000n);
  });

  it.each([
    ['USD', '100000000000.00', '100000000000.01'],
    ['JPY', '10000000000000', '10000000000001'],
    ['KWD', '10000000000.000', '10000000000.001'],
    ['CLF', '1000000000.0000', '1000000000.0001'],
  ])('%s: exactly the maximum (%s) passes, one minor unit more is refused', (currency, max, above) => {
    expect(parseAmount(max, currency)).toBe(MAX_AMOUNT_MINOR);
    expect(parseMoney({ amount: max, currency }, { positive: true }).minor).toBe(MAX_AMOUNT_MINOR);
    const error = badInputFrom(() => parseMoney({ amount: above, currency }, { field: 'unitPrice', positive: true }));
    expect(error.details).toEqual({ field: 'unitPrice.amount' });
    expect(error.message).toContain('largest amount');
  });

  it('bounds negative amounts the same way', () => {
    expect(parseAmount('-100000000000.00', 'USD', 'amount', { allowNegative: true })).toBe(-MAX_AMOUNT_MINOR);
    badInputFrom(() => parseAmount('-100000000000.01', 'USD', 'amount', { allowNegative: true }));
  });

  it.each([
    ['int64 max as a USD price', '92233720368547758.07'],
    ['a 20-digit amount', '12345678901234567890'],
    ['30 digits', '1234567890123456789012345678.90'],
    ['leading zeros do not hide the size', '000000000000000000100000000000.01'],
  ])('refuses %s (%j) as bad input', (_label, amount) => {
    badInputFrom(() => parseAmount(amount, 'USD', 'price'));
  });

  it('accepts leading zeros in front of the maximum', () => {
    expect(parseAmount('0000100000000000.00', 'USD')).toBe(MAX_AMOUNT_MINOR);
  });

  it('isWithinMaximum checks computed amounts of either sign', () => {
    expect(isWithinMaximum(MAX_AMOUNT_MINOR)).toBe(true);
    expect(isWithinMaximum(-MAX_AMOUNT_MINOR)).toBe(true);
    expect(isWithinMaximum(MAX_AMOUNT_MINOR + 1n)).toBe(false);
    expect(isWithinMaximum(-MAX_AMOUNT_MINOR - 1n)).toBe(false);
  });
});

describe('parseMoney', () => {
  it('parses MoneyInput-shaped values, normalizing the currency', () => {
    expect(parseMoney({ amount: '120', currency: 'usd' })).toEqual({ minor: 12000n, currency: 'USD' });
    expect(parseMoney({ amount: ' 1000 ', currency: ' JPY' })).toEqual({ minor: 1000n, currency: 'JPY' });
    expect(parseMoney({ amount: '1.234', currency: 'kwd' })).toEqual({ minor: 1234n, currency: 'KWD' });
  });

  it('names the failing sub-field', () => {
    const amountError = badInputFrom(() => parseMoney({ amount: '1.234', currency: 'USD' }, { field: 'budget' }));
    expect(amountError.details).toEqual({ field: 'budget.amount' });
    expect(amountError.message).toContain('budget.amount');
    const currencyError = badInputFrom(() => parseMoney({ amount: '1', currency: 'XYZ' }, { field: 'budget' }));
    expect(currencyError.details).toEqual({ field: 'budget.currency' });
  });

  it.each(['0', '0.00', '-1', '-0.01'])('positive rejects %j with "must be greater than zero"', (amount) => {
    const error = badInputFrom(() => parseMoney({ amount, currency: 'USD' }, { field: 'price', positive: true }));
    expect(error.message).toBe('price must be greater than zero');
  });

  it('positive accepts the smallest unit', () => {
    expect(parseMoney({ amount: '0.01', currency: 'USD' }, { positive: true })).toEqual({ minor: 1n, currency: 'USD' });
    expect(parseMoney({ amount: '1', currency: 'JPY' }, { positive: true })).toEqual({ minor: 1n, currency: 'JPY' });
  });

  it('negatives only with allowNegative', () => {
    badInputFrom(() => parseMoney({ amount: '-3.50', currency: 'EUR' }));
    expect(parseMoney({ amount: '-3.50', currency: 'EUR' }, { allowNegative: true })).toEqual({
      minor: -350n,
      currency: 'EUR',
    });
  });

  it('rejects a missing input object', () => {
    badInputFrom(() => parseMoney(null as unknown as { amount: string; currency: string }));
    badInputFrom(() => parseMoney({ amount: '1' } as unknown as { amount: string; currency: string }));
  });
});

describe('formatAmount', () => {
  it.each([
    [12000n, 'USD', '120.00'],
    [0n, 'USD', '0.00'],
    [5n, 'USD', '0.05'],
    [-5n, 'USD', '-0.05'],
    [99n, 'USD', '0.99'],
    [100n, 'USD', '1.00'],
    [-350n, 'EUR', '-3.50'],
    [-12345n, 'EUR', '-123.45'],
    [1000n, 'JPY', '1000'],
    [0n, 'JPY', '0'],
    [-7n, 'JPY', '-7'],
    [1234n, 'KWD', '1.234'],
    [1n, 'KWD', '0.001'],
    [-1n, 'BHD', '-0.001'],
    [10n, 'BHD', '0.010'],
    [12345n, 'CLF', '1.2345'],
    [123456789012345678901234567890n, 'USD', '1234567890123456789012345678.90'],
    [12000n, 'usd', '120.00'],
  ])('%p %s -> %j', (minor, currency, text) => {
    expect(formatAmount(minor, currency)).toBe(text);
  });

  it('round-trips with parseAmount', () => {
    for (const currency of ['USD', 'JPY', 'KWD', 'MGA']) {
      for (const minor of [0n, 1n, 9n, 10n, 99n, 100n, 101n, 123456n, 10n ** 13n]) {
        expect(parseAmount(formatAmount(minor, currency), currency)).toBe(minor);
        expect(parseAmount(formatAmount(-minor, currency), currency, 'amount', { allowNegative: true })).toBe(-minor);
      }
    }
  });

  it('refuses numbers and unknown currencies', () => {
    expect(() => formatAmount(120 as unknown as bigint, 'USD')).toThrow(TypeError);
    badInputFrom(() => formatAmount(1n, 'XYZ'));
  });
});

describe('money and toMoneyOutput', () => {
  it('money() normalizes the currency and freezes the value', () => {
    const m = money(12000n, 'usd');
    expect(m).toEqual({ minor: 12000n, currency: 'USD' });
    expect(Object.isFrozen(m)).toBe(true);
  });

  it('money() rejects number minor units and unknown currencies', () => {
    expect(() => money(1 as unknown as bigint, 'USD')).toThrow(TypeError);
    badInputFrom(() => money(1n, 'XYZ'));
  });

  it('toMoneyOutput gives the GraphQL shape', () => {
    expect(toMoneyOutput(money(12000n, 'USD'))).toEqual({ amount: '120.00', currency: 'USD' });
    expect(toMoneyOutput(money(1000n, 'JPY'))).toEqual({ amount: '1000', currency: 'JPY' });
    expect(toMoneyOutput(money(-350n, 'EUR'))).toEqual({ amount: '-3.50', currency: 'EUR' });
    expect(toMoneyOutput({ minor: 1234n, currency: 'kwd' })).toEqual({ amount: '1.234', currency: 'KWD' });
  });
});

describe('bpsOf', () => {
  it.each([
    // The contract's defaults: client fee 10%, supplier fee 5%, partner share 20% of the fee.
    [12000n, 1000, 1200n], // 120.00 USD at 10%
    [12000n, 500, 600n],
    [1200n, 2000, 240n], // partner share of the fee above
    [1010n, 500, 51n], // 10.10 at 5% = 0.505 -> 0.51
    [1005n, 1000, 101n], // 1005 JPY at 10% = 100.5 -> 101
    [51n, 2000, 10n], // 10.2 -> 10
    [250n, 500, 13n], // 12.5 -> 13
    [250n, 20, 1n], // 0.5 -> 1
    [249n, 20, 0n], // 0.498 -> 0
    [1n, 5000, 1n], // 0.5 -> 1
    [1n, 4999, 0n], // 0.4999 -> 0
    [3n, 5000, 2n], // 1.5 -> 2
    [15n, 1000, 2n], // 1.5 -> 2
    [14n, 1000, 1n], // 1.4 -> 1
    [0n, 1000, 0n],
    [12345n, 0, 0n],
    [12345n, 10000, 12345n],
    [10n ** 30n, 1, 10n ** 26n],
  ])('%p at %i bp = %p', (minor, bps, fee) => {
    expect(bpsOf(minor, bps)).toBe(fee);
  });

  it('rounds negative halves away from zero: fee(-x) = -fee(x)', () => {
    expect(bpsOf(-1010n, 500)).toBe(-51n);
    expect(bpsOf(-250n, 500)).toBe(-13n);
    expect(bpsOf(-1n, 5000)).toBe(-1n);
    expect(bpsOf(-249n, 20)).toBe(0n);
    for (let x = 0n; x <= 2000n; x += 7n) {
      for (const bps of [1, 20, 333, 500, 1000, 2000, 5000, 9999]) {
        expect(bpsOf(-x, bps)).toBe(-bpsOf(x, bps));
      }
    }
  });

  it('matches round-half-up of the exact rational for every amount in a range', () => {
    for (let x = 0n; x <= 3000n; x++) {
      const exactTimes10000 = x * 333n; // x * 3.33%
      const floor = exactTimes10000 / 10000n;
      const rest = exactTimes10000 % 10000n;
      expect(bpsOf(x, 333)).toBe(rest >= 5000n ? floor + 1n : floor);
    }
  });

  it.each([-1, 10001, 1.5, Number.NaN, Number.POSITIVE_INFINITY])('throws RangeError for bps %p', (bps) => {
    expect(() => bpsOf(100n, bps)).toThrow(RangeError);
  });

  it('throws TypeError for a number amount', () => {
    expect(() => bpsOf(100 as unknown as bigint, 500)).toThrow(TypeError);
  });
});

describe('allocate', () => {
  it.each([
    [100n, [1, 1, 1], [34n, 33n, 33n]],
    [100n, [1n, 1n, 1n], [34n, 33n, 33n]],
    [5n, [1, 1], [3n, 2n]], // equal remainders: earlier index first
    [10n, [3, 7], [3n, 7n]],
    [100n, [1, 2, 3], [17n, 33n, 50n]],
    // Largest remainder, not index order: 100 * 1/6 = 16.67 beats 100 * 3/6 = 50 and 100 * 2/6 = 33.33.
    [100n, [3, 1, 2], [50n, 17n, 33n]],
    [2n, [1, 1, 1], [1n, 1n, 0n]],
    [1n, [1, 3], [0n, 1n]],
    [100n, [0, 1, 1], [0n, 50n, 50n]],
    [101n, [1, 0, 1], [51n, 0n, 50n]],
    [7n, [0, 0, 5], [0n, 0n, 7n]],
    [0n, [1, 2], [0n, 0n]],
    [-100n, [1, 1, 1], [-34n, -33n, -33n]],
    [-100n, [3, 1, 2], [-50n, -17n, -33n]],
    [10n ** 30n + 1n, [1, 1], [5n * 10n ** 29n + 1n, 5n * 10n ** 29n]],
  ])('allocate(%p, %p) = %p', (minor, ratios, parts) => {
    expect(allocate(minor, ratios as (bigint | number)[])).toEqual(parts);
  });

  it('always sums exactly and is deterministic', () => {
    let seed = 12345;
    const next = (n: number) => {
      seed = (seed * 48271) % 2147483647; // Park-Miller: reproducible cases, exact in doubles
      return seed % n;
    };
    for (let round = 0; round < 500; round++) {
      const minor = BigInt(next(1_000_000)) - 500_000n;
      const ratios = Array.from({ length: 1 + next(6) }, () => next(10));
      if (!ratios.some((r) => r > 0)) ratios[0] = 1;
      const parts = allocate(minor, ratios);
      expect(sumMinor(parts)).toBe(minor);
      expect(allocate(minor, ratios)).toEqual(parts);
      ratios.forEach((r, i) => {
        if (r === 0) expect(parts[i]).toBe(0n);
      });
    }
  });

  it.each([
    ['no ratios', []],
    ['all zero', [0, 0]],
    ['negative', [-1, 2]],
    ['negative bigint', [-1n, 2n]],
    ['fractional', [1.5, 1]],
    ['NaN', [Number.NaN]],
  ])('throws RangeError for %s', (_label, ratios) => {
    expect(() => allocate(100n, ratios as (bigint | number)[])).toThrow(RangeError);
  });
});

describe('sumMinor', () => {
  it('adds exactly', () => {
    expect(sumMinor([])).toBe(0n);
    expect(sumMinor([12000n, 1200n, -600n])).toBe(12600n);
    expect(sumMinor([10n ** 30n, 10n ** 30n])).toBe(2n * 10n ** 30n);
  });

  it('throws TypeError for numbers', () => {
    expect(() => sumMinor([1n, 2 as unknown as bigint])).toThrow(TypeError);
  });
});
