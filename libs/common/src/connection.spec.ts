import { DomainError } from './errors';
import { decodeCursor, decodeScoreCursor, encodeCursor, encodeScoreCursor, pageOf, toPage } from './connection';

const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64url');

function refused(raw: string): DomainError {
  try {
    decodeCursor(raw);
  } catch (e) {
    expect(e).toBeInstanceOf(DomainError);
    expect((e as DomainError).code).toBe('BAD_USER_INPUT');
    return e as DomainError;
  }
  throw new Error(`cursor ${raw} was accepted`);
}

describe('cursors', () => {
  const uuid = '3f2b1c9e-8a7d-4e6f-9b0a-1c2d3e4f5a6b';

  it('reads back what encodeCursor wrote, for UUID and bigint ids', () => {
    const at = new Date('2026-03-01T10:00:00.123Z');
    expect(decodeCursor(encodeCursor({ createdAt: at, id: uuid }))).toEqual({ createdAt: at, id: uuid });
    expect(decodeCursor(encodeCursor({ createdAt: at, id: '9223372036854775807' }))).toEqual({ createdAt: at, id: '9223372036854775807' });
    expect(decodeCursor(encodeCursor({ createdAt: new Date('0001-01-01T00:00:00.000Z'), id: '1' })).id).toBe('1');
    expect(decodeCursor(encodeCursor({ createdAt: new Date('9999-12-31T23:59:59.999Z'), id: '1' })).id).toBe('1');
  });

  it.each([
    ['year -271821 (the smallest JavaScript date)', b64(`${new Date(-8.64e15).toISOString()}|${uuid}`)],
    ['year +275760 (the largest)', b64(`${new Date(8.64e15).toISOString()}|${uuid}`)],
    ['year 0', b64(`0000-06-01T00:00:00.000Z|${uuid}`)],
    ['an id above int64', b64('2026-03-01T10:00:00.000Z|9223372036854775808')],
    ['a 25-digit id', b64('2026-03-01T10:00:00.000Z|1234567890123456789012345')],
    ['id zero', b64('2026-03-01T10:00:00.000Z|0')],
    ['a negative id', b64('2026-03-01T10:00:00.000Z|-5')],
    ['an id with SQL in it', b64("2026-03-01T10:00:00.000Z|1' OR '1'='1")],
    ['a date JavaScript rolls over', b64(`2026-02-31T00:00:00.000Z|${uuid}`)],
    ['a date without milliseconds', b64(`2026-03-01T10:00:00Z|${uuid}`)],
    ['a date with an offset', b64(`2026-03-01T10:00:00.000+01:00|${uuid}`)],
    ['three parts', b64(`2026-03-01T10:00:00.000Z|${uuid}|x`)],
    ['no separator', b64(uuid)],
    ['a NUL', b64(`2026-03-01T10:00:00.000Z|${uuid}\u0000`)],
    ['garbage base64', '%%%not-base64%%%'],
    ['base64 of garbage bytes', Buffer.from([0xff, 0xfe, 0x00, 0x7c, 0x80]).toString('base64url')],
    ['padded base64', `${b64(`2026-03-01T10:00:00.000Z|${uuid}`)}==`],
    ['standard base64 with + and /', '+/+/'],
    ['empty', ''],
    ['very long', 'A'.repeat(10_000)],
  ])('refuses %s', (_label, raw) => {
    expect(refused(raw).details).toEqual({ field: 'after' });
  });
});

describe('score cursors', () => {
  const uuid = '3f2b1c9e-8a7d-4e6f-9b0a-1c2d3e4f5a6b';

  it('read back the score with one decimal, as text, and the id', () => {
    expect(decodeScoreCursor(encodeScoreCursor({ score: 57.1, id: uuid }))).toEqual({ score: '57.1', id: uuid });
    expect(decodeScoreCursor(encodeScoreCursor({ score: 0, id: uuid }))).toEqual({ score: '0.0', id: uuid });
    expect(decodeScoreCursor(encodeScoreCursor({ score: 100, id: uuid }))).toEqual({ score: '100.0', id: uuid });
  });

  it.each([
    ['a score above 100', b64(`100.5|${uuid}`)],
    ['a score of 101', b64(`101.0|${uuid}`)],
    ['a negative score', b64(`-1.0|${uuid}`)],
    ['two decimals', b64(`57.12|${uuid}`)],
    ['no decimal', b64(`57|${uuid}`)],
    ['a leading zero', b64(`05.0|${uuid}`)],
    ['an exponent', b64(`1e2|${uuid}`)],
    ['NaN', b64(`NaN|${uuid}`)],
    ['a date cursor', encodeCursor({ createdAt: new Date('2026-03-01T10:00:00.000Z'), id: uuid })],
    ['an id with SQL in it', b64("50.0|1' OR '1'='1")],
    ['three parts', b64(`50.0|${uuid}|x`)],
    ['garbage', '%%%'],
  ])('refuse %s', (_label, raw) => {
    let error: unknown;
    try {
      decodeScoreCursor(raw);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe('BAD_USER_INPUT');
    expect((error as DomainError).details).toEqual({ field: 'after' });
  });

  it('are not read as date cursors either', () => {
    expect(refused(encodeScoreCursor({ score: 50, id: uuid })).code).toBe('BAD_USER_INPUT');
  });
});

describe('pages (the Relay PageInfo)', () => {
  const row = (n: number) => ({ id: `00000000-0000-4000-8000-00000000000${n}`, createdAt: new Date(Date.UTC(2026, 0, n)) });
  const rows = [1, 2, 3, 4].map(row);

  it("give the first and last edge's cursors, and a next page when the extra row came back", () => {
    const page = toPage(rows.slice(0, 3), 2, 4);
    expect(page.edges.map((e) => e.node.id)).toEqual([rows[0].id, rows[1].id]);
    expect(page.pageInfo).toEqual({
      hasNextPage: true,
      hasPreviousPage: false,
      startCursor: encodeCursor(rows[0]),
      endCursor: encodeCursor(rows[1]),
    });
    expect(page.totalCount).toBe(4);
  });

  it('have null cursors and no next page without edges', () => {
    expect(toPage([], 20, 0).pageInfo).toEqual({ hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null });
    expect(toPage([], 0, 4).pageInfo).toEqual({ hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null });
  });

  it('have a previous page only when after pointed past at least one row', () => {
    // The second page of four rows, two a page: two rows lie before the cursor.
    expect(toPage(rows.slice(2), 2, 4, rows[1]).pageInfo).toMatchObject({ hasPreviousPage: true, hasNextPage: false, startCursor: encodeCursor(rows[2]) });
    // Past the last row: an empty page, but the cursor pointed past all four.
    expect(toPage([], 2, 4, rows[3]).pageInfo).toEqual({ hasNextPage: false, hasPreviousPage: true, startCursor: null, endCursor: null });
    // A cursor before every row (all four fetched after it): nothing before it.
    expect(toPage(rows, 10, 4, { createdAt: new Date(Date.UTC(2025, 0, 1)), id: rows[0].id }).pageInfo.hasPreviousPage).toBe(false);
    // The first page, asked with a cursor before everything and a next page: the count leaves no room for a row before it.
    expect(toPage(rows.slice(0, 3), 2, 3, { createdAt: new Date(Date.UTC(2025, 0, 1)), id: rows[0].id }).pageInfo.hasPreviousPage).toBe(false);
    // No cursor: no previous page.
    expect(toPage(rows.slice(0, 3), 2, 4).pageInfo.hasPreviousPage).toBe(false);
  });

  it("take any cursor and the caller's word on the previous page (pageOf)", () => {
    const scored = [
      { score: 10, id: 'a' },
      { score: 20, id: 'b' },
    ];
    const page = pageOf(scored, 1, 2, (n) => `c-${n.id}`, true);
    expect(page).toEqual({
      edges: [{ node: scored[0], cursor: 'c-a' }],
      pageInfo: { hasNextPage: true, hasPreviousPage: true, startCursor: 'c-a', endCursor: 'c-a' },
      totalCount: 2,
    });
  });
});
