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

/** The two parts of a cursor's text, or BAD_USER_INPUT: base64url of `key|id`, the id a UUID or a positive bigint within int64. */
function cursorParts(raw: string, field: string): { key: string; id: string; refuse: () => Error } {
  const refuse = () => badInput(`${field} is not a cursor from this list`, field);
  if (typeof raw !== 'string' || !CURSOR_TEXT.test(raw)) throw refuse();
  const parts = Buffer.from(raw, 'base64url').toString('utf8').split('|');
  if (parts.length !== 2) throw refuse();
  const [key, id] = parts;
  if (!CURSOR_ID.test(id)) throw refuse();
  if (!id.includes('-') && BigInt(id) > INT64_MAX) throw refuse();
  return { key, id, refuse };
}

/**
 * Reads a cursor made by encodeCursor; anything else is BAD_USER_INPUT, never a
 * database error: the instant must be one toISOString writes for years 0001 to
 * 9999 (PostgreSQL cannot compare year -271821), the id a UUID or a positive
 * bigint within int64, and the text must re-encode to exactly what was sent.
 */
export function decodeCursor(raw: string, field = 'after'): Cursor {
  const { key: at, id, refuse } = cursorParts(raw, field);
  if (!CURSOR_INSTANT.test(at)) throw refuse();
  const createdAt = new Date(at);
  if (!isWithinFourDigitYears(createdAt) || createdAt.toISOString() !== at) throw refuse();
  const cursor = { createdAt, id };
  if (encodeCursor(cursor) !== raw) throw refuse();
  return cursor;
}

/** Keyset position of a row in a list ordered by (score, id), the score 0.0 to 100.0 with one decimal. */
export interface ScoreCursor {
  /** The score as the list stores it, one decimal: compared exactly, never as a float. */
  score: string;
  id: string;
}

const CURSOR_SCORE = /^(?:100|[1-9]?\d)\.\d$/;

export function encodeScoreCursor(c: { score: number; id: string }): string {
  return Buffer.from(`${c.score.toFixed(1)}|${c.id}`, 'utf8').toString('base64url');
}

/** Reads a cursor made by encodeScoreCursor (score 0.0 to 100.0, one decimal); anything else is BAD_USER_INPUT. */
export function decodeScoreCursor(raw: string, field = 'after'): ScoreCursor {
  const { key: score, id, refuse } = cursorParts(raw, field);
  if (!CURSOR_SCORE.test(score) || Number(score) > 100) throw refuse();
  if (encodeScoreCursor({ score: Number(score), id }) !== raw) throw refuse();
  return { score, id };
}

export function pageSize(first: number | null | undefined): number {
  if (first === null || first === undefined) return DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(first) || first < 0 || first > MAX_PAGE_SIZE) {
    throw badInput(`first must be from 0 to ${MAX_PAGE_SIZE}`, 'first');
  }
  return first;
}

/** The Relay connection spec's PageInfo, whole. */
export interface PageInfo {
  hasNextPage: boolean;
  /** True when `after` pointed past at least one row of the list. */
  hasPreviousPage: boolean;
  /** The first and last edge's cursors; null with no edges. */
  startCursor: string | null;
  endCursor: string | null;
}

export interface Page<T> {
  edges: { node: T; cursor: string }[];
  pageInfo: PageInfo;
  totalCount: number;
}

/**
 * Builds a page from rows fetched with limit size + 1 (the extra row says a
 * next page exists), each edge's cursor from `cursorOf`. `hasPreviousPage`
 * comes from the caller, which alone knows what `after` pointed past.
 */
export function pageOf<T>(rows: T[], size: number, totalCount: number, cursorOf: (node: T) => string, hasPreviousPage: boolean): Page<T> {
  const edges = rows.slice(0, size).map((node) => ({ node, cursor: cursorOf(node) }));
  return {
    edges,
    pageInfo: { hasNextPage: rows.length > size, hasPreviousPage, startCursor: edges[0]?.cursor ?? null, endCursor: edges.at(-1)?.cursor ?? null },
    totalCount,
  };
}

/**
 * Whether `after` pointed past at least one row, from what a keyset page
 * already knows: the rows fetched after the cursor (limit size + 1) and the
 * count of the whole filtered list. On the last page (size rows or fewer) the
 * rows after the cursor are exactly those fetched, so the rows before it are
 * totalCount minus them: exact. Before the last page, the count says "none"
 * when it leaves no room for a row before the cursor; otherwise the answer is
 * true, which is exact for a cursor this list gave out while its row still
 * matches the filter. A list that needs it exact in every case asks the
 * database and calls pageOf (the relationships list does).
 */
export function pointsPastARow(after: Cursor | null | undefined, fetched: number, totalCount: number): boolean {
  if (!after) return false;
  return totalCount - fetched > 0;
}

/** Builds a page of a list ordered by (created_at, id), fetched after `after` with limit size + 1. */
export function toPage<T extends { createdAt: Date; id: string }>(rows: T[], size: number, totalCount: number, after: Cursor | null = null): Page<T> {
  return pageOf(rows, size, totalCount, encodeCursor, pointsPastARow(after, rows.length, totalCount));
}
