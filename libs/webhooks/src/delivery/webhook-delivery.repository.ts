import { EntityManager } from 'typeorm';
import { Cursor } from '@tandem/common';
import { execute, selectRow, selectRows } from '@tandem/persistence';

export type WebhookDeliveryStatus = 'PENDING' | 'SUCCEEDED' | 'FAILED';

export interface WebhookDeliveryRow {
  id: string;
  endpointId: string;
  eventId: string;
  eventType: string;
  /** The exact body every attempt sends. */
  body: string;
  status: WebhookDeliveryStatus;
  attempts: number;
  /** Attempts made before the current round of retries (a redelivery starts a new round). */
  roundStart: number;
  lastResponseStatus: number | null;
  lastAttemptAt: Date | null;
  nextAttemptAt: Date | null;
  createdAt: Date;
}

export interface NewDelivery {
  id: string;
  endpointId: string;
  eventId: string;
  eventType: string;
  body: string;
}

/** Where an attempt goes and the secrets it is signed with. */
export interface AttemptTarget {
  endpointId: string;
  url: string;
  secret: string;
  previousSecret: string | null;
  previousSecretUntil: Date | null;
}

/** What an attempt learned. */
export interface AttemptOutcome {
  attempt: number;
  status: WebhookDeliveryStatus;
  responseStatus: number | null;
  /** Seconds from now to the next attempt; null once SUCCEEDED or FAILED. */
  retryInSeconds: number | null;
}

/** The row's columns, of table alias `t` when given. */
const columnsOf = (t = '') => `${t}id, ${t}endpoint_id AS "endpointId", ${t}event_id AS "eventId", ${t}event_type AS "eventType", ${t}body, ${t}status,
  ${t}attempts, ${t}round_start AS "roundStart", ${t}last_response_status AS "lastResponseStatus", ${t}last_attempt_at AS "lastAttemptAt",
  ${t}next_attempt_at AS "nextAttemptAt", ${t}created_at AS "createdAt"`;
const COLUMNS = columnsOf();

export const WebhookDeliveryRepository = {
  /** Inserts the deliveries not made yet (fan-out may run twice); returns those it made. */
  insertNew(em: EntityManager, list: readonly NewDelivery[]): Promise<{ id: string }[]> {
    if (list.length === 0) return Promise.resolve([]);
    return selectRows(
      em,
      `INSERT INTO webhook_deliveries (id, endpoint_id, event_id, event_type, body, next_attempt_at)
       SELECT * , clock_timestamp() FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::text[])
       ON CONFLICT (endpoint_id, event_id) DO NOTHING RETURNING id`,
      [list.map((d) => d.id), list.map((d) => d.endpointId), list.map((d) => d.eventId), list.map((d) => d.eventType), list.map((d) => d.body)],
    );
  },

  byId(em: EntityManager, id: string): Promise<WebhookDeliveryRow | undefined> {
    return selectRow(em, `SELECT ${COLUMNS} FROM webhook_deliveries WHERE id = $1`, [id]);
  },

  /**
   * What attempt `attempt` of a delivery needs, in one statement: the delivery
   * and where and how to sign it, only while that attempt is the next one of a
   * pending delivery (a repeated or stale job, or a deleted endpoint, gets nothing).
   */
  async nextAttempt(em: EntityManager, id: string, attempt: number): Promise<{ delivery: WebhookDeliveryRow; target: AttemptTarget } | undefined> {
    const row = await selectRow<WebhookDeliveryRow & { url: string; secret: string; previousSecret: string | null; previousSecretUntil: Date | null }>(
      em,
      `SELECT ${columnsOf('d.')}, e.url, e.secret, e.previous_secret AS "previousSecret", e.previous_secret_until AS "previousSecretUntil"
         FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id
        WHERE d.id = $1 AND d.status = 'PENDING' AND d.attempts = $2 - 1`,
      [id, attempt],
    );
    if (!row) return undefined;
    const { url, secret, previousSecret, previousSecretUntil, ...delivery } = row;
    return { delivery, target: { endpointId: delivery.endpointId, url, secret, previousSecret, previousSecretUntil } };
  },

  /** One endpoint's deliveries, newest first, after the cursor; limit rows. */
  page(em: EntityManager, endpointId: string, status: WebhookDeliveryStatus | null, after: Cursor | null, limit: number): Promise<WebhookDeliveryRow[]> {
    return selectRows(
      em,
      `SELECT ${COLUMNS} FROM webhook_deliveries
        WHERE endpoint_id = $1 AND ($2::text IS NULL OR status = $2)
          AND ($3::timestamptz IS NULL OR (created_at, id) < ($3, $4::uuid))
        ORDER BY created_at DESC, id DESC LIMIT $5`,
      [endpointId, status, after?.createdAt ?? null, after?.id ?? null, limit],
    );
  },

  async count(em: EntityManager, endpointId: string, status: WebhookDeliveryStatus | null): Promise<number> {
    const row = await selectRow<{ n: number }>(
      em,
      `SELECT count(*)::int AS n FROM webhook_deliveries WHERE endpoint_id = $1 AND ($2::text IS NULL OR status = $2)`,
      [endpointId, status],
    );
    return row?.n ?? 0;
  },

  /**
   * Records attempt `outcome.attempt`, only if it is the next one of a pending
   * delivery (a repeated job records nothing); true when it was recorded.
   */
  async recordAttempt(em: EntityManager, id: string, outcome: AttemptOutcome): Promise<boolean> {
    const n = await execute(
      em,
      `UPDATE webhook_deliveries
          SET attempts = $2, status = $3, last_response_status = $4, last_attempt_at = clock_timestamp(),
              next_attempt_at = CASE WHEN $5::int IS NULL THEN NULL ELSE clock_timestamp() + make_interval(secs => $5::int) END
        WHERE id = $1 AND status = 'PENDING' AND attempts = $2 - 1`,
      [id, outcome.attempt, outcome.status, outcome.responseStatus, outcome.retryInSeconds],
    );
    return n === 1;
  },

  /** Starts a new round of attempts now, whatever the status; returns the row as it is then (through a CTE, as a SELECT). */
  restart(em: EntityManager, id: string): Promise<WebhookDeliveryRow | undefined> {
    return selectRow(
      em,
      `WITH changed AS (
         UPDATE webhook_deliveries SET status = 'PENDING', round_start = attempts, next_attempt_at = clock_timestamp()
          WHERE id = $1 RETURNING *)
       SELECT ${COLUMNS} FROM changed`,
      [id],
    );
  },

  /** Seconds since the oldest pending delivery was made; 0 when none is pending. */
  async oldestPendingAgeSeconds(em: EntityManager): Promise<number> {
    const row = await selectRow<{ age: number | null }>(
      em,
      `SELECT extract(epoch FROM clock_timestamp() - min(created_at))::float8 AS age FROM webhook_deliveries WHERE status = 'PENDING'`,
    );
    return row?.age ?? 0;
  },
};
