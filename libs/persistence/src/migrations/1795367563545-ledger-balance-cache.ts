import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Caches each ledger account's balance (the sum of all its postings) in
 * ledger_accounts.balance_minor, so a member's balance is one index lookup
 * however long its history. A trigger keeps it in the postings' own statement,
 * whatever code path inserts them; LedgerService.verify checks it against the
 * postings. (Postings are append-only, so inserts are the only change.)
 */
export class LedgerBalanceCache1795367563545 implements MigrationInterface {
  name = 'LedgerBalanceCache1795367563545';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE ledger_accounts ADD COLUMN balance_minor bigint NOT NULL DEFAULT 0;
      UPDATE ledger_accounts a SET balance_minor = s.total
        FROM (SELECT account_id, sum(amount_minor) AS total FROM postings GROUP BY account_id) s
       WHERE s.account_id = a.id;

      -- One grouped UPDATE per INSERT statement. Writers that may run concurrently
      -- lock the accounts in id order first (JournalWriter), so they never deadlock here.
      CREATE FUNCTION ledger_apply_postings() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE ledger_accounts a SET balance_minor = a.balance_minor + d.delta
          FROM (SELECT account_id, sum(amount_minor) AS delta FROM new_postings GROUP BY account_id) d
         WHERE a.id = d.account_id;
        RETURN NULL;
      END $$;
      CREATE TRIGGER postings_balance_cache AFTER INSERT ON postings
        REFERENCING NEW TABLE AS new_postings FOR EACH STATEMENT EXECUTE FUNCTION ledger_apply_postings();
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TRIGGER IF EXISTS postings_balance_cache ON postings;
      DROP FUNCTION IF EXISTS ledger_apply_postings();
      ALTER TABLE ledger_accounts DROP COLUMN IF EXISTS balance_minor;
    `);
  }
}
