import { DAY_SECONDS, badInput, requireIntInRange } from '@tandem/common';

/** A complete fee schedule: rates in basis points, share period in months, timeout in seconds. */
export interface FeeSchedule {
  clientFeeBps: number;
  supplierFeeBps: number;
  partnerShareBps: number;
  partnerShareMonths: number;
  offerTimeoutSeconds: number;
}

/** Absent or null fields mean "leave as it is". */
export type FeeScheduleChange = { [K in keyof FeeSchedule]?: FeeSchedule[K] | null };

/** docs/api.md, "Defaults". */
export const DEFAULT_FEE_SCHEDULE: Readonly<FeeSchedule> = Object.freeze({
  clientFeeBps: 1000,
  supplierFeeBps: 500,
  partnerShareBps: 2000,
  partnerShareMonths: 12,
  offerTimeoutSeconds: 900,
});

const LIMITS: { [K in keyof FeeSchedule]: [number, number] } = {
  clientFeeBps: [0, 10_000],
  supplierFeeBps: [0, 10_000],
  partnerShareBps: [0, 10_000],
  partnerShareMonths: [0, 120],
  offerTimeoutSeconds: [1, DAY_SECONDS],
};

/** Drops absent and null fields and checks the rest against the limits; throws BAD_USER_INPUT. */
export function validateFeeScheduleChange(change: FeeScheduleChange | null | undefined): Partial<FeeSchedule> {
  if (change === null || change === undefined) return {};
  const clean: Partial<FeeSchedule> = {};
  for (const key of Object.keys(LIMITS) as (keyof FeeSchedule)[]) {
    const value = change[key];
    if (value === null || value === undefined) continue;
    const [min, max] = LIMITS[key];
    clean[key] = requireIntInRange(value, key, min, max);
  }
  for (const key of Object.keys(change)) {
    if (!(key in LIMITS)) throw badInput(`unknown fee schedule field ${key}`, key);
  }
  return clean;
}

export function applyFeeScheduleChange(base: FeeSchedule, change: Partial<FeeSchedule>): FeeSchedule {
  return { ...base, ...change };
}
