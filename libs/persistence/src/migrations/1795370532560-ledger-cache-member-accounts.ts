import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Caches balances of member accounts only. The hub's accounts are in almost
 * every entry: keeping their cached row up to date made every posting of a
 * network wait on the same row lock. Their balances are summed from postings
 * (index postings_account), which only the trial balance reads.
 */
export class LedgerCacheMemberAccounts1795370532560 implements MigrationInterface {
  name = 'LedgerCacheMemberAccounts1795370532560';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE OR REPLACE FUNCTION ledger_apply_postings() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE ledger_accounts a SET balance_minor = a.balance_minor + d.delta
          FROM (SELECT account_id, sum(amount_minor) AS delta FROM new_postings GROUP BY account_id) d
         WHERE a.id = d.account_id AND a.member_id IS NOT NULL;
        RETURN NULL;
      END $$;
      UPDATE ledger_accounts SET balance_minor = 0 WHERE member_id IS NULL;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE OR REPLACE FUNCTION ledger_apply_postings() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE ledger_accounts a SET balance_minor = a.balance_minor + d.delta
          FROM (SELECT account_id, sum(amount_minor) AS delta FROM new_postings GROUP BY account_id) d
         WHERE a.id = d.account_id;
        RETURN NULL;
      END $$;
      UPDATE ledger_accounts a SET balance_minor = coalesce((SELECT sum(amount_minor) FROM postings p WHERE p.account_id = a.id), 0)
       WHERE member_id IS NULL;
    `);
  }
}
