import { GraphQLError, Kind } from 'graphql';
import { DateTimeScalar, parseDateTime } from './date-time.scalar';

function refused(value: unknown): void {
  let thrown: unknown;
  try {
    parseDateTime(value);
  } catch (e) {
    thrown = e;
  }
  expect(thrown).toBeInstanceOf(GraphQLError);
  expect((thrown as GraphQLError).extensions.code).toBe('BAD_USER_INPUT');
}

describe('DateTime input', () => {
  it('accepts the first and last instants of years 0001 to 9999 (UTC)', () => {
    expect(parseDateTime('0001-01-01T00:00:00Z').toISOString()).toBe('0001-01-01T00:00:00.000Z');
    expect(parseDateTime('9999-12-31T23:59:59.999Z').toISOString()).toBe('9999-12-31T23:59:59.999Z');
    expect(parseDateTime('9999-12-31T23:59:59+01:00').toISOString()).toBe('9999-12-31T22:59:59.000Z');
  });

  it.each([
    ['an offset that carries 9999-12-31 into year 10000', '9999-12-31T23:59:59-23:59'],
    ['one millisecond after 9999 in UTC', '9999-12-31T23:59:59.999-00:01'],
    ['an offset that carries 0001-01-01 back into year 0', '0001-01-01T00:00:00+00:01'],
    ['year 0', '0000-06-01T00:00:00Z'],
    ['a six-digit year', '+010000-01-01T00:00:00Z'],
    ['a negative year', '-271821-04-20T00:00:00Z'],
    ['an offset of 25 hours', '2026-01-01T00:00:00+25:00'],
    ['no offset', '2026-01-01T00:00:00'],
  ])('refuses %s (%s)', (_label, value) => {
    refused(value);
  });

  it('applies the same rule to literals and variables', () => {
    const scalar = new DateTimeScalar();
    expect(() => scalar.parseLiteral({ kind: Kind.STRING, value: '9999-12-31T23:59:59-23:59' })).toThrow(GraphQLError);
    expect(() => scalar.parseValue('9999-12-31T23:59:59-23:59')).toThrow(GraphQLError);
    expect(scalar.serialize(scalar.parseValue('2026-12-01T09:00:00+02:00'))).toBe('2026-12-01T07:00:00.000Z');
  });
});
