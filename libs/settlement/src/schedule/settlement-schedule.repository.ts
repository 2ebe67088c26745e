import { EntityManager } from 'typeorm';

/** The SQL of settlement_schedules: one row per network that set an interval; no row means off (0). */
export const SettlementScheduleRepository = {
  /** The network's interval in hours, null when it never set one. */
  async find(em: EntityManager, networkId: string): Promise<number | null> {
    const rows: { hours: number }[] = await em.query(`SELECT interval_hours AS hours FROM settlement_schedules WHERE network_id = $1`, [networkId]);
    return rows[0]?.hours ?? null;
  },

  async save(em: EntityManager, networkId: string, hours: number): Promise<void> {
    await em.query(
      `INSERT INTO settlement_schedules (network_id, interval_hours) VALUES ($1, $2)
       ON CONFLICT (network_id) DO UPDATE SET interval_hours = EXCLUDED.interval_hours`,
      [networkId, hours],
    );
  },

  /** Every network whose scheduled runs are on. */
  async scheduled(em: EntityManager): Promise<{ networkId: string; hours: number }[]> {
    return em.query(`SELECT network_id AS "networkId", interval_hours AS hours FROM settlement_schedules WHERE interval_hours > 0`);
  },
};
