import { pgCode } from '@tandem/persistence';

/** Why a posting was parked: a fixed set, so it can label a metric and be shown to the operator. */
export type ParkReason = 'AMOUNT_OUT_OF_RANGE' | 'INVALID_DATA' | 'CONSTRAINT_VIOLATED' | 'LEDGER_REJECTED' | 'ORDER_INCOMPLETE';

export interface PermanentFailure {
  reason: ParkReason;
  sqlstate: string | null;
  /** For the log and the operator; the database's own message, never the SQL or its parameters. */
  detail: string;
}

/** An order that cannot be posted as it stands (no fee breakdown, currencies that disagree): data, not luck. */
export class UnpostableOrderError extends Error {
  override readonly name = 'UnpostableOrderError';
}

/** What the operator reads for each reason (the detail stays in the log and the table). */
export const PARK_REASON_TEXT: Readonly<Record<ParkReason, string>> = {
  AMOUNT_OUT_OF_RANGE: 'An amount of this order does not fit the ledger (numeric value out of range).',
  INVALID_DATA: "The order's stored amounts or fee breakdown cannot be read.",
  CONSTRAINT_VIOLATED: 'The ledger refused the entry (a check or reference constraint).',
  LEDGER_REJECTED: "The ledger's own checks refused the entry (it does not balance, or mixes currencies).",
  ORDER_INCOMPLETE: 'The order lacks what its posting needs (fee breakdown or supplier).',
};

/**
 * The one place that decides whether a posting failure will heal. Permanent:
 * errors in the data itself, which the same input raises every time: SQLSTATE
 * class 22 (data exceptions: 22003 numeric value out of range, 22P02 invalid
 * text), 23502/23503/23514 (not-null, foreign-key, check violations), P0001
 * (the ledger's triggers: an unbalanced or mixed-currency entry), and what
 * JavaScript raises reading the stored breakdown (BigInt of garbage, a bps
 * out of range). Everything else (serialization failures, deadlocks, lock,
 * statement and idle timeouts, lost connections, a unique race, anything
 * unknown) may heal and is retried as before.
 */
export function permanentFailure(e: unknown): PermanentFailure | null {
  const detail = String((e as Error)?.message ?? e).slice(0, 500);
  const code = pgCode(e);
  if (code) {
    if (code === '22003') return { reason: 'AMOUNT_OUT_OF_RANGE', sqlstate: code, detail };
    if (code.startsWith('22')) return { reason: 'INVALID_DATA', sqlstate: code, detail };
    if (code === '23502' || code === '23503' || code === '23514') return { reason: 'CONSTRAINT_VIOLATED', sqlstate: code, detail };
    if (code === 'P0001') return { reason: 'LEDGER_REJECTED', sqlstate: code, detail };
    return null;
  }
  if (e instanceof UnpostableOrderError) return { reason: 'ORDER_INCOMPLETE', sqlstate: null, detail };
  if (e instanceof SyntaxError || e instanceof RangeError || e instanceof TypeError) {
    return { reason: 'INVALID_DATA', sqlstate: null, detail };
  }
  return null;
}
