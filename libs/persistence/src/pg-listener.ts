import { Client, QueryResult, QueryResultRow } from 'pg';

/** Backoff between attempts to open the LISTEN connection again. */
const RETRY_MIN_MS = 100;
const RETRY_MAX_MS = 5_000;

export interface PgListenerHandlers {
  /** A notification on the channel, with its payload and the backend process id of the session that sent it. */
  notify(payload: string, senderPid: number): void;
  /**
   * The connection is (again) listening. Notifications sent while it was down
   * reached no one: whatever they would have told must be assumed.
   */
  listening(): void;
  /** The connection is lost; nothing is heard until listening() is called again. */
  lost?(why: string): void;
}

/**
 * Holds one LISTEN connection on a channel for as long as it runs: lost (a
 * restarted server, pg_terminate_backend, a severed network), it is opened
 * again after a backoff that doubles up to 5 s. One per process and channel.
 * The connection carries its application name only once it listens, so
 * `peers` lists no session that has yet to run its LISTEN; it may list one
 * that began listening after a notification, which never hears that one.
 */
export class PgListener {
  private client?: Client;
  private retry?: NodeJS.Timeout;
  private stopped = true;
  private connected = false;

  constructor(
    private readonly url: string,
    private readonly channel: string,
    private readonly handlers: PgListenerHandlers,
    private readonly applicationName = 'tandem-listener',
  ) {
    if (!/^[a-z_][a-z0-9_]*$/.test(channel)) throw new Error(`not a channel name: ${channel}`);
  }

  /** True while the connection is up and listening. */
  get isListening(): boolean {
    return this.connected;
  }

  /**
   * Sends a notification on the channel from this connection (so its
   * receivers see this session's backend pid); false when it is down.
   */
  async send(payload: string): Promise<boolean> {
    return (await this.ask(`SELECT pg_notify($1, $2)`, [this.channel, payload])) !== undefined;
  }

  /**
   * The backend pids of every listener of this application name in this
   * database, this one included; undefined when the connection is down.
   */
  async peers(): Promise<number[] | undefined> {
    const result = await this.ask<{ pid: number }>(`SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND application_name = $1`, [
      this.applicationName,
    ]);
    return result?.rows.map((row) => row.pid);
  }

  /** A statement on the listening connection; undefined when it is down or the statement fails. */
  private async ask<R extends QueryResultRow>(sql: string, params: unknown[]): Promise<QueryResult<R> | undefined> {
    const client = this.connected ? this.client : undefined;
    return client?.query<R>(sql, params).catch(() => undefined);
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    void this.open(RETRY_MIN_MS);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.connected = false;
    if (this.retry) clearTimeout(this.retry);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  private async open(retryMs: number): Promise<void> {
    if (this.stopped) return;
    const client = new Client({ connectionString: this.url, application_name: `${this.applicationName}-starting`, keepAlive: true });
    let gone = false;
    let established = false;
    const reconnect = (why: string) => {
      if (gone) return;
      gone = true;
      if (this.client === client) {
        this.client = undefined;
        this.connected = false;
      }
      client.end().catch(() => undefined);
      if (this.stopped) return;
      this.handlers.lost?.(why);
      const wait = established ? RETRY_MIN_MS : retryMs;
      this.retry = setTimeout(() => void this.open(Math.min(wait * 2, RETRY_MAX_MS)), wait);
    };
    client.on('error', (e) => reconnect(e.message));
    client.on('end', () => reconnect('connection ended'));
    client.on('notification', (n) => {
      if (n.channel === this.channel) this.handlers.notify(n.payload ?? '', n.processId);
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${this.channel}`);
      await client.query(`SELECT set_config('application_name', $1, false)`, [this.applicationName]);
    } catch (e) {
      reconnect((e as Error).message);
      return;
    }
    if (this.stopped || gone) {
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
    this.connected = true;
    established = true;
    this.handlers.listening();
  }
}
