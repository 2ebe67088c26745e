import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A trigram index so a member search by any part of the name (members(search:),
 * ILIKE '%text%') stays an index scan in networks of 100,000 members. pg_trgm
 * is a trusted extension: the database owner may create it.
 */
export class MemberNameSearch1797600000000 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);
    await q.query(`CREATE INDEX IF NOT EXISTS members_name_trgm ON members USING gin (name gin_trgm_ops)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS members_name_trgm`);
  }
}
