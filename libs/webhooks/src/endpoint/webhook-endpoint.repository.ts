import { EntityManager } from 'typeorm';
import { execute, selectRow, selectRows, selectRowsPrepared } from '@tandem/persistence';

/** An endpoint as stored; `memberId` null is the network's own (the operator's). */
export interface WebhookEndpointRow {
  id: string;
  networkId: string;
  memberId: string | null;
  url: string;
  eventTypes: string[];
  enabled: boolean;
  description: string | null;
  secret: string;
  previousSecret: string | null;
  previousSecretUntil: Date | null;
  createdAt: Date;
}

/** Who owns an endpoint: the network (operator) or one member of it. */
export interface EndpointOwner {
  networkId: string;
  memberId: string | null;
}

const COLUMNS = `id, network_id AS "networkId", member_id AS "memberId", url, event_types AS "eventTypes", enabled, description,
  secret, previous_secret AS "previousSecret", previous_secret_until AS "previousSecretUntil", created_at AS "createdAt"`;

export const WebhookEndpointRepository = {
  /** The owner's endpoints, oldest first. */
  ofOwner(em: EntityManager, owner: EndpointOwner): Promise<WebhookEndpointRow[]> {
    return selectRows(
      em,
      `SELECT ${COLUMNS} FROM webhook_endpoints
        WHERE network_id = $1 AND member_id IS NOT DISTINCT FROM $2::uuid ORDER BY created_at, id`,
      [owner.networkId, owner.memberId],
    );
  },

  /** The endpoint when this owner holds it; locked until the transaction ends with `lock`. */
  ofOwnerById(em: EntityManager, owner: EndpointOwner, id: string, lock = false): Promise<WebhookEndpointRow | undefined> {
    return selectRow(
      em,
      `SELECT ${COLUMNS} FROM webhook_endpoints
        WHERE id = $1 AND network_id = $2 AND member_id IS NOT DISTINCT FROM $3::uuid${lock ? ' FOR UPDATE' : ''}`,
      [id, owner.networkId, owner.memberId],
    );
  },

  /**
   * Serialises the owner's endpoint changes (the per-owner limit): a
   * transaction-scoped advisory lock on the owner.
   */
  async lockOwner(em: EntityManager, owner: EndpointOwner): Promise<void> {
    await em.query(`SELECT pg_advisory_xact_lock(hashtextextended('webhook-owner:' || $1 || ':' || coalesce($2, ''), 0))`, [owner.networkId, owner.memberId]);
  },

  async countOfOwner(em: EntityManager, owner: EndpointOwner): Promise<number> {
    const row = await selectRow<{ n: number }>(
      em,
      `SELECT count(*)::int AS n FROM webhook_endpoints WHERE network_id = $1 AND member_id IS NOT DISTINCT FROM $2::uuid`,
      [owner.networkId, owner.memberId],
    );
    return row?.n ?? 0;
  },

  async insert(em: EntityManager, e: Omit<WebhookEndpointRow, 'createdAt' | 'previousSecret' | 'previousSecretUntil'>): Promise<WebhookEndpointRow> {
    const row = await selectRow<WebhookEndpointRow>(
      em,
      `INSERT INTO webhook_endpoints (id, network_id, member_id, url, event_types, enabled, description, secret)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING ${COLUMNS}`,
      [e.id, e.networkId, e.memberId, e.url, e.eventTypes, e.enabled, e.description, e.secret],
    );
    return row as WebhookEndpointRow;
  },

  // An UPDATE's RETURNING is read through a CTE: TypeORM answers a bare UPDATE with [rows, count].
  async update(em: EntityManager, id: string, change: Pick<WebhookEndpointRow, 'url' | 'eventTypes' | 'enabled' | 'description'>): Promise<WebhookEndpointRow> {
    const row = await selectRow<WebhookEndpointRow>(
      em,
      `WITH changed AS (UPDATE webhook_endpoints SET url = $2, event_types = $3, enabled = $4, description = $5 WHERE id = $1 RETURNING *)
       SELECT ${COLUMNS} FROM changed`,
      [id, change.url, change.eventTypes, change.enabled, change.description],
    );
    return row as WebhookEndpointRow;
  },

  /** A new secret; the one it replaces keeps signing until `previousUntil` (database time + the overlap). */
  async rotate(em: EntityManager, id: string, secret: string, overlapSeconds: number): Promise<WebhookEndpointRow> {
    const row = await selectRow<WebhookEndpointRow>(
      em,
      `WITH changed AS (
         UPDATE webhook_endpoints
            SET previous_secret = secret, secret = $2, previous_secret_until = clock_timestamp() + make_interval(secs => $3)
          WHERE id = $1 RETURNING *)
       SELECT ${COLUMNS} FROM changed`,
      [id, secret, overlapSeconds],
    );
    return row as WebhookEndpointRow;
  },

  /** Deletes the endpoint; its deliveries go with it (ON DELETE CASCADE). */
  delete(em: EntityManager, id: string): Promise<number> {
    return execute(em, `DELETE FROM webhook_endpoints WHERE id = $1`, [id]);
  },

  /**
   * For each (network, event type), the network's enabled endpoints subscribed
   * to it (or to "*"), in the order of `keys`: one statement for the events of
   * many fan-outs at once.
   */
  async subscribedToEach(em: EntityManager, keys: readonly { networkId: string; eventType: string }[]): Promise<WebhookEndpointRow[][]> {
    if (keys.length === 0) return [];
    // Once per published event's fan-out: prepared, so each connection plans it once.
    const rows = await selectRowsPrepared<WebhookEndpointRow & { key: number }>(
      em,
      `SELECT k.i::int - 1 AS key, e.*
         FROM unnest($1::uuid[], $2::text[]) WITH ORDINALITY AS k(network_id, event_type, i)
         CROSS JOIN LATERAL (
           SELECT ${COLUMNS} FROM webhook_endpoints w
            WHERE w.network_id = k.network_id AND w.enabled AND w.event_types && ARRAY[k.event_type, '*']::text[]
         ) e`,
      [keys.map((k) => k.networkId), keys.map((k) => k.eventType)],
    );
    const each: WebhookEndpointRow[][] = keys.map(() => []);
    for (const { key, ...endpoint } of rows) each[key].push(endpoint);
    return each;
  },

  async byIds(em: EntityManager, ids: readonly string[]): Promise<WebhookEndpointRow[]> {
    if (ids.length === 0) return [];
    return selectRows(em, `SELECT ${COLUMNS} FROM webhook_endpoints WHERE id = ANY($1::uuid[])`, [[...ids]]);
  },
};
