import { DAY_MS } from '@tandem/common';
import { HealthOptions, RELATIONSHIPS_REFRESH_EVERY_MS } from '@tandem/health';
import { RecurringPlan, ScheduleSync } from '@tandem/jobs';

/** How often the routing sweep looks for orders a lost job or a crash left behind. */
export const RECONCILE_ROUTING_EVERY_MS = 2_000;

/** How often the ledger sweep looks for fulfilled or refunded orders whose entry is missing. */
export const RECONCILE_LEDGER_EVERY_MS = 3_000;

/**
 * Everything the worker schedules, in one place: the fixed recurring jobs, and
 * the schedules that follow data (one settlement run per network that has a
 * schedule), which RecurringJobs brings in line on every keep.
 */
export function recurringPlan(health: Pick<HealthOptions, 'snapshotEveryMs'>, settlement: { syncSchedules: ScheduleSync }): RecurringPlan {
  return {
    fixed: [
      { name: 'reconcile-routing', everyMs: RECONCILE_ROUTING_EVERY_MS, data: {} },
      { name: 'reconcile-ledger', everyMs: RECONCILE_LEDGER_EVERY_MS, data: {} },
      // Every network's health; the interval is a setting (TANDEM_HEALTH_SNAPSHOT_MINUTES).
      { name: 'snapshot-health', everyMs: health.snapshotEveryMs, data: {} },
      // The ledger's monthly partitions, three months ahead (libs/ledger/README.md, "Partitions").
      { name: 'create-ledger-partitions', everyMs: DAY_MS, data: {} },
      // The relationships list: members whose orders or postings changed, well within its 60 s lag.
      { name: 'refresh-relationships', everyMs: RELATIONSHIPS_REFRESH_EVERY_MS, data: {} },
    ],
    synced: [settlement.syncSchedules],
  };
}
