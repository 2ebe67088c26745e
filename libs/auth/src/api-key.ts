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

export function sameKey(a: string, b: string): boolean {
  return timingSafeEqual(Buffer.from(hashKey(a), 'hex'), Buffer.from(hashKey(b), 'hex'));
}

/** The key in "Authorization: Bearer <key>", or null. */
export function bearerToken(header: string | string[] | undefined): string | null {
  const value = Array.isArray(header) ? header[0] : header;
  const m = value ? /^Bearer\s+(\S+)\s*$/i.exec(value) : null;
  return m ? m[1] : null;
}
