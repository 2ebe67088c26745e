/** Tunables of the health lib; HealthModule provides the defaults. */
export interface HealthOptions {
  /** How old the cached network norms may be before a read recomputes them. */
  statsMaxAgeMs: number;
  /** How often the worker snapshots every member's health. */
  snapshotEveryMs: number;
  /** Members computed per batch (one set of queries, one transaction of writes). */
  batchSize: number;
}

export const HEALTH_OPTIONS = Symbol('HEALTH_OPTIONS');

export const DEFAULT_HEALTH_OPTIONS: HealthOptions = {
  statsMaxAgeMs: 15 * 60_000,
  snapshotEveryMs: 15 * 60_000,
  batchSize: 500,
};

/** TANDEM_HEALTH_SNAPSHOT_MINUTES overrides the snapshot interval (whole minutes, 1 to 1440). */
export function healthOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): HealthOptions {
  const raw = env.TANDEM_HEALTH_SNAPSHOT_MINUTES;
  const minutes = raw !== undefined && /^\d+$/.test(raw) ? Number(raw) : NaN;
  return {
    ...DEFAULT_HEALTH_OPTIONS,
    ...(minutes >= 1 && minutes <= 1440 ? { snapshotEveryMs: minutes * 60_000 } : {}),
  };
}
