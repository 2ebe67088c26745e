import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A random key per outbox row, the BullMQ job id of the job it becomes. The row
 * id alone is not unique for long enough: after a restore or on a new database
 * with the same queue prefix, the sequence hands out ids whose jobs BullMQ still
 * keeps as completed, and it would drop the new jobs as repeats. A relay that
 * re-sends a row after a crash sends the same key, so repeats are still dropped.
 */
export class OutboxJobKey1797800000000 implements MigrationInterface {
  name = 'OutboxJobKey1797800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE outbox ADD COLUMN job_key uuid NOT NULL DEFAULT gen_random_uuid()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE outbox DROP COLUMN job_key`);
  }
}
