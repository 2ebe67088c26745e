import { EntityManager } from 'typeorm';

/**
 * The port through which routing asks how healthy each supplier's relationship
 * with the hub is: 0 (poor) to 1 (excellent), 0.5 neutral. RoutingModule binds
 * it to libs/health's HealthService.
 */
export abstract class SupplierHealthSource {
  /** A value for each id asked for; ids left out count as neutral. Reads through em (the routing transaction). */
  abstract healthOf(em: EntityManager, networkId: string, supplierIds: readonly string[]): Promise<Map<string, number>>;
}

export const NEUTRAL_HEALTH = 0.5;
