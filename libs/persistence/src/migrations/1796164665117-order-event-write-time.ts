import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An order event's time is when it was written, not when its transaction
 * began: now() is the transaction's start, so an event written by a worker that
 * stalled mid-transaction would claim a time long past. clock_timestamp() is
 * the moment of the INSERT, just before the commit.
 */
export class OrderEventWriteTime1796164665117 implements MigrationInterface {
  name = 'OrderEventWriteTime1796164665117';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE order_events ALTER COLUMN created_at SET DEFAULT clock_timestamp()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE order_events ALTER COLUMN created_at SET DEFAULT now()`);
  }
}
