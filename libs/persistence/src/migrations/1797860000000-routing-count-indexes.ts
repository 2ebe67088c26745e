import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Routing's counts of recent business (recentOrdersJoin and categoryOrdersColumn
 * in libs/routing/src/router/candidate.repository.ts) count accepted orders of
 * one category since a date, per supplier and for the whole network. Through
 * the (supplier, created_at) and (network, created_at) indexes every pass
 * visited each order of the window, accepted or not, of any category: the
 * network's count grew with the network's orders and the supplier's with every
 * offer it had held. These hold only accepted orders, by category, so each count
 * reads what it counts.
 */
export class RoutingCountIndexes1797860000000 implements MigrationInterface {
  name = 'RoutingCountIndexes1797860000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX orders_supplier_category_accepted ON orders (supplier_id, category, created_at) WHERE accepted_at IS NOT NULL`);
    await q.query(`CREATE INDEX orders_network_category_accepted ON orders (network_id, category, created_at) WHERE accepted_at IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS orders_network_category_accepted`);
    await q.query(`DROP INDEX IF EXISTS orders_supplier_category_accepted`);
  }
}
