import { EntityManager } from 'typeorm';
import { execute, selectRow } from '@tandem/persistence';
import { RoutingPolicy, StoredRoutingPolicy } from './routing-policy';

const COLUMNS = `price_weight AS "priceWeight", reliability_weight AS "reliabilityWeight",
                 health_weight AS "healthWeight", spread_weight AS "spreadWeight"`;

/** The SQL of routing_policies: one row per network that ever set its weights; no row means the defaults. */
export const RoutingPolicyRepository = {
  async find(em: EntityManager, networkId: string): Promise<StoredRoutingPolicy | null> {
    return (await selectRow<StoredRoutingPolicy>(em, `SELECT ${COLUMNS} FROM routing_policies WHERE network_id = $1`, [networkId])) ?? null;
  },

  /**
   * Locks the network's row for a read-merge-write, creating it (all defaults)
   * first, so two first changes cannot both merge on the defaults.
   */
  async lock(em: EntityManager, networkId: string): Promise<StoredRoutingPolicy> {
    await execute(em, `INSERT INTO routing_policies (network_id) VALUES ($1) ON CONFLICT (network_id) DO NOTHING`, [networkId]);
    const row = await selectRow<StoredRoutingPolicy>(em, `SELECT ${COLUMNS} FROM routing_policies WHERE network_id = $1 FOR UPDATE`, [networkId]);
    return row ?? {};
  },

  async save(em: EntityManager, networkId: string, policy: RoutingPolicy): Promise<void> {
    await execute(em, `UPDATE routing_policies SET price_weight = $2, reliability_weight = $3, health_weight = $4, spread_weight = $5 WHERE network_id = $1`, [
      networkId,
      policy.priceWeight,
      policy.reliabilityWeight,
      policy.healthWeight,
      policy.spreadWeight,
    ]);
  },
};
