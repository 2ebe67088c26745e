import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { CapacityRepository } from './capacity.repository';

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
    return CapacityRepository.take(em, capabilityId, day);
  }

  /** Gives one unit back (decline, expiry, withdrawal, cancellation); never below zero. */
  async release(em: EntityManager, capabilityId: string | null, day: string): Promise<void> {
    if (!capabilityId) return; // the capability was deleted: nothing left to count against
    await CapacityRepository.giveBack(em, capabilityId, day);
  }
}
