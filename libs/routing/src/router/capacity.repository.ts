import { EntityManager } from 'typeorm';
import { execute } from '@tandem/persistence';

/**
 * The SQL of capacity_usage, routing's daily counters per capability. The limit
 * itself (daily_capacity) is network's and is read through its capability_facts
 * view, inside the same statement.
 */
export const CapacityRepository = {
  /**
   * One conditional upsert, as SQL for the statement that takes the unit with
   * what it is taken for (RoutePassRepository.offerStatement): the conflicting
   * row is locked while the limit is checked, so concurrent reservations take
   * turns and `used` never passes daily_capacity. It returns a row only when a
   * unit was taken.
   */
  takeSql(capabilityParam: string, dayParam: string): string {
    return `INSERT INTO capacity_usage AS u (capability_id, day, used) VALUES (${capabilityParam}, ${dayParam}, 1)
       ON CONFLICT (capability_id, day) DO UPDATE SET used = u.used + 1
        WHERE u.used < (SELECT daily_capacity FROM capability_facts WHERE id = ${capabilityParam})
       RETURNING 1`;
  },

  /** Gives one unit back; never below zero. */
  async giveBack(em: EntityManager, capabilityId: string, day: string): Promise<void> {
    await execute(em, `UPDATE capacity_usage SET used = used - 1 WHERE capability_id = $1 AND day = $2::date AND used > 0`, [capabilityId, day]);
  },
};
