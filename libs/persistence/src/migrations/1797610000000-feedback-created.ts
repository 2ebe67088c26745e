import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Feedback by time: the relationships refresh (libs/health/src/relationships/relationships.repository.ts)
 * finds the members a rating moved (its subject and its author) among the feedback left since its mark.
 */
export class FeedbackCreated1797610000000 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX IF NOT EXISTS feedback_created ON feedback (created_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS feedback_created`);
  }
}
