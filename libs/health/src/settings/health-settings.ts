import { SettingRule, SettingsChange, intSetting, obeys, parseSettingsChange } from '@tandem/common';

/** The health settings of one network, kept in health_settings (columns named after SETTING_KEYS). */
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

/**
 * Each setting's stored name: health_settings has it as a column in snake case
 * (health_window_days...). The names are those of the settings bag this table
 * replaced (healthWindowDays is named by the issue).
 */
export const SETTING_KEYS = {
  windowDays: 'healthWindowDays',
  atRiskScore: 'healthAtRiskScore',
  sharpDrop: 'healthSharpDrop',
  dropLookbackDays: 'healthDropLookbackDays',
  idleDays: 'memberIdleDays',
} as const satisfies { readonly [K in keyof HealthSettings]: string };

export type StoredSettingKey = (typeof SETTING_KEYS)[keyof HealthSettings];
/** A network's stored settings by their stored names (SETTING_KEYS): null or absent means the default; other names are ignored. */
export type StoredHealthSettings = Readonly<Record<string, unknown>>;

export const SETTING_LIMITS: { readonly [K in keyof HealthSettings]: readonly [number, number] } = {
  windowDays: [7, 730],
  atRiskScore: [0, 100],
  sharpDrop: [1, 100],
  dropLookbackDays: [1, 90],
  idleDays: [7, 730],
};

const FIELDS = Object.keys(SETTING_KEYS) as (keyof HealthSettings)[];
const RULES = Object.fromEntries(FIELDS.map((f) => [f, intSetting(...SETTING_LIMITS[f])])) as { [K in keyof HealthSettings]: SettingRule };

/** The settings in force: stored values within their limits, defaults for the rest. */
export function healthSettingsOf(stored: StoredHealthSettings | null | undefined): HealthSettings {
  const out = { ...DEFAULT_HEALTH_SETTINGS };
  for (const field of FIELDS) {
    const value = stored?.[SETTING_KEYS[field]];
    // A value written by hand outside the limits must not break every health read: fall back.
    if (obeys(RULES[field], value)) out[field] = value;
  }
  return out;
}

export type HealthSettingsChange = SettingsChange<keyof HealthSettings>;

/**
 * Checks a change (absent or null: leave as it is) and returns it by the
 * stored names, to merge. Throws BAD_USER_INPUT.
 */
export function validateHealthSettingsChange(change: HealthSettingsChange | null | undefined): { [K in StoredSettingKey]?: number } {
  const clean = parseSettingsChange(RULES, change, (key) => `unknown health setting ${key}`);
  const patch: { [K in StoredSettingKey]?: number } = {};
  for (const field of FIELDS) {
    const value = clean[field];
    if (value !== undefined) patch[SETTING_KEYS[field]] = value;
  }
  return patch;
}
