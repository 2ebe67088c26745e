import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Settlement's parked postings: a fulfilment or refund whose posting failed for
 * a reason retrying cannot fix (libs/settlement/src/posting/posting-failure.ts).
 * The ledger sweep skips them; the operator sees them and retries once the
 * cause is fixed. The partial index lets the sweep look only at orders that
 * changed recently instead of every FULFILLED order.
 */
export class ParkedPostings1795391717171 implements MigrationInterface {
  name = 'ParkedPostings1795391717171';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE parked_postings (
        order_id uuid PRIMARY KEY REFERENCES orders(id),
        network_id uuid NOT NULL REFERENCES networks(id),
        step text NOT NULL CHECK (step IN ('FULFILMENT', 'REFUND')),
        reason text NOT NULL,
        sqlstate text,
        detail text NOT NULL,
        attempts int NOT NULL DEFAULT 1,
        parked_at timestamptz NOT NULL DEFAULT clock_timestamp()
      )`);
    await q.query(`CREATE INDEX parked_postings_network ON parked_postings (network_id, parked_at)`);
    await q.query(`CREATE INDEX orders_posting_sweep ON orders (updated_at) WHERE status IN ('FULFILLED', 'REFUNDED')`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS orders_posting_sweep`);
    await q.query(`DROP TABLE IF EXISTS parked_postings`);
  }
}
