import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Checks balance once per INSERT statement instead of once per posting row at
 * commit. Every entry a statement touches must sum to zero over all its
 * postings, and stay in one currency, when the statement ends. That is stricter
 * than the deferred check (an entry is balanced after every statement, so also
 * at commit) and costs one query per statement, not one per row.
 */
export class LedgerBalanceCheckPerStatement1795372434927 implements MigrationInterface {
  name = 'LedgerBalanceCheckPerStatement1795372434927';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TRIGGER IF EXISTS postings_balanced ON postings;
      DROP FUNCTION IF EXISTS ledger_check_entry_balanced();
      CREATE FUNCTION ledger_check_entries_balanced() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE bad record;
      BEGIN
        SELECT p.entry_id, sum(p.amount_minor) AS off INTO bad
          FROM postings p WHERE p.entry_id IN (SELECT DISTINCT entry_id FROM new_postings)
         GROUP BY p.entry_id HAVING sum(p.amount_minor) <> 0 LIMIT 1;
        IF FOUND THEN
          RAISE EXCEPTION 'journal entry % does not balance (off by %)', bad.entry_id, bad.off;
        END IF;
        SELECT p.entry_id INTO bad
          FROM new_postings p JOIN ledger_accounts a ON a.id = p.account_id JOIN journal_entries e ON e.id = p.entry_id
         WHERE a.currency <> e.currency LIMIT 1;
        IF FOUND THEN
          RAISE EXCEPTION 'journal entry % mixes currencies', bad.entry_id;
        END IF;
        RETURN NULL;
      END $$;
      CREATE TRIGGER postings_balanced AFTER INSERT ON postings
        REFERENCING NEW TABLE AS new_postings FOR EACH STATEMENT EXECUTE FUNCTION ledger_check_entries_balanced();
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TRIGGER IF EXISTS postings_balanced ON postings;
      DROP FUNCTION IF EXISTS ledger_check_entries_balanced();
      CREATE FUNCTION ledger_check_entry_balanced() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE total numeric;
      BEGIN
        SELECT coalesce(sum(amount_minor), 0) INTO total FROM postings WHERE entry_id = NEW.entry_id;
        IF total <> 0 THEN
          RAISE EXCEPTION 'journal entry % does not balance (off by %)', NEW.entry_id, total;
        END IF;
        IF EXISTS (
          SELECT 1 FROM postings p JOIN ledger_accounts a ON a.id = p.account_id JOIN journal_entries e ON e.id = p.entry_id
          WHERE p.entry_id = NEW.entry_id AND a.currency <> e.currency
        ) THEN
          RAISE EXCEPTION 'journal entry % mixes currencies', NEW.entry_id;
        END IF;
        RETURN NULL;
      END $$;
      CREATE CONSTRAINT TRIGGER postings_balanced AFTER INSERT ON postings
        DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ledger_check_entry_balanced();
    `);
  }
}
