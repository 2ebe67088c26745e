import { EntityManager } from 'typeorm';
import { selectRow } from '@tandem/persistence';
import { StoredHealthSettings, StoredSettingKey } from './health-settings';

/** Stored name -> column of health_settings. */
const COLUMN: { readonly [K in StoredSettingKey]: string } = {
  healthWindowDays: 'health_window_days',
  healthAtRiskScore: 'health_at_risk_score',
  healthSharpDrop: 'health_sharp_drop',
  healthDropLookbackDays: 'health_drop_lookback_days',
  memberIdleDays: 'member_idle_days',
};
const KEYS = Object.keys(COLUMN) as StoredSettingKey[];
const SELECTED = KEYS.map((k) => `${COLUMN[k]} AS "${k}"`).join(', ');

/** The SQL of health_settings: one row per network that changed a setting; a null column (or no row) is the default. */
export const HealthSettingsRepository = {
  async find(em: EntityManager, networkId: string): Promise<StoredHealthSettings | null> {
    return (await selectRow<StoredHealthSettings>(em, `SELECT ${SELECTED} FROM health_settings WHERE network_id = $1`, [networkId])) ?? null;
  },

  /** Merges the patch in one statement (a null parameter keeps the column), so concurrent changes of other settings are kept. */
  async merge(em: EntityManager, networkId: string, patch: { [K in StoredSettingKey]?: number }): Promise<StoredHealthSettings> {
    const columns = KEYS.map((k) => COLUMN[k]);
    const row = await selectRow<StoredHealthSettings>(
      em,
      `INSERT INTO health_settings (network_id, ${columns.join(', ')})
       VALUES ($1, ${columns.map((_, i) => `$${i + 2}::int`).join(', ')})
       ON CONFLICT (network_id) DO UPDATE SET ${columns.map((c) => `${c} = coalesce(EXCLUDED.${c}, health_settings.${c})`).join(', ')}
       RETURNING ${SELECTED}`,
      [networkId, ...KEYS.map((k) => patch[k] ?? null)],
    );
    // INSERT ... ON CONFLICT DO UPDATE always returns the row.
    return row as StoredHealthSettings;
  },
};
