import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The index routing's fast path asks for the cheapest eligible suppliers of an
 * order (libs/routing/README.md, "Routing at scale"): the capabilities of one
 * category and currency in price order, so `ORDER BY unit_price_minor,
 * supplier_id LIMIT n` with the budget as a range reads n entries instead of the
 * whole category. The table is network's (capabilities, read through its
 * capability_facts view, which PostgreSQL inlines); routing migrates the index
 * because only routing reads in this order.
 */
export class CapabilitiesPriceIndex1797000000000 implements MigrationInterface {
  name = 'CapabilitiesPriceIndex1797000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX capabilities_routing_price ON capabilities (network_id, category, currency, unit_price_minor, supplier_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS capabilities_routing_price`);
  }
}
