import { EntityManager } from 'typeorm';
import { RoutingPolicy, StoredRoutingPolicy } from './routing-policy';

const COLUMNS = `price_weight AS "priceWeight", reliability_weight AS "reliabilityWeight",
                 health_weight AS "healthWeight", spread_weight AS "spreadWeight"`;

/** The SQL of routing_policies: one row per network that ever set its weights; no row means the defaults. */
export const RoutingPolicyRepository = {
  async find(em: EntityManager, networkId: string): Promise<StoredRoutingPolicy | null> {
    const rows: StoredRoutingPolicy[] = await em.query(`SELECT ${COLUMNS} FROM routing_policies WHERE network_id = $1`, [networkId]);
    return rows[0] ?? null;
  },

  /**
   * Locks the network's row for a read-merge-write, creating it (all defaults)
   * first, so two first changes cannot both merge on the defaults.
   */
  async lock(em: EntityManager, networkId: string): Promise<StoredRoutingPolicy> {
    await em.query(`INSERT INTO routing_policies (network_id) VALUES ($1) ON CONFLICT (network_id) DO NOTHING`, [networkId]);
    const rows: StoredRoutingPolicy[] = await em.query(`SELECT ${COLUMNS} FROM routing_policies WHERE network_id = $1 FOR UPDATE`, [networkId]);
    return rows[0];
  },

  async save(em: EntityManager, networkId: string, policy: RoutingPolicy): Promise<void> {
    await em.query(
      `UPDATE routing_policies SET price_weight = $2, reliability_weight = $3, health_weight = $4, spread_weight = $5 WHERE network_id = $1`,
      [networkId, policy.priceWeight, policy.reliabilityWeight, policy.healthWeight, policy.spreadWeight],
    );
  },
};
