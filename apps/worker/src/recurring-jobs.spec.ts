import { DEFAULT_HEALTH_OPTIONS } from '@tandem/health';
import { recurringPlan } from './recurring-jobs';

describe("the worker's recurring jobs", () => {
  const syncSchedules = async () => undefined;

  it("are declared in one plan: both sweeps, every network's health snapshot, the relationships refresh and the settlement schedules", () => {
    const plan = recurringPlan(DEFAULT_HEALTH_OPTIONS, { syncSchedules });
    expect(plan.fixed).toEqual([
      { name: 'reconcile-routing', everyMs: 2_000, data: {} },
      { name: 'reconcile-ledger', everyMs: 3_000, data: {} },
      { name: 'snapshot-health', everyMs: 15 * 60_000, data: {} },
      { name: 'create-ledger-partitions', everyMs: 86_400_000, data: {} },
      { name: 'refresh-relationships', everyMs: 20_000, data: {} },
    ]);
    expect(plan.synced).toEqual([syncSchedules]);
  });

  it('snapshot health as often as the health settings say', () => {
    const plan = recurringPlan({ snapshotEveryMs: 5 * 60_000 }, { syncSchedules });
    expect(plan.fixed.find((j) => j.name === 'snapshot-health')?.everyMs).toBe(5 * 60_000);
  });
});
