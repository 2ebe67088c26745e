import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Each library's public read model: views its owner migrates and documents (in
 * the owner's README and owned-tables.ts), which other libraries may read and
 * never write. Each is a plain projection of one owner's tables, so PostgreSQL
 * inlines it and a read keeps using the base tables' indexes. Columns are only
 * ever added: a reader may rely on every column listed here.
 */
export class PublicReadModels1796200000001 implements MigrationInterface {
  name = 'PublicReadModels1796200000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      -- network (libs/network/README.md)
      CREATE VIEW member_facts AS
        SELECT id, network_id, roles, vetting_status, joined_at, referred_by_id, acquisition_baseline_minor, created_at FROM members;
      CREATE VIEW vetting_facts AS
        SELECT id, network_id, member_id, from_status, to_status, created_at FROM vetting_events;
      CREATE VIEW capability_facts AS
        SELECT id, network_id, supplier_id, category FROM capabilities;
      CREATE VIEW fee_term_facts AS
        SELECT id, network_id, member_id, terms, effective_at FROM fee_term_changes;

      -- routing (libs/routing/README.md)
      CREATE VIEW order_facts AS
        SELECT id, network_id, client_id, supplier_id, category, currency, status, deliver_by,
               created_at, accepted_at, fulfilled_at, cancelled_at, refunded_at
          FROM orders;
      CREATE VIEW offer_facts AS
        SELECT id, order_id, network_id, supplier_id, status, offered_at FROM offers;

      -- settlement (libs/settlement/README.md)
      CREATE VIEW order_fee_facts AS
        SELECT order_id, currency, price_minor, client_fee_minor, supplier_fee_minor,
               client_share_referred_id, coalesce(client_share_minor, 0) AS client_share_minor,
               supplier_share_referred_id, coalesce(supplier_share_minor, 0) AS supplier_share_minor
          FROM order_fees;

      -- ledger (libs/ledger/README.md): members' accounts and their postings
      CREATE VIEW member_accounts AS
        SELECT id, member_id, network_id, currency, code FROM ledger_accounts WHERE member_id IS NOT NULL;
      CREATE VIEW member_postings AS
        SELECT p.id, p.account_id, a.member_id, a.network_id, a.currency, p.line, p.amount_minor, p.order_id, p.created_at
          FROM postings p JOIN ledger_accounts a ON a.id = p.account_id
         WHERE a.member_id IS NOT NULL;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP VIEW IF EXISTS member_postings, member_accounts, order_fee_facts, offer_facts, order_facts,
        fee_term_facts, capability_facts, vetting_facts, member_facts`);
  }
}
