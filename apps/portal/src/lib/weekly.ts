import { fromMinor, plotValue, toMinor } from './money';

/** One fulfilled order as the earnings chart needs it (amounts of one currency). */
export interface EarningRow {
  fulfilledAt: string;
  price: string;
  fee: string;
  net: string;
}

export interface WeekTotals {
  /** Monday of the week, UTC, YYYY-MM-DD. */
  week: string;
  orders: number;
  earned: string;
  fees: string;
  net: string;
  /** Numbers for the chart only. */
  plot: { earned: number; fees: number; net: number };
}

const DAY = 86_400_000;

/** The Monday (UTC) of the ISO week holding this instant. */
export function weekStart(iso: string): string {
  const d = new Date(iso);
  const day = (d.getUTCDay() + 6) % 7; // Monday 0 ... Sunday 6
  const monday = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()) - day * DAY;
  return new Date(monday).toISOString().slice(0, 10);
}

/**
 * Earned business (price), fees paid and net per week, summed exactly in minor
 * units. Weeks without business between the first and the last are listed
 * with zeros, so the chart's time axis has no gaps.
 */
export function earningsByWeek(rows: EarningRow[], decimals: number): { weeks: WeekTotals[]; total: Omit<WeekTotals, 'week' | 'plot'> } {
  const byWeek = new Map<string, { orders: number; earned: bigint; fees: bigint; net: bigint }>();
  const scaled = (a: string) => {
    const { minor, decimals: d } = toMinor(a);
    if (d > decimals) throw new Error(`amount ${a} has more than ${decimals} decimals`);
    return minor * 10n ** BigInt(decimals - d);
  };
  for (const r of rows) {
    const w = weekStart(r.fulfilledAt);
    const acc = byWeek.get(w) ?? { orders: 0, earned: 0n, fees: 0n, net: 0n };
    acc.orders += 1;
    acc.earned += scaled(r.price);
    acc.fees += scaled(r.fee);
    acc.net += scaled(r.net);
    byWeek.set(w, acc);
  }
  const keys = [...byWeek.keys()].sort();
  const weeks: WeekTotals[] = [];
  if (keys.length > 0) {
    const last = Date.parse(`${keys.at(-1)}T00:00:00Z`);
    for (let t = Date.parse(`${keys[0]}T00:00:00Z`); t <= last; t += 7 * DAY) {
      const week = new Date(t).toISOString().slice(0, 10);
      const acc = byWeek.get(week) ?? { orders: 0, earned: 0n, fees: 0n, net: 0n };
      const earned = fromMinor(acc.earned, decimals);
      const fees = fromMinor(acc.fees, decimals);
      const net = fromMinor(acc.net, decimals);
      weeks.push({ week, orders: acc.orders, earned, fees, net, plot: { earned: plotValue(earned), fees: plotValue(fees), net: plotValue(net) } });
    }
  }
  const sum = (k: 'earned' | 'fees' | 'net') =>
    fromMinor(
      [...byWeek.values()].reduce((s, a) => s + a[k], 0n),
      decimals,
    );
  return { weeks, total: { orders: rows.length, earned: sum('earned'), fees: sum('fees'), net: sum('net') } };
}
