import type { MemberRole } from './member-role';

/** The fee fields health watches; a partner loses when its share falls, the others when a fee rises. */
export type WatchedFee = 'clientFeeBps' | 'supplierFeeBps' | 'partnerShareBps';

/** One row of fee_term_changes: the network's full schedule (memberId null) or a member's overrides after the change. */
export interface FeeTermsChange {
  memberId: string | null;
  terms: Partial<Record<string, unknown>>;
  effectiveAt: Date;
}

/** A change in the window that made this member's terms worse for it. */
export interface FeeIncrease {
  field: WatchedFee;
  from: number;
  to: number;
  at: Date;
  /** Whether the network's schedule or this member's own terms changed. */
  scope: 'NETWORK' | 'MEMBER';
}

const WATCH: readonly { field: WatchedFee; role: MemberRole; worse: (from: number, to: number) => boolean }[] = [
  { field: 'clientFeeBps', role: 'CLIENT', worse: (a, b) => b > a },
  { field: 'supplierFeeBps', role: 'SUPPLIER', worse: (a, b) => b > a },
  { field: 'partnerShareBps', role: 'PARTNER', worse: (a, b) => b < a },
];

function bps(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

/**
 * Replays the network's schedule and the member's overrides in time order and
 * returns each change, effective within [from, to], that raised a fee the member
 * pays in one of its roles (or cut its partner share). `changes` may mix network
 * and member rows; rows of other members must not be passed.
 */
export function feeIncreases(changes: readonly FeeTermsChange[], roles: readonly MemberRole[], from: Date, to: Date): FeeIncrease[] {
  const ordered = [...changes].sort((a, b) => a.effectiveAt.getTime() - b.effectiveAt.getTime());
  const network: Record<string, unknown> = {};
  let overrides: Record<string, unknown> = {};
  const out: FeeIncrease[] = [];
  for (const change of ordered) {
    const before = { ...network, ...overrides };
    if (change.memberId === null) Object.assign(network, change.terms);
    else overrides = { ...change.terms };
    const after = { ...network, ...overrides };
    const t = change.effectiveAt.getTime();
    if (t < from.getTime() || t > to.getTime()) continue;
    for (const w of WATCH) {
      if (!roles.includes(w.role)) continue;
      const a = bps(before[w.field]);
      const b = bps(after[w.field]);
      // No earlier value (the network's creation): nothing was raised.
      if (a === undefined || b === undefined || !w.worse(a, b)) continue;
      out.push({ field: w.field, from: a, to: b, at: change.effectiveAt, scope: change.memberId === null ? 'NETWORK' : 'MEMBER' });
    }
  }
  return out;
}
