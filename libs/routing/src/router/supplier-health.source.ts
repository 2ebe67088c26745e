import { EntityManager } from 'typeorm';
import type { SupplierStanding } from '@tandem/health';

/**
 * The port through which routing asks how each supplier stands with the hub
 * (health and reliability, both health's measures). RoutingModule binds it to
 * libs/health's HealthService.
 */
export abstract class SupplierHealthSource {
  /** A standing for each id asked for; ids left out count as neutral. Reads through em (the routing transaction). */
  abstract standingsOf(em: EntityManager, networkId: string, supplierIds: readonly string[]): Promise<Map<string, SupplierStanding>>;
}

/** A supplier health knows nothing of yet (never snapshotted) is neither favoured nor held back. */
export const NEUTRAL_STANDING: SupplierStanding = { health: 0.5, reliability: 0.5 };
