import { z } from 'zod';
import { badInput } from './errors';

/**
 * One numeric setting: what zod checks and how the error explains it
 * ("windowDays must be an integer from 7 to 730").
 */
export interface SettingRule {
  readonly schema: z.ZodType<number>;
  readonly explain: string;
}

/** An integer setting from min to max inclusive. */
export const intSetting = (min: number, max: number): SettingRule => ({
  schema: z.number().int().min(min).max(max),
  explain: `an integer from ${min} to ${max}`,
});

/** A finite number setting from min to max inclusive (zod refuses NaN and infinities). */
export const numberSetting = (min: number, max: number): SettingRule => ({
  schema: z.number().min(min).max(max),
  explain: `a number from ${min} to ${max}`,
});

/** Whether a stored value obeys its rule: readers fall back to the default for one that does not. */
export function obeys(rule: SettingRule, value: unknown): value is number {
  return rule.schema.safeParse(value).success;
}

export type SettingsChange<K extends string> = { [P in K]?: number | null };

/**
 * Checks a settings change against its rules: absent or null fields mean
 * "leave as it is" and are left out of the result. The first problem is a
 * BAD_USER_INPUT naming the field. Unknown fields are dropped, unless
 * unknownField explains why they are refused.
 */
export function parseSettingsChange<K extends string>(
  rules: { readonly [P in K]: SettingRule },
  change: object | null | undefined,
  unknownField?: (field: string) => string,
): Partial<Record<K, number>> {
  const fields = Object.keys(rules) as K[];
  const shape = Object.fromEntries(fields.map((f) => [f, rules[f].schema.nullish()]));
  const schema = unknownField ? z.strictObject(shape) : z.object(shape);
  const parsed = schema.safeParse(change ?? {});
  if (!parsed.success) {
    const unknown = parsed.error.issues.find((i) => i.code === 'unrecognized_keys');
    if (unknown && unknownField) throw badInput(unknownField(unknown.keys[0]), unknown.keys[0]);
    // In the rules' order, so the same change always names the same field.
    const failed = new Set(parsed.error.issues.map((i) => String(i.path[0])));
    const field = fields.find((f) => failed.has(f)) ?? fields[0];
    throw badInput(`${field} must be ${rules[field].explain}`, field);
  }
  const out: Partial<Record<K, number>> = {};
  const values = parsed.data as Record<string, number | null | undefined>;
  for (const f of fields) {
    const v = values[f];
    if (v !== null && v !== undefined) out[f] = v;
  }
  return out;
}
