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

export function requireText(value: string, field: string, max: number, min = 1): string {
  const n = codePointLength(value);
  if (n < min || n > max) throw badInput(`${field} must be ${min} to ${max} characters`, field);
  return value;
}

export function requireName(value: string, field = 'name'): string {
  if (value.trim().length === 0) throw badInput(`${field} must not be blank`, field);
  return requireText(value, field, 200);
}

export function requireIntInRange(value: number, field: string, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw badInput(`${field} must be an integer from ${min} to ${max}`, field);
  }
  return value;
}
