import { Injectable, Logger, OnModuleDestroy, OnModuleInit, Optional } from '@nestjs/common';
import { Clock, SimulatedClock } from '@tandem/common';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { PostgresConnectionOptions } from 'typeorm/driver/postgres/PostgresConnectionOptions';
import { PgListener } from './pg-listener';

/** NOTIFY channel of the simulated clock: every process under TANDEM_SIMULATED_CLOCK follows it. */
export const SIMULATED_CLOCK_CHANNEL = 'tandem_simulated_clock';

interface ClockRow {
  at: Date;
  realAt: Date;
}

const READ = `SELECT at, real_at AS "realAt" FROM simulated_clock WHERE id`;

/**
 * Moves the simulated time of every process on the database to `at` (the demo's
 * step from one simulated day to the next); each follows within a notification.
 * The clock is the one row this writes, not domain data.
 */
export async function setSimulatedClock(databaseUrl: string, at: Date): Promise<void> {
  const client = new Client({ connectionString: databaseUrl, application_name: 'tandem-simulated-clock' });
  await client.connect();
  try {
    await client.query('BEGIN');
    const [row] = (
      await client.query<ClockRow>(
        `INSERT INTO simulated_clock (id, at, real_at) VALUES (true, $1, clock_timestamp())
           ON CONFLICT (id) DO UPDATE SET at = EXCLUDED.at, real_at = EXCLUDED.real_at
         RETURNING at, real_at AS "realAt"`,
        [at],
      )
    ).rows;
    await client.query(`SELECT pg_notify($1, $2)`, [SIMULATED_CLOCK_CHANNEL, JSON.stringify(row)]);
    await client.query('COMMIT');
  } finally {
    await client.end();
  }
}

/**
 * Under TANDEM_SIMULATED_CLOCK=true, keeps this process's SimulatedClock on the
 * database's: read at start, then followed through LISTEN/NOTIFY (and read again
 * after a reconnect, since what was sent meanwhile is lost). With the system
 * clock it does nothing.
 */
@Injectable()
export class SimulatedClockFollower implements OnModuleInit, OnModuleDestroy {
  private readonly log = new Logger('SimulatedClock');
  private listener?: PgListener;

  constructor(
    private readonly dataSource: DataSource,
    @Optional() private readonly clock?: Clock,
  ) {}

  async onModuleInit(): Promise<void> {
    const clock = this.clock;
    if (!(clock instanceof SimulatedClock)) return;
    const url = (this.dataSource.options as PostgresConnectionOptions).url;
    if (!url) throw new Error('TANDEM_SIMULATED_CLOCK needs the database URL to follow the clock');
    const apply = (row: ClockRow | undefined) => {
      if (row) clock.follow(new Date(row.at), new Date(row.realAt));
      else clock.set(new Date()); // not set yet: real time until the demo moves it
    };
    const reread = async () => apply(((await this.dataSource.query(READ)) as ClockRow[])[0]);
    // Listening before the first read, so no move falls between the two.
    await new Promise<void>((resolve) => {
      this.listener = new PgListener(
        url,
        SIMULATED_CLOCK_CHANNEL,
        {
          notify: (payload) => apply(JSON.parse(payload) as ClockRow),
          listening: () => {
            resolve();
            reread().catch((e: Error) => this.log.warn(`could not read the simulated clock: ${e.message}`));
          },
          lost: (why) => this.log.warn(`simulated clock listener lost its connection (${why})`),
        },
        'tandem-simulated-clock',
      );
      this.listener.start();
    });
    await reread();
  }

  async onModuleDestroy(): Promise<void> {
    await this.listener?.stop();
  }
}
