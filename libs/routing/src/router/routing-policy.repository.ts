import { EntityManager } from 'typeorm';
import { execute, selectRow } from '@tandem/persistence';
import { RoutingPolicy, StoredRoutingPolicy } from './routing-policy';

/** The stored weights as StoredRoutingPolicy's fields, of the table or of the alias `prefix` names (e.g. `p.`). */
export const policyColumns = (prefix = ''): string =>
  `${prefix}price_weight AS "priceWeight", ${prefix}reliability_weight AS "reliabilityWeight",
   ${prefix}health_weight AS "healthWeight", ${prefix}spread_weight AS "spreadWeight"`;
const COLUMNS = policyColumns();

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
