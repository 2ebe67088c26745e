import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Network's read model gains what routing needs to pick a supplier without
 * naming network's tables: a member's name, and a capability's regions, price,
 * currency, lead time and daily capacity. Columns are only added, at the end
 * (CREATE OR REPLACE VIEW keeps the existing ones), and each view stays a plain
 * projection, so the routing pass still plans on capabilities_routing and the
 * members primary key (libs/network/README.md).
 */
export class NetworkRoutingReadColumns1796400000137 implements MigrationInterface {
  name = 'NetworkRoutingReadColumns1796400000137';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE OR REPLACE VIEW member_facts AS
        SELECT id, network_id, roles, vetting_status, joined_at, referred_by_id, acquisition_baseline_minor, created_at,
               name
          FROM members;
      CREATE OR REPLACE VIEW capability_facts AS
        SELECT id, network_id, supplier_id, category,
               regions, unit_price_minor, currency, lead_time_hours, daily_capacity
          FROM capabilities;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    // A view cannot lose columns in place: drop and recreate each as it was before.
    await q.query(`
      DROP VIEW member_facts;
      CREATE VIEW member_facts AS
        SELECT id, network_id, roles, vetting_status, joined_at, referred_by_id, acquisition_baseline_minor, created_at FROM members;
      DROP VIEW capability_facts;
      CREATE VIEW capability_facts AS
        SELECT id, network_id, supplier_id, category FROM capabilities;
    `);
  }
}
