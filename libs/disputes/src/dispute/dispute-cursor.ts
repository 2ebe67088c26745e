import { badInput, isUuid, isWithinFourDigitYears } from '@tandem/common';

/**
 * Keyset position in the disputes list (open ones oldest first, then the rest
 * newest first): whether the row is open, its created_at to the millisecond
 * (the list sorts on that truncation, so the cursor holds the whole key) and
 * its id. Text: base64url of `O|C` + ISO instant, `|`, the id.
 */
export interface DisputeCursor {
  open: boolean;
  createdAt: Date;
  id: string;
}

const KEY = /^([OC])(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)$/;
const TEXT = /^[A-Za-z0-9_-]{1,200}$/;

export function encodeDisputeCursor(c: DisputeCursor): string {
  return Buffer.from(`${c.open ? 'O' : 'C'}${c.createdAt.toISOString()}|${c.id}`, 'utf8').toString('base64url');
}

/** Reads a cursor made by encodeDisputeCursor; anything else is BAD_USER_INPUT, never a database error. */
export function decodeDisputeCursor(raw: string, field = 'after'): DisputeCursor {
  const refuse = () => badInput(`${field} is not a cursor from this list`, field);
  if (typeof raw !== 'string' || !TEXT.test(raw)) throw refuse();
  const parts = Buffer.from(raw, 'base64url').toString('utf8').split('|');
  if (parts.length !== 2 || !isUuid(parts[1])) throw refuse();
  const key = KEY.exec(parts[0]);
  if (!key) throw refuse();
  const createdAt = new Date(key[2]);
  // Years 0001 to 9999 only, exactly as toISOString writes them (PostgreSQL cannot compare what lies beyond).
  if (!isWithinFourDigitYears(createdAt) || createdAt.toISOString() !== key[2]) throw refuse();
  const cursor = { open: key[1] === 'O', createdAt, id: parts[1] };
  if (encodeDisputeCursor(cursor) !== raw) throw refuse();
  return cursor;
}
