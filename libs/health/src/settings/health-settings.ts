import { badInput, requireIntInRange } from '@tandem/common';

/** The health settings of one network, kept in networks.settings (keys in SETTING_KEYS). */
export interface HealthSettings {
  /** Trailing window every measure looks at. */
  windowDays: number;
  /** A score below this is at risk. */
  atRiskScore: number;
  /** A fall of at least this many points from the best recent snapshot is at risk. */
  sharpDrop: number;
  /** How far back "recent" snapshots reach for the sharp-drop rule. */
  dropLookbackDays: number;
  /** A member with no business for this long counts as lost (network insight). */
  idleDays: number;
}

export const DEFAULT_HEALTH_SETTINGS: Readonly<HealthSettings> = Object.freeze({
  windowDays: 90,
  atRiskScore: 40,
  sharpDrop: 15,
  dropLookbackDays: 7,
  idleDays: 90,
});

/** Where each setting lives in networks.settings (healthWindowDays is named by the issue). */
export const SETTING_KEYS: { readonly [K in keyof HealthSettings]: string } = {
  windowDays: 'healthWindowDays',
  atRiskScore: 'healthAtRiskScore',
  sharpDrop: 'healthSharpDrop',
  dropLookbackDays: 'healthDropLookbackDays',
  idleDays: 'memberIdleDays',
};

export const SETTING_LIMITS: { readonly [K in keyof HealthSettings]: readonly [number, number] } = {
  windowDays: [7, 730],
  atRiskScore: [0, 100],
  sharpDrop: [1, 100],
  dropLookbackDays: [1, 90],
  idleDays: [7, 730],
};

const FIELDS = Object.keys(SETTING_KEYS) as (keyof HealthSettings)[];

/** The settings in force: stored values within their limits, defaults for the rest. */
export function healthSettingsOf(settings: Record<string, unknown> | null | undefined): HealthSettings {
  const out = { ...DEFAULT_HEALTH_SETTINGS };
  for (const field of FIELDS) {
    const value = settings?.[SETTING_KEYS[field]];
    const [min, max] = SETTING_LIMITS[field];
    // A value written by hand outside the limits must not break every health read: fall back.
    if (typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max) out[field] = value;
  }
  return out;
}

export type HealthSettingsChange = { [K in keyof HealthSettings]?: number | null };

/**
 * Checks a change (absent or null: leave as it is) and returns it as the
 * networks.settings keys to merge. Throws BAD_USER_INPUT.
 */
export function validateHealthSettingsChange(change: HealthSettingsChange | null | undefined): Record<string, number> {
  const patch: Record<string, number> = {};
  if (!change) return patch;
  for (const key of Object.keys(change)) {
    if (!(FIELDS as string[]).includes(key)) throw badInput(`unknown health setting ${key}`, key);
  }
  for (const field of FIELDS) {
    const value = change[field];
    if (value === null || value === undefined) continue;
    const [min, max] = SETTING_LIMITS[field];
    patch[SETTING_KEYS[field]] = requireIntInRange(value, field, min, max);
  }
  return patch;
}
