import { isWithinFourDigitYears } from './date-time.scalar';
import { badInput } from './errors';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

/** Keyset position of a row in a list ordered by (created_at, id). */
export interface Cursor {
  createdAt: Date;
  id: string;
}

export function encodeCursor(c: Cursor): string {
  return Buffer.from(`${c.createdAt.toISOString()}|${c.id}`, 'utf8').toString('base64url');
}

const INT64_MAX = 9_223_372_036_854_775_807n;
// Cursors are short; anything longer or outside base64url did not come from encodeCursor.
const CURSOR_TEXT = /^[A-Za-z0-9_-]{1,200}$/;
const CURSOR_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const CURSOR_ID = /^(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[1-9]\d{0,18})$/i;

/**
 * Reads a cursor made by encodeCursor; anything else is BAD_USER_INPUT, never a
 * database error: the instant must be one toISOString writes for years 0001 to
 * 9999 (PostgreSQL cannot compare year -271821), the id a UUID or a positive
 * bigint within int64, and the text must re-encode to exactly what was sent.
 */
export function decodeCursor(raw: string, field = 'after'): Cursor {
  const refuse = () => badInput(`${field} is not a cursor from this list`, field);
  if (typeof raw !== 'string' || !CURSOR_TEXT.test(raw)) throw refuse();
  const parts = Buffer.from(raw, 'base64url').toString('utf8').split('|');
  if (parts.length !== 2) throw refuse();
  const [at, id] = parts;
  if (!CURSOR_INSTANT.test(at) || !CURSOR_ID.test(id)) throw refuse();
  if (!id.includes('-') && BigInt(id) > INT64_MAX) throw refuse();
  const createdAt = new Date(at);
  if (!isWithinFourDigitYears(createdAt) || createdAt.toISOString() !== at) throw refuse();
  const cursor = { createdAt, id };
  if (encodeCursor(cursor) !== raw) throw refuse();
  return cursor;
}

export function pageSize(first: number | null | undefined): number {
  if (first === null || first === undefined) return DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(first) || first < 0 || first > MAX_PAGE_SIZE) {
    throw badInput(`first must be from 0 to ${MAX_PAGE_SIZE}`, 'first');
  }
  return first;
}

export interface Page<T> {
  edges: { node: T; cursor: string }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  totalCount: number;
}

/** Builds a page from rows fetched with limit size + 1 (the extra row says a next page exists). */
export function toPage<T extends { createdAt: Date; id: string }>(rows: T[], size: number, totalCount: number): Page<T> {
  const nodes = rows.slice(0, size);
  const edges = nodes.map((node) => ({ node, cursor: encodeCursor(node) }));
  return {
    edges,
    pageInfo: { hasNextPage: rows.length > size, endCursor: edges.at(-1)?.cursor ?? null },
    totalCount,
  };
}
