import { toMinor, type MoneyValue } from './money';

/** How the acquisition cost through the hub compares with the member's own baseline, in words. */
export function acquisitionWords(cost: MoneyValue | null | undefined, baseline: MoneyValue | null | undefined): string {
  if (!cost) return 'No fulfilled orders in the window yet, so no cost per order.';
  if (!baseline) return 'Declare what winning a customer costs you elsewhere to compare.';
  if (cost.currency !== baseline.currency) return 'The baseline is in another currency.';
  const c = toMinor(cost.amount);
  const b = toMinor(baseline.amount);
  const scale = Math.max(c.decimals, b.decimals);
  const cm = c.minor * 10n ** BigInt(scale - c.decimals);
  const bm = b.minor * 10n ** BigInt(scale - b.decimals);
  if (bm <= 0n) return 'The baseline is zero.';
  const permille = ((bm - cm) * 1000n) / bm; // exact integers, then one decimal place
  const pct = `${(Number(permille < 0n ? -permille : permille) / 10).toString()} %`;
  return cm <= bm ? `${pct} less than winning a customer elsewhere.` : `${pct} more than winning a customer elsewhere.`;
}
