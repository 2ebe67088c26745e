import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export type KeyKind = 'op' | 'mem';

/** 256 random bits behind a prefix that says what the key is (and lets secret scanners spot it). */
export function generateKey(kind: KeyKind): string {
  return `tnd_${kind}_${randomBytes(32).toString('base64url')}`;
}

/** Keys are high-entropy, so one fast hash is enough; a slow KDF guards low-entropy passwords. */
export function hashKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

export function keyHint(key: string): string {
  return `${key.slice(0, 8)}…${key.slice(-4)}`;
}

/** Two hashKey results compared in constant time (equal lengths: both are SHA-256). */
export function sameHash(a: string, b: string): boolean {
  return timingSafeEqual(Buffer.from(a, 'hex'), Buffer.from(b, 'hex'));
}

/** Longer than any key Tandem issues or accepts as the admin key; hashing more is work for nothing. */
export const MAX_KEY_LENGTH = 512;

/** What the Authorization headers say: no key we could use, one key, or several headers. */
export type Authorization = { kind: 'none' } | { kind: 'key'; key: string } | { kind: 'malformed' };

/**
 * Reads the Authorization header from every value the client sent
 * (Node keeps only the first in `req.headers`, so pass `req.headersDistinct`).
 * Two headers, or two folded into one by a proxy, are malformed: which one
 * counts would be a guess. One header that is not "Bearer <key>" (another
 * scheme, no token, a token no key could be) carries no key, which the
 * contract answers UNAUTHENTICATED like a missing one.
 */
export function readAuthorization(values: readonly string[] | string | undefined): Authorization {
  const all = values === undefined ? [] : typeof values === 'string' ? [values] : values;
  if (all.length === 0 || (all.length === 1 && all[0].trim() === '')) return { kind: 'none' };
  if (all.length > 1 || all[0].includes(',')) return { kind: 'malformed' };
  const m = /^Bearer +([\x21-\x7e]+) *$/i.exec(all[0]);
  if (!m || m[1].length > MAX_KEY_LENGTH) return { kind: 'none' };
  return { kind: 'key', key: m[1] };
}

/** The key in "Authorization: Bearer <key>", or null. */
export function bearerToken(header: string | string[] | undefined): string | null {
  const auth = readAuthorization(header);
  return auth.kind === 'key' ? auth.key : null;
}
