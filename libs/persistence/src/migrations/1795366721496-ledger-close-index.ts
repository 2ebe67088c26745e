import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Finds an account's latest CLOSE posting in one index probe. A member account's
 * open balance is the sum of its postings after that posting (a CLOSE brings the
 * account to zero), so balance reads cost the open activity, not the history.
 */
export class LedgerCloseIndex1795366721496 implements MigrationInterface {
  name = 'LedgerCloseIndex1795366721496';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX postings_account_close ON postings (account_id, id) WHERE line = 'CLOSE'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS postings_account_close`);
  }
}
