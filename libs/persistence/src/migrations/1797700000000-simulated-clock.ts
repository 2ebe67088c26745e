import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The simulated clock (libs/persistence/src/simulated-clock.ts): one row, the
 * simulated time `at` as of the real time `real_at`. Read only under
 * TANDEM_SIMULATED_CLOCK=true; production never writes it.
 */
export class SimulatedClock1797700000000 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE IF NOT EXISTS simulated_clock (
        id boolean PRIMARY KEY DEFAULT true CHECK (id),
        at timestamptz NOT NULL,
        real_at timestamptz NOT NULL
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS simulated_clock`);
  }
}
