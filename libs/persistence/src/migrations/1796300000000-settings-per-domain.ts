import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Each domain's settings in a table its owner owns, instead of networks'
 * jsonb written by three libraries: routing_policies (libs/routing),
 * health_settings (libs/health), settlement_schedules (libs/settlement). A
 * network without a row, or a null column, has the default, as an absent key
 * had. Only values the readers accepted are copied (a hand-written value out
 * of range read as the default before and still does), so every network reads
 * back exactly what it read before.
 */

const ROUTING_WEIGHTS = { price_weight: 'priceWeight', reliability_weight: 'reliabilityWeight', health_weight: 'healthWeight', spread_weight: 'spreadWeight' };
const MAX_WEIGHT = 1000;

/** Column -> [key in networks.settings, min, max]. */
const HEALTH_SETTINGS: Record<string, [string, number, number]> = {
  health_window_days: ['healthWindowDays', 7, 730],
  health_at_risk_score: ['healthAtRiskScore', 0, 100],
  health_sharp_drop: ['healthSharpDrop', 1, 100],
  health_drop_lookback_days: ['healthDropLookbackDays', 1, 90],
  member_idle_days: ['memberIdleDays', 7, 730],
};
const SETTLEMENT_KEY = 'settlementIntervalHours';
const MAX_INTERVAL_HOURS = 8760;

// Nested CASEs: the cast runs only once the value is known to be a number (AND does not promise an order).
const weightIn = (bag: string, key: string) =>
  `CASE WHEN jsonb_typeof(${bag}->'${key}') = 'number' THEN
     CASE WHEN (${bag}->>'${key}')::float8 BETWEEN 0 AND ${MAX_WEIGHT} THEN (${bag}->>'${key}')::float8 END END`;
const intIn = (bag: string, key: string, min: number, max: number) =>
  `CASE WHEN jsonb_typeof(${bag}->'${key}') = 'number' THEN
     CASE WHEN (${bag}->>'${key}')::numeric = trunc((${bag}->>'${key}')::numeric)
           AND (${bag}->>'${key}')::numeric BETWEEN ${min} AND ${max} THEN (${bag}->>'${key}')::int END END`;

export class SettingsPerDomain1796300000000 implements MigrationInterface {
  name = 'SettingsPerDomain1796300000000';

  async up(q: QueryRunner): Promise<void> {
    const weights = Object.keys(ROUTING_WEIGHTS);
    await q.query(`
      CREATE TABLE routing_policies (
        network_id uuid PRIMARY KEY REFERENCES networks(id),
        ${weights.map((c) => `${c} double precision CHECK (${c} BETWEEN 0 AND ${MAX_WEIGHT})`).join(',\n        ')}
      )`);
    await q.query(`
      CREATE TABLE health_settings (
        network_id uuid PRIMARY KEY REFERENCES networks(id),
        ${Object.entries(HEALTH_SETTINGS)
          .map(([c, [, min, max]]) => `${c} int CHECK (${c} BETWEEN ${min} AND ${max})`)
          .join(',\n        ')}
      )`);
    await q.query(`
      CREATE TABLE settlement_schedules (
        network_id uuid PRIMARY KEY REFERENCES networks(id),
        interval_hours int NOT NULL CHECK (interval_hours BETWEEN 0 AND ${MAX_INTERVAL_HOURS})
      )`);

    await q.query(`
      INSERT INTO routing_policies (network_id, ${weights.join(', ')})
      SELECT id, ${Object.values(ROUTING_WEIGHTS)
        .map((k) => weightIn('routing_policy', k))
        .join(', ')} FROM networks`);
    await q.query(`DELETE FROM routing_policies WHERE ${weights.map((c) => `${c} IS NULL`).join(' AND ')}`);

    const health = Object.entries(HEALTH_SETTINGS);
    await q.query(`
      INSERT INTO health_settings (network_id, ${health.map(([c]) => c).join(', ')})
      SELECT id, ${health.map(([, [key, min, max]]) => intIn('settings', key, min, max)).join(', ')} FROM networks`);
    await q.query(`DELETE FROM health_settings WHERE ${health.map(([c]) => `${c} IS NULL`).join(' AND ')}`);

    await q.query(`
      INSERT INTO settlement_schedules (network_id, interval_hours)
      SELECT id, hours FROM (SELECT id, ${intIn('settings', SETTLEMENT_KEY, 0, MAX_INTERVAL_HOURS)} AS hours FROM networks) s
       WHERE hours IS NOT NULL`);

    // The old places no longer hold anything (the columns go with
    // 1796300000001-drop-network-settings-columns once the network entity stops naming them).
    await q.query(`UPDATE networks SET routing_policy = '{}'::jsonb, settings = settings - $1::text[]`, [[...health.map(([, [key]]) => key), SETTLEMENT_KEY]]);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      UPDATE networks n SET routing_policy = jsonb_strip_nulls(jsonb_build_object(
        ${Object.entries(ROUTING_WEIGHTS)
          .map(([c, k]) => `'${k}', p.${c}`)
          .join(', ')}))
        FROM routing_policies p WHERE p.network_id = n.id`);
    await q.query(`
      UPDATE networks n SET settings = n.settings || jsonb_strip_nulls(jsonb_build_object(
        ${Object.entries(HEALTH_SETTINGS)
          .map(([c, [k]]) => `'${k}', h.${c}`)
          .join(', ')}))
        FROM health_settings h WHERE h.network_id = n.id`);
    await q.query(`
      UPDATE networks n SET settings = jsonb_set(n.settings, '{${SETTLEMENT_KEY}}', to_jsonb(s.interval_hours))
        FROM settlement_schedules s WHERE s.network_id = n.id`);
    await q.query(`DROP TABLE settlement_schedules`);
    await q.query(`DROP TABLE health_settings`);
    await q.query(`DROP TABLE routing_policies`);
  }
}
