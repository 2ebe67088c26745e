/** An order as the operator's overview reads it. */
export interface RoutedOrder {
  status: string;
  createdAt: string;
  routing: { eligible: boolean; reason?: string | null }[];
}

export interface RoutingSummary {
  orders: number;
  byStatus: { status: string; count: number }[];
  /** Orders that reached a supplier (offered, accepted or later) against those that found none. */
  routed: number;
  unroutable: number;
  /** Excluded suppliers' reasons over those orders, most frequent first. */
  reasons: { reason: string; count: number }[];
}

const ROUTED = new Set(['OFFERED', 'ACCEPTED', 'FULFILLED', 'REFUNDED']);

/** Start of the reader's local day, as an instant. */
export function startOfLocalDay(now: Date): Date {
  return new Date(now.getFullYear(), now.getMonth(), now.getDate());
}

/** Figures of the orders created since `since`: by status, routing outcomes and top exclusion reasons. */
export function summarizeRouting(orders: RoutedOrder[], since: Date): RoutingSummary {
  const recent = orders.filter((o) => Date.parse(o.createdAt) >= since.getTime());
  const statuses = new Map<string, number>();
  const reasons = new Map<string, number>();
  for (const o of recent) {
    statuses.set(o.status, (statuses.get(o.status) ?? 0) + 1);
    for (const row of o.routing) {
      if (!row.eligible && row.reason) reasons.set(row.reason, (reasons.get(row.reason) ?? 0) + 1);
    }
  }
  const sorted = (m: Map<string, number>) => [...m.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  return {
    orders: recent.length,
    byStatus: sorted(statuses).map(([status, count]) => ({ status, count })),
    routed: recent.filter((o) => ROUTED.has(o.status)).length,
    unroutable: recent.filter((o) => o.status === 'UNROUTABLE').length,
    reasons: sorted(reasons).map(([reason, count]) => ({ reason, count })),
  };
}

export interface MembershipMonth {
  month: string;
  role: string;
  joined: number;
  lost: number;
}

export interface CohortMonth {
  month: string;
  joined: number;
  retained: number;
  retention?: number | null;
}

export interface AcquisitionMonth {
  month: string;
  joined: number;
  lost: number;
  net: number;
  /** Percentage of that month's joiners still members; null when nobody joined. */
  retainedPct: number | null;
}

/** Acquisition (joined) against losses and cohort retention per month, all roles together. */
export function acquisitionByMonth(membership: MembershipMonth[], cohorts: CohortMonth[]): AcquisitionMonth[] {
  const months = new Map<string, AcquisitionMonth>();
  const row = (month: string) => {
    let r = months.get(month);
    if (!r) months.set(month, (r = { month, joined: 0, lost: 0, net: 0, retainedPct: null }));
    return r;
  };
  for (const m of membership) {
    const r = row(m.month);
    r.joined += m.joined;
    r.lost += m.lost;
    r.net = r.joined - r.lost;
  }
  for (const c of cohorts) {
    const r = row(c.month);
    r.retainedPct = c.retention === null || c.retention === undefined ? null : Math.round(c.retention * 1000) / 10;
  }
  return [...months.values()].sort((a, b) => a.month.localeCompare(b.month));
}
