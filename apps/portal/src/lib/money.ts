/** An amount as the API writes it: a decimal string in major units with the currency's minor digits. */
export interface MoneyValue {
  amount: string;
  currency: string;
}

const DECIMAL = /^(-?)(\d+)(?:\.(\d+))?$/;

/** Exact minor units of a decimal string ("-3.50" -> -350n, 2 decimals). Never a float. */
export function toMinor(amount: string): { minor: bigint; decimals: number } {
  const m = DECIMAL.exec(amount.trim());
  if (!m) throw new Error(`not a decimal amount: ${amount}`);
  const [, sign, whole, fraction = ''] = m;
  const magnitude = BigInt(whole + fraction);
  return { minor: sign === '-' ? -magnitude : magnitude, decimals: fraction.length };
}

/** The decimal string of minor units: fromMinor(-350n, 2) === "-3.50". */
export function fromMinor(minor: bigint, decimals: number): string {
  const negative = minor < 0n;
  const digits = (negative ? -minor : minor).toString().padStart(decimals + 1, '0');
  const whole = digits.slice(0, digits.length - decimals);
  const fraction = decimals > 0 ? `.${digits.slice(-decimals)}` : '';
  return `${negative ? '-' : ''}${whole}${fraction}`;
}

/** Sums amounts of one currency exactly; `decimals` is used when the list is empty. */
export function sumAmounts(amounts: string[], decimals: number): string {
  let total = 0n;
  let scale = decimals;
  for (const a of amounts) {
    const { minor, decimals: d } = toMinor(a);
    if (d > scale) {
      total *= 10n ** BigInt(d - scale);
      scale = d;
    }
    total += minor * 10n ** BigInt(scale - d);
  }
  return fromMinor(total, scale);
}

/** Subtracts b from a exactly (same currency). */
export function subtractAmounts(a: string, b: string): string {
  const x = toMinor(a);
  const y = toMinor(b);
  const scale = Math.max(x.decimals, y.decimals);
  const minor = x.minor * 10n ** BigInt(scale - x.decimals) - y.minor * 10n ** BigInt(scale - y.decimals);
  return fromMinor(minor, scale);
}

/** -1, 0 or 1 as a is below, equal to or above b. */
export function compareAmounts(a: string, b: string): number {
  const diff = toMinor(subtractAmounts(a, b)).minor;
  return diff < 0n ? -1 : diff > 0n ? 1 : 0;
}

/** Groups the whole part with thin commas for reading: "1234567.50" -> "1,234,567.50". */
export function groupDigits(amount: string): string {
  const m = DECIMAL.exec(amount);
  if (!m) return amount;
  const [, sign, whole, fraction] = m;
  return `${sign}${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}${fraction !== undefined ? `.${fraction}` : ''}`;
}

export function formatMoney(value: MoneyValue | null | undefined): string {
  if (!value) return '—';
  return `${groupDigits(value.amount)} ${value.currency}`;
}

/** For plotting only: a chart needs numbers. Totals are always computed with toMinor/sumAmounts. */
export function plotValue(amount: string): number {
  return Number(amount);
}
