import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 18: both sides have a say.
 *
 * - settlement's order_refunds: every refund of an order, full or partial, with
 *   what it reversed on each leg (libs/settlement/src/fees/refund-legs.ts) and
 *   the key of its own journal entry. Orders refunded before refunds were
 *   recorded one by one get one row each: the whole price, every leg, and the
 *   key their entry already has (order:<id>:refund).
 * - settlement's public view order_refund_facts (libs/settlement/README.md).
 * - disputes' feedback and disputes, and their views feedback_facts and
 *   dispute_facts (libs/disputes/README.md).
 * - the ledger sweep's partial index covers every status of a fulfilled order.
 */
export class FeedbackDisputesRefunds1797200000000 implements MigrationInterface {
  name = 'FeedbackDisputesRefunds1797200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE order_refunds (
        id uuid PRIMARY KEY,
        order_id uuid NOT NULL REFERENCES orders(id),
        network_id uuid NOT NULL,
        seq int NOT NULL CHECK (seq > 0),
        currency text NOT NULL,
        amount_minor bigint NOT NULL CHECK (amount_minor > 0),
        client_fee_minor bigint NOT NULL,
        supplier_fee_minor bigint NOT NULL,
        client_share_minor bigint NOT NULL DEFAULT 0,
        supplier_share_minor bigint NOT NULL DEFAULT 0,
        reason text,
        entry_key text NOT NULL UNIQUE,
        created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        posted_at timestamptz,
        UNIQUE (order_id, seq)
      );
      CREATE INDEX order_refunds_unposted ON order_refunds (order_id) WHERE posted_at IS NULL;

      INSERT INTO order_refunds (id, order_id, network_id, seq, currency, amount_minor, client_fee_minor, supplier_fee_minor,
                                 client_share_minor, supplier_share_minor, reason, entry_key, created_at, posted_at)
      SELECT gen_random_uuid(), o.id, o.network_id, 1, f.currency, f.price_minor, f.client_fee_minor, f.supplier_fee_minor,
             coalesce(f.client_share_minor, 0), coalesce(f.supplier_share_minor, 0), NULL, 'order:' || o.id || ':refund',
             coalesce(o.refunded_at, o.updated_at),
             (SELECT e.created_at FROM journal_entries e WHERE e.idempotency_key = 'order:' || o.id || ':refund')
        FROM orders o JOIN order_fees f ON f.order_id = o.id
       WHERE o.status = 'REFUNDED';

      CREATE VIEW order_refund_facts AS
        SELECT id, order_id, network_id, seq, currency, amount_minor, client_fee_minor, supplier_fee_minor,
               client_share_minor, supplier_share_minor, created_at, posted_at
          FROM order_refunds;

      DROP INDEX orders_posting_sweep;
      CREATE INDEX orders_posting_sweep ON orders (updated_at) WHERE status IN ('FULFILLED', 'PARTIALLY_REFUNDED', 'DISPUTED', 'REFUNDED');

      CREATE TABLE feedback (
        id uuid PRIMARY KEY,
        network_id uuid NOT NULL,
        order_id uuid NOT NULL REFERENCES orders(id),
        author_id uuid NOT NULL,
        subject text NOT NULL CHECK (subject IN ('SUPPLIER', 'CLIENT', 'HUB')),
        subject_member_id uuid,
        rating int NOT NULL CHECK (rating BETWEEN 1 AND 5),
        comment text,
        created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        UNIQUE (order_id, author_id, subject),
        CHECK ((subject = 'HUB') = (subject_member_id IS NULL))
      );
      CREATE INDEX feedback_subject_member ON feedback (subject_member_id, created_at) WHERE subject_member_id IS NOT NULL;
      CREATE INDEX feedback_author_hub ON feedback (author_id, created_at) WHERE subject = 'HUB';

      CREATE TABLE disputes (
        id uuid PRIMARY KEY,
        network_id uuid NOT NULL,
        order_id uuid NOT NULL UNIQUE REFERENCES orders(id),
        opened_by_id uuid NOT NULL,
        reason text NOT NULL,
        status text NOT NULL CHECK (status IN ('OPEN', 'RESOLVED', 'REJECTED')),
        order_status_before text NOT NULL,
        supplier_response text,
        responded_at timestamptz,
        resolution text,
        refund_minor bigint,
        currency text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        resolved_at timestamptz
      );
      CREATE INDEX disputes_network_created ON disputes (network_id, created_at);

      CREATE VIEW feedback_facts AS
        SELECT id, network_id, order_id, author_id, subject, subject_member_id, rating, created_at FROM feedback;
      CREATE VIEW dispute_facts AS
        SELECT id, network_id, order_id, opened_by_id, status, created_at, resolved_at FROM disputes;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP VIEW dispute_facts, feedback_facts, order_refund_facts;
      DROP TABLE disputes, feedback, order_refunds;
      DROP INDEX orders_posting_sweep;
      CREATE INDEX orders_posting_sweep ON orders (updated_at) WHERE status IN ('FULFILLED', 'REFUNDED');
    `);
  }
}
