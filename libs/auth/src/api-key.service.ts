import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { CONFIG, TandemConfig } from '@tandem/common';
import { bearerToken, generateKey, hashKey, keyHint, sameKey } from './api-key';
import { ApiKeyEntity } from './api-key.entity';
import { Caller, Role } from './caller';

/** Issues, checks and revokes API keys. Only hashes are stored. */
@Injectable()
export class ApiKeyService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(CONFIG) private readonly config: TandemConfig,
  ) {}

  /** Returns the key in clear text; it is never readable again. */
  async issue(em: EntityManager, networkId: string, memberId: string | null): Promise<{ key: string; id: string }> {
    const key = generateKey(memberId ? 'mem' : 'op');
    const id = randomUUID();
    await em.insert(ApiKeyEntity, { id, networkId, memberId, keyHash: hashKey(key), hint: keyHint(key), createdAt: new Date(), revokedAt: null });
    return { key, id };
  }

  /** The caller behind an Authorization header, or null for a missing, unknown or revoked key. */
  async authenticate(authorization: string | string[] | undefined): Promise<Caller | null> {
    const key = bearerToken(authorization);
    if (!key) return null;
    if (sameKey(key, this.config.adminKey)) return { kind: 'ADMIN' };
    const rows: { id: string; network_id: string; member_id: string | null; roles: Role[] | null }[] = await this.dataSource.query(
      `SELECT k.id, k.network_id, k.member_id, m.roles
         FROM api_keys k LEFT JOIN members m ON m.id = k.member_id
        WHERE k.key_hash = $1 AND k.revoked_at IS NULL`,
      [hashKey(key)],
    );
    const row = rows[0];
    if (!row) return null;
    if (!row.member_id) return { kind: 'OPERATOR', networkId: row.network_id, keyId: row.id };
    return { kind: 'MEMBER', networkId: row.network_id, memberId: row.member_id, roles: row.roles ?? [], keyId: row.id };
  }
}
