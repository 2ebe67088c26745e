import { badInput } from '@tandem/common';
import { CURRENCY_EXPONENTS } from './currencies';

/** An exact amount: integer minor units (cents, yen, fils) of an upper-case ISO 4217 currency. */
export interface Money {
  readonly minor: bigint;
  readonly currency: string;
}

export interface ParseAmountOptions {
  /** Accept a leading '-'. Off by default: prices and budgets are never negative. */
  allowNegative?: boolean;
}

export interface ParseMoneyOptions extends ParseAmountOptions {
  /** Name of the input field, used in error messages ("budget.amount ..."). */
  field?: string;
  /** Reject zero and negative amounts ("must be greater than zero"). */
  positive?: boolean;
}

/**
 * The business maximum of any amount, in minor units, whatever the currency:
 * 10^13 (100,000,000,000.00 USD). Every price, budget, baseline and refund is
 * checked against it where it is parsed, so unit price × quantity (computed as
 * numeric and capped by the budget), every fee, share and the sum of hundreds
 * of thousands of orders stay far inside PostgreSQL's bigint (about 9.2 × 10^18).
 */
export const MAX_AMOUNT_MINOR = 10n ** 13n;

/** Stops absurd inputs before BigInt parses them (the maximum has 14 digits). */
const MAX_DIGITS = 30;

// Digits with an optional fraction: no exponent, no grouping, no '+', no bare '.5' or '5.'.
const DECIMAL = /^(-?)(\d+)(?:\.(\d+))?$/;

/** Trims and upper-cases a currency code; rejects anything not in ISO 4217. */
export function normalizeCurrency(raw: string, field = 'currency'): string {
  if (typeof raw !== 'string') throw badInput(`${field} must be an ISO 4217 currency code`, field);
  const code = raw.trim().toUpperCase();
  if (!CURRENCY_EXPONENTS.has(code)) {
    // Echo only a short prefix: the message goes back to the caller verbatim.
    const shown = code.length > 8 ? `${code.slice(0, 8)}…` : code;
    throw badInput(`unknown currency "${shown}" in ${field}: expected an ISO 4217 code such as USD`, field);
  }
  return code;
}

/** Number of minor-unit digits: 2 for USD, 0 for JPY, 3 for KWD and BHD. */
export function currencyExponent(currency: string): number {
  return CURRENCY_EXPONENTS.get(normalizeCurrency(currency)) as number;
}

/**
 * Parses a decimal string in major units into minor units: "120", "120.5" and
 * "120.00" are all 12000n for USD. Surrounding whitespace is trimmed. At most
 * the currency's minor digits are accepted ("1.230" USD is rejected even though
 * its value fits): too many decimals is an input error, never a rounding.
 */
export function parseAmount(amount: string, currency: string, field = 'amount', options: ParseAmountOptions = {}): bigint {
  const code = normalizeCurrency(currency);
  const exponent = CURRENCY_EXPONENTS.get(code) as number;
  if (typeof amount !== 'string') throw badInput(`${field} must be a decimal string such as "120.00"`, field);
  const text = amount.trim();
  const match = DECIMAL.exec(text);
  if (!match) {
    throw badInput(`${field} must be a decimal number such as "120.00" (digits, optional '.' and decimals)`, field);
  }
  const [, sign, whole, fraction = ''] = match;
  if (whole.length + fraction.length > MAX_DIGITS) {
    throw badInput(`${field} has more than ${MAX_DIGITS} digits`, field);
  }
  if (fraction.length > exponent) {
    throw badInput(
      exponent === 0
        ? `${field} must be a whole number: ${code} has no minor unit`
        : `${field} has more than ${exponent} decimal places, the most ${code} allows`,
      field,
    );
  }
  const magnitude = BigInt(whole + fraction.padEnd(exponent, '0'));
  if (sign === '-' && !options.allowNegative) throw badInput(`${field} must not be negative`, field);
  if (magnitude > MAX_AMOUNT_MINOR) {
    throw badInput(`${field} is above the largest amount accepted, ${formatAmount(MAX_AMOUNT_MINOR, code)} ${code}`, field);
  }
  return sign === '-' ? -magnitude : magnitude;
}

/** Parses `{ amount, currency }` input (e.g. MoneyInput) into Money. */
export function parseMoney(input: { amount: string; currency: string }, opts: ParseMoneyOptions = {}): Money {
  const field = opts.field ?? 'money';
  if (typeof input !== 'object' || input === null) throw badInput(`${field} must have an amount and a currency`, field);
  const currency = normalizeCurrency(input.currency, `${field}.currency`);
  // With positive, a '-' must still fail with "greater than zero", not "negative".
  const minor = parseAmount(input.amount, currency, `${field}.amount`, {
    allowNegative: opts.allowNegative || opts.positive,
  });
  if (opts.positive && minor <= 0n) throw badInput(`${field} must be greater than zero`, field);
  return money(minor, currency);
}

function assertBigint(value: unknown, what: string): asserts value is bigint {
  if (typeof value !== 'bigint') throw new TypeError(`${what} must be a bigint, got ${typeof value}`);
}

/** Minor units as a decimal string with exactly the currency's minor digits: 5n USD → "0.05", 1000n JPY → "1000". */
export function formatAmount(minor: bigint, currency: string): string {
  assertBigint(minor, 'minor');
  const exponent = currencyExponent(currency);
  if (exponent === 0) return minor.toString();
  const sign = minor < 0n ? '-' : '';
  const digits = (minor < 0n ? -minor : minor).toString().padStart(exponent + 1, '0');
  const cut = digits.length - exponent;
  return `${sign}${digits.slice(0, cut)}.${digits.slice(cut)}`;
}

/** The GraphQL shape (MoneyObject) of an amount. */
export function toMoneyOutput(m: Money): { amount: string; currency: string } {
  const currency = normalizeCurrency(m.currency);
  return { amount: formatAmount(m.minor, currency), currency };
}

/** Whether minor units are within the business maximum (either sign): for amounts computed rather than parsed. */
export function isWithinMaximum(minor: bigint): boolean {
  assertBigint(minor, 'minor');
  return minor <= MAX_AMOUNT_MINOR && minor >= -MAX_AMOUNT_MINOR;
}

/** Builds Money from trusted minor units (e.g. a bigint column); the currency is still checked. */
export function money(minor: bigint, currency: string): Money {
  assertBigint(minor, 'minor');
  return Object.freeze({ minor, currency: normalizeCurrency(currency) });
}

/**
 * `bps` basis points of an amount, rounded half up to the minor unit
 * (10.10 at 5% = 0.505 → 0.51). Negative amounts round half away from zero,
 * so the fee on a refund mirrors the fee on the sale exactly: bpsOf(-x) = -bpsOf(x).
 */
export function bpsOf(minor: bigint, bps: number): bigint {
  assertBigint(minor, 'minor');
  if (!Number.isInteger(bps) || bps < 0 || bps > 10_000) {
    throw new RangeError(`bps must be an integer from 0 to 10000, got ${bps}`);
  }
  const magnitude = minor < 0n ? -minor : minor;
  const rounded = (magnitude * BigInt(bps) + 5_000n) / 10_000n;
  return minor < 0n ? -rounded : rounded;
}

function toRatio(ratio: bigint | number, index: number): bigint {
  if (typeof ratio === 'bigint' ? ratio < 0n : !Number.isSafeInteger(ratio) || ratio < 0) {
    throw new RangeError(`ratio ${index} must be a non-negative integer, got ${String(ratio)}`);
  }
  return BigInt(ratio);
}

/**
 * Splits an amount by integer ratios so the parts always sum to it exactly.
 * Each part gets the floor of its exact share; the leftover minor units go one
 * each to the largest remainders, ties to the earlier index (Hamilton's method).
 * A zero ratio always gets zero. A negative amount splits as the mirror image of
 * its positive (allocate(-x) = allocate(x) negated).
 *
 * Not dinero's allocate: it hands leftovers out in index order, not by remainder.
 */
export function allocate(minor: bigint, ratios: readonly (bigint | number)[]): bigint[] {
  assertBigint(minor, 'minor');
  const weights = ratios.map(toRatio);
  const total = weights.reduce((a, b) => a + b, 0n);
  if (total === 0n) throw new RangeError('allocate needs at least one ratio greater than zero');
  const magnitude = minor < 0n ? -minor : minor;
  const parts = weights.map((w) => (magnitude * w) / total);
  const remainders = weights.map((w) => (magnitude * w) % total);
  let leftover = magnitude - parts.reduce((a, b) => a + b, 0n);
  const order = weights.map((_, i) => i).sort((a, b) => (remainders[a] === remainders[b] ? a - b : remainders[a] > remainders[b] ? -1 : 1));
  for (const i of order) {
    if (leftover === 0n) break;
    parts[i] += 1n;
    leftover -= 1n;
  }
  return minor < 0n ? parts.map((p) => -p) : parts;
}

/** Sums minor units (of one currency; callers keep currencies apart). */
export function sumMinor(values: readonly bigint[]): bigint {
  let total = 0n;
  for (const v of values) {
    assertBigint(v, 'value');
    total += v;
  }
  return total;
}
