import { randomUUID } from 'node:crypto';

/** What a client may send as X-Request-Id: 1 to 64 of letters, digits, '.', '_' and '-'. */
const WELL_FORMED_REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * The client's X-Request-Id when it is well formed, else a fresh one: a
 * client must not be able to write newlines, markup or megabytes into every
 * log line of its request.
 */
export function requestIdFrom(header: string | string[] | undefined): string {
  return typeof header === 'string' && WELL_FORMED_REQUEST_ID.test(header) ? header : randomUUID();
}
