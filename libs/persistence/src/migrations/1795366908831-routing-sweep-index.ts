import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The routing sweep looks every few seconds, across networks, for orders left
 * in ROUTING; a small partial index keeps that cheap however many orders exist.
 */
export class RoutingSweepIndex1795366908831 implements MigrationInterface {
  name = 'RoutingSweepIndex1795366908831';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX orders_routing_since ON orders (updated_at) WHERE status = 'ROUTING'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS orders_routing_since`);
  }
}
