import { Scalar, CustomScalar } from '@nestjs/graphql';
import { GraphQLError, Kind, ValueNode } from 'graphql';

// An explicit offset is required: a bare local time would be read in the server's zone.
const ISO_WITH_OFFSET = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:\d{2})$/i;

export function parseDateTime(value: unknown): Date {
  if (typeof value !== 'string') throw invalid();
  const m = ISO_WITH_OFFSET.exec(value.trim());
  if (!m) throw invalid();
  const [, y, mo, d, h, mi, s = '0'] = m;
  const date = new Date(value.trim());
  if (Number.isNaN(date.getTime())) throw invalid();
  // Reject dates the engine rolls over (2026-02-31) by checking the fields round-trip.
  const probe = new Date(Date.UTC(+y, +mo - 1, +d, +h, +mi, +s));
  if (probe.getUTCMonth() !== +mo - 1 || probe.getUTCDate() !== +d || +h > 23 || +mi > 59 || +s > 59) {
    throw invalid();
  }
  // An offset can carry 9999-12-31 into year 10000 (or 0001-01-01 into year 0),
  // which the output format cannot write as four digits.
  if (!isWithinFourDigitYears(date)) throw invalid();
  return date;
}

/** Whether the instant's UTC year is 1 to 9999: what YYYY-MM-DDTHH:mm:ss.sssZ can say. */
export function isWithinFourDigitYears(date: Date): boolean {
  const year = date.getUTCFullYear();
  return Number.isFinite(year) && year >= 1 && year <= 9999;
}

function invalid() {
  return new GraphQLError('DateTime must be ISO-8601 with an offset, e.g. 2026-12-01T09:00:00Z, in years 0001 to 9999 (UTC)', {
    extensions: { code: 'BAD_USER_INPUT' },
  });
}

@Scalar('DateTime', () => Date)
export class DateTimeScalar implements CustomScalar<string, Date> {
  description = 'ISO-8601 date-time, UTC on output.';

  parseValue(value: unknown): Date {
    return parseDateTime(value);
  }

  serialize(value: unknown): string {
    const date = value instanceof Date ? value : new Date(value as string);
    return date.toISOString();
  }

  parseLiteral(ast: ValueNode): Date {
    if (ast.kind !== Kind.STRING) throw invalid();
    return parseDateTime(ast.value);
  }
}
