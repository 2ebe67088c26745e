import { DAY_MS, ROLES, Role } from '@tandem/common';

/**
 * The operator's view of the network as a whole (pure functions over rows the
 * insight service reads): who joined and who was lost each month, how each
 * join cohort is retained, whether acquisition only replaces losses, and how
 * concentrated each category's business is in its top suppliers.
 */

export interface MemberLife {
  id: string;
  roles: readonly Role[];
  joinedAt: Date;
  /** When it was revoked, if its vetting status is REVOKED now. */
  revokedAt: Date | null;
  /** Its latest business: an order placed, an order accepted, a posting; joinedAt when none. */
  lastActiveAt: Date;
}

/** Lost on revocation, or once idle for idleDays; null while it is still a member in good standing. */
export function lostAt(m: MemberLife, idleDays: number, now: Date): Date | null {
  const idle = new Date(m.lastActiveAt.getTime() + idleDays * DAY_MS);
  const candidates = [m.revokedAt, idle.getTime() <= now.getTime() ? idle : null].filter((d): d is Date => d !== null);
  if (candidates.length === 0) return null;
  return new Date(Math.min(...candidates.map((d) => d.getTime())));
}

export interface Month {
  /** YYYY-MM (UTC). */
  key: string;
  start: Date;
  end: Date;
}

export const monthKey = (d: Date) => d.toISOString().slice(0, 7);

/** The last `count` calendar months (UTC) up to and including the current one, oldest first. */
export function lastMonths(now: Date, count: number): Month[] {
  const out: Month[] = [];
  for (let i = count - 1; i >= 0; i--) {
    const start = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - i, 1));
    const end = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 1));
    out.push({ key: monthKey(start), start, end });
  }
  return out;
}

export interface MembershipMonth {
  month: string;
  role: Role;
  joined: number;
  lost: number;
  net: number;
}

/** Members joined and lost per month and role (a member with several roles counts in each). */
export function membershipByMonth(lives: readonly MemberLife[], months: readonly Month[], idleDays: number, now: Date): MembershipMonth[] {
  const rows = new Map<string, MembershipMonth>();
  for (const month of months) for (const role of ROLES) rows.set(`${month.key}|${role}`, { month: month.key, role, joined: 0, lost: 0, net: 0 });
  for (const m of lives) {
    const lost = lostAt(m, idleDays, now);
    for (const role of m.roles) {
      const j = rows.get(`${monthKey(m.joinedAt)}|${role}`);
      if (j) j.joined++;
      const l = lost ? rows.get(`${monthKey(lost)}|${role}`) : undefined;
      if (l) l.lost++;
    }
  }
  return [...rows.values()].map((r) => ({ ...r, net: r.joined - r.lost }));
}

export interface RetentionCohort {
  month: string;
  joined: number;
  retained: number;
  /** retained / joined; null for a cohort nobody joined. */
  retention: number | null;
}

/** For each join month: how many joined and how many are still members now. */
export function retentionByCohort(lives: readonly MemberLife[], months: readonly Month[], idleDays: number, now: Date): RetentionCohort[] {
  const rows = new Map(months.map((m) => [m.key, { month: m.key, joined: 0, retained: 0, retention: null as number | null }]));
  for (const m of lives) {
    const row = rows.get(monthKey(m.joinedAt));
    if (!row) continue;
    row.joined++;
    if (!lostAt(m, idleDays, now)) row.retained++;
  }
  return [...rows.values()].map((r) => ({ ...r, retention: r.joined > 0 ? r.retained / r.joined : null }));
}

export interface AcquisitionRetention {
  from: Date;
  to: Date;
  /** Members at the period's start (joined before, not lost before). */
  membersAtStart: number;
  acquired: number;
  lost: number;
  net: number;
  /** acquired / membersAtStart; null without members at the start. */
  acquisitionRate: number | null;
  /** lost / membersAtStart. */
  churnRate: number | null;
  /** lost / acquired: how much of the acquisition only replaces losses; null without acquisitions. */
  lostPerAcquired: number | null;
  /** True when half or more of the period's acquisition only replaced lost members. */
  eroding: boolean;
  summary: string;
}

const pct = (x: number) => `${Math.round(x * 1000) / 10}%`;

export function acquisitionVsRetention(lives: readonly MemberLife[], from: Date, idleDays: number, now: Date): AcquisitionRetention {
  let atStart = 0;
  let acquired = 0;
  let lost = 0;
  for (const m of lives) {
    const l = lostAt(m, idleDays, now);
    if (m.joinedAt < from && (!l || l >= from)) atStart++;
    if (m.joinedAt >= from && m.joinedAt <= now) acquired++;
    if (l && l >= from && l <= now) lost++;
  }
  const lostPerAcquired = acquired > 0 ? lost / acquired : null;
  const eroding = lost > 0 && lost * 2 >= acquired;
  const since = from.toISOString().slice(0, 10);
  const summary =
    acquired === 0 && lost === 0
      ? `No member joined or was lost since ${since}.`
      : `Since ${since} the network won ${acquired} and lost ${lost} members (net ${acquired - lost >= 0 ? '+' : ''}${acquired - lost})` +
        (lostPerAcquired === null ? '.' : `: ${pct(lostPerAcquired)} of new members only replaced lost ones.`) +
        (eroding ? ' The network is eroding: it wins members about as fast as it loses them.' : '');
  return {
    from,
    to: now,
    membersAtStart: atStart,
    acquired,
    lost,
    net: acquired - lost,
    acquisitionRate: atStart > 0 ? acquired / atStart : null,
    churnRate: atStart > 0 ? lost / atStart : null,
    lostPerAcquired,
    eroding,
    summary,
  };
}

export interface SupplierBusiness {
  category: string;
  supplierId: string;
  orders: number;
  business: bigint;
}

export interface SupplierShare {
  supplierId: string;
  orders: number;
  business: bigint;
  share: number;
}

export interface CategoryPowerBalance {
  category: string;
  orders: number;
  business: bigint;
  suppliers: number;
  /** The top suppliers by business, largest first (ties by id). */
  topSuppliers: SupplierShare[];
  topSupplierShare: number;
  /** Share of the top `top` suppliers together. */
  topShare: number;
  /** Herfindahl-Hirschman index of supplier shares: 1/suppliers when even, 1 for a monopoly. */
  concentration: number;
}

const shareOf = (part: bigint, total: bigint) => (total > 0n ? Number((part * 1_000_000n) / total) / 1_000_000 : 0);

/** Power balance per category, largest categories first. */
export function powerBalance(rows: readonly SupplierBusiness[], top = 3): CategoryPowerBalance[] {
  const byCategory = new Map<string, SupplierBusiness[]>();
  for (const r of rows) byCategory.set(r.category, [...(byCategory.get(r.category) ?? []), r]);
  const out: CategoryPowerBalance[] = [];
  for (const [category, list] of byCategory) {
    const total = list.reduce((s, r) => s + r.business, 0n);
    const sorted = [...list].sort((a, b) => (a.business === b.business ? a.supplierId.localeCompare(b.supplierId) : a.business > b.business ? -1 : 1));
    const shares = sorted.map((r) => ({ supplierId: r.supplierId, orders: r.orders, business: r.business, share: shareOf(r.business, total) }));
    const topList = shares.slice(0, top);
    out.push({
      category,
      orders: list.reduce((s, r) => s + r.orders, 0),
      business: total,
      suppliers: list.length,
      topSuppliers: topList,
      topSupplierShare: topList[0]?.share ?? 0,
      topShare: shareOf(
        topList.reduce((s, r) => s + r.business, 0n),
        total,
      ),
      concentration: shares.reduce((s, r) => s + r.share * r.share, 0),
    });
  }
  return out.sort((a, b) => (a.business === b.business ? a.category.localeCompare(b.category) : a.business > b.business ? -1 : 1));
}
