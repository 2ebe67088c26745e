import { Scalar, CustomScalar } from '@nestjs/graphql';
import { GraphQLError, Kind, ValueNode } from 'graphql';

// An explicit offset is required: a bare local time would be read in the server's zone.
const ISO_WITH_OFFSET =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:\d{2})$/i;

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
  return date;
}

function invalid() {
  return new GraphQLError('DateTime must be ISO-8601 with an offset, e.g. 2026-12-01T09:00:00Z', {
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
