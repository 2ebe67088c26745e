import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { CapacityRepository } from './capacity.repository';

/** The UTC day of an instant, as capacity counts it (YYYY-MM-DD). */
export function capacityDay(deliverBy: Date): string {
  return deliverBy.toISOString().slice(0, 10);
}

/**
 * A capability's daily capacity, guarded in the database: a unit is taken by
 * one conditional upsert in the offer's own statement (CapacityRepository.takeSql),
 * so concurrent offers can never push `used` past daily_capacity, and a failed
 * reservation changes nothing. Units are given back here.
 */
@Injectable()
export class CapacityService {
  /** Gives one unit back (decline, expiry, withdrawal, cancellation); never below zero. */
  async release(em: EntityManager, capabilityId: string | null, day: string): Promise<void> {
    if (!capabilityId) return; // the capability was deleted: nothing left to count against
    await CapacityRepository.giveBack(em, capabilityId, day);
  }
}
