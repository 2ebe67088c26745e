import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { CONFIG, TandemConfig } from '@tandem/common';
import { bearerToken, generateKey, hashKey, keyHint, sameKey } from './api-key';
import { ApiKeyEntity } from './api-key.entity';
import { Caller, Role } from './caller';

/** Issues, checks and revokes API keys. Only hashes are stored. */
const REMEMBER_MS = 1000;
const MAX_REMEMBERED = 10_000;

@Injectable()
export class ApiKeyService {
  private readonly recent = new Map<string, { caller: Caller; until: number }>();

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

  /**
   * The caller behind an Authorization header, or null for a missing, unknown or
   * revoked key. Known keys are remembered for a second: a revocation or a role
   * change in this process forgets them at once (forgetKey, forgetMember); the
   * second bounds how long another API process may still see the old state.
   */
  async authenticate(authorization: string | string[] | undefined): Promise<Caller | null> {
    const key = bearerToken(authorization);
    if (!key) return null;
    if (sameKey(key, this.config.adminKey)) return { kind: 'ADMIN' };
    const hash = hashKey(key);
    const cached = this.recent.get(hash);
    if (cached && cached.until > Date.now()) return cached.caller;
    const caller = await this.lookup(hash);
    if (caller) this.remember(hash, caller);
    return caller;
  }

  /** Call after the revocation has committed. */
  forgetKey(keyId: string): void {
    for (const [hash, entry] of this.recent) if (entry.caller.kind !== 'ADMIN' && entry.caller.keyId === keyId) this.recent.delete(hash);
  }

  /** Call after a change of the member's roles has committed. */
  forgetMember(memberId: string): void {
    for (const [hash, entry] of this.recent) if (entry.caller.kind === 'MEMBER' && entry.caller.memberId === memberId) this.recent.delete(hash);
  }

  private remember(hash: string, caller: Caller): void {
    if (this.recent.size >= MAX_REMEMBERED) this.recent.delete(this.recent.keys().next().value as string);
    this.recent.set(hash, { caller, until: Date.now() + REMEMBER_MS });
  }

  private async lookup(hash: string): Promise<Caller | null> {
    const rows: { id: string; network_id: string; member_id: string | null; roles: Role[] | null }[] = await this.dataSource.query(
      `SELECT k.id, k.network_id, k.member_id, m.roles
         FROM api_keys k LEFT JOIN members m ON m.id = k.member_id
        WHERE k.key_hash = $1 AND k.revoked_at IS NULL`,
      [hash],
    );
    const row = rows[0];
    if (!row) return null;
    if (!row.member_id) return { kind: 'OPERATOR', networkId: row.network_id, keyId: row.id };
    return { kind: 'MEMBER', networkId: row.network_id, memberId: row.member_id, roles: row.roles ?? [], keyId: row.id };
  }
}
