import { ConfigError } from '@tandem/common';
import { DEFAULT_HEALTH_OPTIONS, healthOptionsFromEnv } from './health.options';

describe('healthOptionsFromEnv', () => {
  it('snapshots every 15 minutes by default, or every TANDEM_HEALTH_SNAPSHOT_MINUTES', () => {
    expect(healthOptionsFromEnv({})).toEqual(DEFAULT_HEALTH_OPTIONS);
    expect(healthOptionsFromEnv({ TANDEM_HEALTH_SNAPSHOT_MINUTES: '' }).snapshotEveryMs).toBe(15 * 60_000);
    expect(healthOptionsFromEnv({ TANDEM_HEALTH_SNAPSHOT_MINUTES: ' 60 ' })).toEqual({ ...DEFAULT_HEALTH_OPTIONS, snapshotEveryMs: 3_600_000 });
  });

  it.each(['abc', '0', '2000', '1.5'])('refuses %j with the configuration line, never falling back to the default', (raw) => {
    expect(() => healthOptionsFromEnv({ TANDEM_HEALTH_SNAPSHOT_MINUTES: raw })).toThrow(
      new ConfigError(`TANDEM_HEALTH_SNAPSHOT_MINUTES must be a whole number from 1 to 1440, got ${JSON.stringify(raw)}`),
    );
  });
});
