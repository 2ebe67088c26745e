import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

/** The UTC day of an instant, as capacity counts it (YYYY-MM-DD). */
export function capacityDay(deliverBy: Date): string {
  return deliverBy.toISOString().slice(0, 10);
}

/**
 * A capability's daily capacity, guarded in the database: a reservation is one
 * conditional upsert, so concurrent offers can never push `used` past
 * daily_capacity, and a failed reservation changes nothing.
 */
@Injectable()
export class CapacityService {
  /** Takes one unit of the day's capacity; false when none is left. */
  async reserve(em: EntityManager, capabilityId: string, day: string): Promise<boolean> {
    const rows: unknown[] = await em.query(
      `INSERT INTO capacity_usage AS u (capability_id, day, used) VALUES ($1, $2::date, 1)
       ON CONFLICT (capability_id, day) DO UPDATE SET used = u.used + 1
        WHERE u.used < (SELECT daily_capacity FROM capabilities WHERE id = $1)
       RETURNING used`,
      [capabilityId, day],
    );
    return rows.length === 1;
  }

  /** Gives one unit back (decline, expiry, withdrawal, cancellation); never below zero. */
  async release(em: EntityManager, capabilityId: string | null, day: string): Promise<void> {
    if (!capabilityId) return; // the capability was deleted: nothing left to count against
    await em.query(
      `UPDATE capacity_usage SET used = used - 1 WHERE capability_id = $1 AND day = $2::date AND used > 0`,
      [capabilityId, day],
    );
  }
}
