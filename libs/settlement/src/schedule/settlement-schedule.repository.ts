import { EntityManager } from 'typeorm';
import { execute, selectRow, selectRows } from '@tandem/persistence';

/** The SQL of settlement_schedules: one row per network that set an interval; no row means off (0). */
export const SettlementScheduleRepository = {
  /** The network's interval in hours, null when it never set one. */
  async find(em: EntityManager, networkId: string): Promise<number | null> {
    const row = await selectRow<{ hours: number }>(em, `SELECT interval_hours AS hours FROM settlement_schedules WHERE network_id = $1`, [networkId]);
    return row?.hours ?? null;
  },

  async save(em: EntityManager, networkId: string, hours: number): Promise<void> {
    await execute(
      em,
      `INSERT INTO settlement_schedules (network_id, interval_hours) VALUES ($1, $2)
       ON CONFLICT (network_id) DO UPDATE SET interval_hours = EXCLUDED.interval_hours`,
      [networkId, hours],
    );
  },

  /** Every network whose scheduled runs are on. */
  scheduled(em: EntityManager): Promise<{ networkId: string; hours: number }[]> {
    return selectRows(em, `SELECT network_id AS "networkId", interval_hours AS hours FROM settlement_schedules WHERE interval_hours > 0`);
  },
};
