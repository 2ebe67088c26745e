import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What settlement needs to read orders and the ledger without naming their
 * tables: order_facts gains updated_at (the ledger sweep's high-water mark), and
 * the ledger publishes ledger_entries, its journal entries by idempotency key
 * (the sweep looks for an order's missing entry in the same query that finds the
 * order). Columns are only added, at the end; each view stays a plain projection
 * of one table, so reads keep the partial index orders_posting_sweep and the
 * unique index on idempotency_key, and order_facts stays lockable (FOR KEY SHARE,
 * FOR UPDATE SKIP LOCKED lock the orders rows beneath it).
 */
export class SettlementReadColumns1796400000311 implements MigrationInterface {
  name = 'SettlementReadColumns1796400000311';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE OR REPLACE VIEW order_facts AS
        SELECT id, network_id, client_id, supplier_id, category, currency, status, deliver_by,
               created_at, accepted_at, fulfilled_at, cancelled_at, refunded_at,
               updated_at
          FROM orders;
      CREATE VIEW ledger_entries AS
        SELECT id, network_id, currency, idempotency_key, kind, created_at FROM journal_entries;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    // A view cannot lose columns in place: drop and recreate order_facts as it was before.
    await q.query(`
      DROP VIEW ledger_entries;
      DROP VIEW order_facts;
      CREATE VIEW order_facts AS
        SELECT id, network_id, client_id, supplier_id, category, currency, status, deliver_by,
               created_at, accepted_at, fulfilled_at, cancelled_at, refunded_at
          FROM orders;
    `);
  }
}
