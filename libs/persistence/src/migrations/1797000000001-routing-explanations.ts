import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Offers whose full explanation (Order.routing's excluded rows) is still to be
 * written: one row per order, written in the transaction that makes the offer
 * and deleted by the transaction that writes the explanation, so a crash in
 * between loses nothing (libs/routing/README.md, "Routing at scale").
 */
export class RoutingExplanations1797000000001 implements MigrationInterface {
  name = 'RoutingExplanations1797000000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE routing_explanations (
        order_id uuid PRIMARY KEY REFERENCES orders(id),
        offer_id uuid NOT NULL,
        queued_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX routing_explanations_queued ON routing_explanations (queued_at);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS routing_explanations`);
  }
}
