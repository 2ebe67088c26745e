import { Logger } from '@nestjs/common';
import { Client } from 'pg';
import { DataSource, EntityManager, EntitySubscriberInterface, QueryRunner, TransactionCommitEvent, TransactionRollbackEvent } from 'typeorm';
import { PostgresConnectionOptions } from 'typeorm/driver/postgres/PostgresConnectionOptions';

/** The channel OutboxRelayService listens on. */
export const OUTBOX_CHANNEL = 'tandem_outbox';

/**
 * Tells a relay that outbox rows were committed, after the commit. The
 * notification used to ride inside the writing transaction, but a transaction
 * that has sent NOTIFY takes a database-wide lock at commit and keeps it through
 * its WAL flush, so every commit that wrote the outbox (intake, each routing
 * pass, each event fan-out) waited for the one before it: at 100,000 suppliers
 * and 50 orders a second, a third of PostgreSQL's active samples were commits
 * waiting on that lock (bench/README.md, "Routing"). Now the ring comes after
 * the commit: in the worker straight to its own relay, elsewhere as one
 * pg_notify of its own (no WAL, so the lock is held for an instant), one at a
 * time with the rings meanwhile folded into the next. A ring lost to a crash
 * between the commit and the ring costs at most the relay's poll
 * (OutboxRelayService.start): the rows are committed either way.
 */
export class OutboxDoorbell {
  private readonly log = new Logger('OutboxDoorbell');
  private readonly awaitingCommit = new WeakSet<QueryRunner>();
  private localRelay?: () => void;
  private ringing = false;
  private ringAgain = false;
  private client?: Promise<Client>;
  private closed = false;

  /** The one doorbell of a data source: every OutboxService of the process, however made, rings the same. */
  static of(dataSource: DataSource): OutboxDoorbell {
    let bell = bells.get(dataSource);
    if (!bell) {
      bell = new OutboxDoorbell(dataSource);
      bells.set(dataSource, bell);
    }
    return bell;
  }

  private constructor(private readonly dataSource: DataSource) {
    const awaiting = this.awaitingCommit;
    const ring = () => this.ring();
    const subscriber: EntitySubscriberInterface = {
      // After a savepoint's release the transaction is still open: only the outer commit rings.
      afterTransactionCommit(event: TransactionCommitEvent) {
        if (!event.queryRunner.isTransactionActive && awaiting.delete(event.queryRunner)) ring();
      },
      afterTransactionRollback(event: TransactionRollbackEvent) {
        if (!event.queryRunner.isTransactionActive) awaiting.delete(event.queryRunner);
      },
    };
    this.dataSource.subscribers.push(subscriber);
  }

  /** Rows were written through `em`: ring when its transaction commits (never when it rolls back), at once outside one. */
  afterCommit(em: EntityManager): void {
    const runner = em.queryRunner;
    if (runner?.isTransactionActive) this.awaitingCommit.add(runner);
    else this.ring();
  }

  /** The process's own running relay answers rings without a round trip; undefined when it stops. */
  answerLocally(relay: (() => void) | undefined): void {
    this.localRelay = relay;
  }

  /** Ends the doorbell's own connection (the app is shutting down); later rings go through the pool. */
  async close(): Promise<void> {
    this.closed = true;
    const client = this.client;
    this.client = undefined;
    await client?.then((c) => c.end()).catch(() => undefined);
  }

  private ring(): void {
    if (this.localRelay) return this.localRelay();
    if (this.ringing) {
      this.ringAgain = true;
      return;
    }
    this.ringing = true;
    this.notify()
      .catch((e: Error) => this.log.warn(`could not ring the outbox relay (it polls meanwhile): ${e.message}`))
      .finally(() => {
        this.ringing = false;
        if (this.ringAgain) {
          this.ringAgain = false;
          this.ring();
        }
      });
  }

  /**
   * On a connection of its own, not the pool's: under load the pool's connections are all taken by requests, and
   * a ring queued behind them reached the relay after its 250 ms poll (fulfilment lag p50 60 -> 230 ms).
   */
  private async notify(): Promise<void> {
    const url = (this.dataSource.options as PostgresConnectionOptions).url;
    if (!url || this.closed) {
      await this.dataSource.query(`SELECT pg_notify($1, '')`, [OUTBOX_CHANNEL]);
      return;
    }
    if (!this.client) {
      const client = new Client({ connectionString: url, application_name: 'tandem-outbox-doorbell', keepAlive: true });
      const connected = client.connect().then(() => client);
      const forget = () => {
        if (this.client === connected) this.client = undefined;
      };
      // A lost connection (a restart, a terminated backend) is opened again on the next ring.
      client.on('error', () => {
        forget();
        client.end().catch(() => undefined);
      });
      client.on('end', forget);
      connected.catch(forget);
      this.client = connected;
    }
    await (await this.client).query(`SELECT pg_notify($1, '')`, [OUTBOX_CHANNEL]);
  }
}

const bells = new WeakMap<DataSource, OutboxDoorbell>();
