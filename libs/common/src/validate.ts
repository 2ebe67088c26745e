import { badInput } from './errors';

const CODE = /^[A-Za-z0-9_-]{1,64}$/;

/** Category codes: trimmed, lower case, 1-64 of letters, digits, '-' and '_'. */
export function normalizeCategory(raw: string, field = 'category'): string {
  const v = raw.trim().toLowerCase();
  if (!CODE.test(v)) throw badInput(`${field} must be 1 to 64 letters, digits, '-' or '_'`, field);
  return v;
}

/** Region codes: trimmed, upper case, same alphabet as categories. */
export function normalizeRegion(raw: string, field = 'region'): string {
  const v = raw.trim().toUpperCase();
  if (!CODE.test(v)) throw badInput(`${field} must be 1 to 64 letters, digits, '-' or '_'`, field);
  return v;
}

/** Counts Unicode code points, so an emoji is one character as the contract says. */
export function codePointLength(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

// With the u flag a surrogate pair is one code point; only an unpaired half matches.
const LONE_SURROGATE = /\p{Cs}/u;

/**
 * Refuses text PostgreSQL cannot store or would store altered: a NUL (U+0000)
 * fails the insert ("invalid byte sequence"), a lone surrogate half would be
 * written as U+FFFD. Every free-text input goes through here (requireText,
 * requireName, order notes and idempotency keys).
 */
export function requireStorableText(value: string, field: string): string {
  if (typeof value !== 'string') throw badInput(`${field} must be text`, field);
  if (value.includes('\u0000')) throw badInput(`${field} must not contain NUL (U+0000) characters`, field);
  if (LONE_SURROGATE.test(value)) throw badInput(`${field} must be well-formed Unicode (no lone surrogates)`, field);
  return value;
}

export function requireText(value: string, field: string, max: number, min = 1): string {
  requireStorableText(value, field);
  const n = codePointLength(value);
  if (n < min || n > max) throw badInput(`${field} must be ${min} to ${max} characters`, field);
  return value;
}

// Characters that show nothing: white space, zero-width and other default-ignorable
// characters (U+200B-U+200D, U+2060, U+FEFF, U+00AD...) and control characters.
const INVISIBLE_ONLY = /^[\p{White_Space}\p{Default_Ignorable_Code_Point}\p{Cc}]*$/u;

/** Whether the text would look empty on screen. */
export function isBlank(value: string): boolean {
  return INVISIBLE_ONLY.test(value);
}

/** Names: 1 to 200 code points, at least one of them visible. */
export function requireName(value: string, field = 'name'): string {
  requireStorableText(value, field);
  if (isBlank(value)) throw badInput(`${field} must not be blank or only invisible characters`, field);
  return requireText(value, field, 200);
}

export function requireIntInRange(value: number, field: string, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw badInput(`${field} must be an integer from ${min} to ${max}`, field);
  }
  return value;
}
