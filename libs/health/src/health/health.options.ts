import { readSetting } from '@tandem/common';

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

/**
 * The defaults with TANDEM_HEALTH_SNAPSHOT_MINUTES as the snapshot interval, read
 * through the configuration's own check: a bad value stops the start with its one
 * line instead of quietly becoming the default.
 */
export function healthOptionsFromEnv(env?: NodeJS.ProcessEnv): HealthOptions {
  return { ...DEFAULT_HEALTH_OPTIONS, snapshotEveryMs: readSetting('TANDEM_HEALTH_SNAPSHOT_MINUTES', env) * 60_000 };
}
