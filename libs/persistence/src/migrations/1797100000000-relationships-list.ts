import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Health's relationships list (libs/health/src/relationships): one row per
 * member with its latest computed RelationshipHealth, so the operator's list of
 * 100,000 members is an index range scan in score order rather than a
 * recomputation. The list's refresh finds the members whose orders or postings
 * changed since its high-water mark (health_relationships_mark) through
 * order_facts.updated_at and member_postings.created_at (the two indexes below
 * let it read only the recent rows of those tables instead of all of them), and
 * the members whose roles or vetting status differ from those the row was
 * computed with (roles, vetting_status), or that have no row yet.
 */
export class RelationshipsList1797100000000 implements MigrationInterface {
  name = 'RelationshipsList1797100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE health_relationships (
        member_id uuid PRIMARY KEY REFERENCES members(id),
        network_id uuid NOT NULL REFERENCES networks(id),
        roles text[] NOT NULL,
        vetting_status text,
        score numeric(4,1) NOT NULL CHECK (score >= 0 AND score <= 100),
        at_risk boolean NOT NULL,
        health jsonb NOT NULL,
        computed_at timestamptz NOT NULL,
        refreshed_at timestamptz NOT NULL DEFAULT clock_timestamp()
      );
      CREATE INDEX health_relationships_order ON health_relationships (network_id, score, member_id);
      CREATE INDEX health_relationships_at_risk ON health_relationships (network_id, score, member_id) WHERE at_risk;
      CREATE INDEX health_relationships_counts ON health_relationships (network_id, at_risk) INCLUDE (roles);

      CREATE TABLE health_relationships_mark (
        singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
        changes_through timestamptz NOT NULL
      );

      CREATE INDEX relationships_orders_updated ON orders (updated_at);
      CREATE INDEX relationships_postings_created ON postings (created_at);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP INDEX IF EXISTS relationships_postings_created;
      DROP INDEX IF EXISTS relationships_orders_updated;
      DROP TABLE IF EXISTS health_relationships_mark;
      DROP TABLE IF EXISTS health_relationships;
    `);
  }
}
