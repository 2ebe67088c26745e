import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager, IsNull } from 'typeorm';
import { CONFIG, TandemConfig } from '@tandem/common';
import { bearerToken, generateKey, hashKey, keyHint, sameKey } from './api-key';
import { ApiKeyEntity } from './api-key.entity';
import { Caller, Role } from './caller';

/** How long a known key is trusted without asking the database (bounds cross-process staleness). */
const REMEMBER_MS = 1000;
/**
 * How long an unknown key's hash is refused without asking the database, so a
 * flood of one guessed key costs one lookup per period. A newly issued key is
 * a new hash nobody has looked up, so this never delays it.
 */
export const UNKNOWN_KEY_REMEMBER_MS = 5000;
const MAX_REMEMBERED = 10_000;

/** A bounded map whose entries expire; the oldest goes first when it is full. */
class ExpiringMap<V> {
  private readonly entries = new Map<string, { value: V; until: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxSize: number,
  ) {}

  get(key: string): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.until > Date.now()) return entry.value;
    this.entries.delete(key);
    return undefined;
  }

  set(key: string, value: V): void {
    this.entries.delete(key);
    if (this.entries.size >= this.maxSize) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(key, { value, until: Date.now() + this.ttlMs });
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  deleteWhere(test: (value: V) => boolean): void {
    for (const [key, entry] of this.entries) if (test(entry.value)) this.entries.delete(key);
  }
}

/** Issues, checks and revokes API keys. Only hashes are stored. */
@Injectable()
export class ApiKeyService {
  private readonly known = new ExpiringMap<Caller>(REMEMBER_MS, MAX_REMEMBERED);
  private readonly unknown = new ExpiringMap<true>(UNKNOWN_KEY_REMEMBER_MS, MAX_REMEMBERED);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(CONFIG) private readonly config: TandemConfig,
  ) {}

  /** Returns the key in clear text; it is never readable again. */
  async issue(em: EntityManager, networkId: string, memberId: string | null): Promise<{ key: string; id: string }> {
    const key = generateKey(memberId ? 'mem' : 'op');
    const id = randomUUID();
    const keyHash = hashKey(key);
    await em.insert(ApiKeyEntity, { id, networkId, memberId, keyHash, hint: keyHint(key), createdAt: new Date(), revokedAt: null });
    this.unknown.delete(keyHash);
    return { key, id };
  }

  /** The caller behind an Authorization header, or null for a missing, unknown or revoked key. */
  async authenticate(authorization: string | string[] | undefined): Promise<Caller | null> {
    const key = bearerToken(authorization);
    return key ? this.authenticateKey(key) : null;
  }

  /**
   * The caller a key acts as, or null for an unknown or revoked key. Known keys
   * are remembered for a second: a revocation or a role change in this process
   * forgets them at once (forgetKey, forgetMember); the second bounds how long
   * another API process may still see the old state. Unknown keys are
   * remembered for UNKNOWN_KEY_REMEMBER_MS, so repeating one costs no lookup.
   */
  async authenticateKey(key: string): Promise<Caller | null> {
    if (sameKey(key, this.config.adminKey)) return { kind: 'ADMIN' };
    const hash = hashKey(key);
    const cached = this.known.get(hash);
    if (cached) return cached;
    if (this.unknown.get(hash)) return null;
    const caller = await this.lookup(hash);
    if (caller) this.known.set(hash, caller);
    else this.unknown.set(hash, true);
    return caller;
  }

  /** Call after the revocation has committed. */
  forgetKey(keyId: string): void {
    this.known.deleteWhere((caller) => caller.kind !== 'ADMIN' && caller.keyId === keyId);
  }

  /** Call after a change of the member's roles has committed. */
  forgetMember(memberId: string): void {
    this.known.deleteWhere((caller) => caller.kind === 'MEMBER' && caller.memberId === memberId);
  }

  /**
   * The network's operator keys, oldest first, revoked ones included. With
   * `lock`, inside a transaction, they stay locked until it ends, so two
   * revocations cannot each leave the other's key as the last live one.
   */
  async operatorKeys(em: EntityManager, networkId: string, opts: { lock?: boolean } = {}): Promise<ApiKeyEntity[]> {
    return em.find(ApiKeyEntity, {
      where: { networkId, memberId: IsNull() },
      order: { createdAt: 'ASC', id: 'ASC' },
      ...(opts.lock ? { lock: { mode: 'pessimistic_write' as const } } : {}),
    });
  }

  /** Marks a key revoked; call forgetKey once the transaction has committed. */
  async markRevoked(em: EntityManager, keyId: string, revokedAt: Date): Promise<void> {
    await em.update(ApiKeyEntity, { id: keyId, revokedAt: IsNull() }, { revokedAt });
  }

  /** The one query behind every cache miss (counted by the negative-cache test). */
  protected async lookup(hash: string): Promise<Caller | null> {
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
