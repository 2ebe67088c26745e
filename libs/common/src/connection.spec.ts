import { DomainError } from './errors';
import { decodeCursor, encodeCursor } from './connection';

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
