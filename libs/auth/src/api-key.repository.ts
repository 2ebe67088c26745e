import { EntityManager } from 'typeorm';
import { Role } from '@tandem/common';
import { execute, selectRow, selectRows } from '@tandem/persistence';

/** A key as it is listed: never the secret, and never its hash outside this library. */
export interface ApiKey {
  id: string;
  networkId: string;
  /** Null for an operator key. */
  memberId: string | null;
  /** The first and last characters of the key, to recognise it. */
  hint: string;
  createdAt: Date;
  revokedAt: Date | null;
}

/** What a live key acts as: its network, its member (null for an operator key) and that member's roles. */
export interface LiveKey {
  id: string;
  networkId: string;
  memberId: string | null;
  roles: Role[];
}

const LISTED = `id, network_id AS "networkId", member_id AS "memberId", hint, created_at AS "createdAt", revoked_at AS "revokedAt"`;
const OLDEST_FIRST = `ORDER BY created_at, id`;

/**
 * The SQL of api_keys, which auth owns. A member key's roles are read from
 * network's public view member_facts (libs/network/README.md), so roles stay
 * stored once, in members, and a role change needs nothing from auth but
 * forgetting the cached callers (ApiKeyService.memberChanged).
 */
export const ApiKeyRepository = {
  async insert(em: EntityManager, key: Omit<ApiKey, 'revokedAt'> & { keyHash: string }): Promise<ApiKey> {
    const [row] = await selectRows<ApiKey>(
      em,
      `INSERT INTO api_keys (id, network_id, member_id, key_hash, hint, created_at, revoked_at)
       VALUES ($1, $2, $3, $4, $5, $6, NULL) RETURNING ${LISTED}`,
      [key.id, key.networkId, key.memberId, key.keyHash, key.hint, key.createdAt],
    );
    return row;
  },

  /** The live key with this hash, with its member's roles; undefined for an unknown or revoked key. */
  async findLive(em: EntityManager, keyHash: string): Promise<LiveKey | undefined> {
    return selectRow<LiveKey>(
      em,
      `SELECT k.id, k.network_id AS "networkId", k.member_id AS "memberId", coalesce(m.roles, '{}') AS roles
         FROM api_keys k LEFT JOIN member_facts m ON m.id = k.member_id
        WHERE k.key_hash = $1 AND k.revoked_at IS NULL`,
      [keyHash],
    );
  },

  /** The network's operator keys, oldest first; with `lock`, locked until the transaction ends. */
  async operatorKeys(em: EntityManager, networkId: string, lock: boolean): Promise<ApiKey[]> {
    return selectRows<ApiKey>(em, `SELECT ${LISTED} FROM api_keys WHERE network_id = $1 AND member_id IS NULL ${OLDEST_FIRST}${lock ? ' FOR UPDATE' : ''}`, [
      networkId,
    ]);
  },

  /** A member's keys, oldest first. */
  async memberKeys(em: EntityManager, networkId: string, memberId: string): Promise<ApiKey[]> {
    return selectRows<ApiKey>(em, `SELECT ${LISTED} FROM api_keys WHERE network_id = $1 AND member_id = $2 ${OLDEST_FIRST}`, [networkId, memberId]);
  },

  /** A member key of the network, locked until the transaction ends; undefined for any other id. */
  async lockMemberKey(em: EntityManager, networkId: string, keyId: string): Promise<ApiKey | undefined> {
    return selectRow<ApiKey>(em, `SELECT ${LISTED} FROM api_keys WHERE id = $1 AND network_id = $2 AND member_id IS NOT NULL FOR UPDATE`, [keyId, networkId]);
  },

  /** Marks a live key revoked; a revoked key keeps its first time. Returns whether it was live. */
  async markRevoked(em: EntityManager, keyId: string, revokedAt: Date): Promise<boolean> {
    return (await execute(em, `UPDATE api_keys SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL`, [keyId, revokedAt])) === 1;
  },

  /**
   * Tells every process's key cache to forget (KEY_CACHE_CHANNEL). Inside a
   * transaction the notification is sent when it commits, and not at all if it
   * rolls back.
   */
  async notifyForget(em: EntityManager, payload: string): Promise<void> {
    await em.query(`SELECT pg_notify($1, $2)`, [KEY_CACHE_CHANNEL, payload]);
  },
};

/** The PostgreSQL channel on which API processes tell each other which cached callers to forget. */
export const KEY_CACHE_CHANNEL = 'tandem_api_keys';
