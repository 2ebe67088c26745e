import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { PostgresConnectionOptions } from 'typeorm/driver/postgres/PostgresConnectionOptions';
import { CONFIG, TandemConfig } from '@tandem/common';
import { PgListener } from '@tandem/persistence';
import { bearerToken, generateKey, hashKey, keyHint, sameHash } from './api-key';
import { ApiKey, ApiKeyRepository, KEY_CACHE_CHANNEL } from './api-key.repository';
import { Caller } from './caller';

/** A key just issued: the secret in clear text (this once) and the key as it is listed. */
export interface IssuedApiKey {
  key: string;
  apiKey: ApiKey;
}

/**
 * How long a known key is trusted without asking the database. Revocations and
 * role changes evict it in every process at once (KEY_CACHE_CHANNEL); this only
 * bounds the life of an entry nobody changed.
 */
const REMEMBER_MS = 30_000;
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

  clear(): void {
    this.entries.clear();
  }
}

/**
 * How long a change waits, from its commit, for every listening process to
 * acknowledge its eviction. Each process forgets, then answers `ack:<nonce>`
 * from its own listener connection; the sender knows who listens from
 * pg_stat_activity (PgListener.peers), so once every one has answered, the
 * caller's next request, to any API process, sees the change. A process that
 * never answers (its event loop stalled, its listener opened after the
 * commit, an older version during a deploy) holds the change up this long at
 * most, and is logged.
 */
const ACK_WAIT_MS = 2000;
/** How long an eviction whose transaction never reaches `forget` (rolled back) is kept for acknowledgements. */
const UNCOMMITTED_KEPT_MS = 60_000;
const ACK = 'ack';

/**
 * An eviction sent inside a transaction: every key of one member, or one key.
 * Hand it to `forget` once the transaction has committed.
 */
export interface KeyEviction {
  readonly kind: 'key' | 'member';
  readonly id: string;
  readonly nonce: string;
}

/** The acknowledgements of one of this process's evictions, by listener backend pid. */
class PendingEviction {
  private readonly acked = new Set<number>();
  private expected?: number[];
  private done?: () => void;

  ackedBy(pid: number): void {
    this.acked.add(pid);
    this.check();
  }

  /** Resolves true once every one of `listeners` has acknowledged, false after `waitMs`. */
  waitFor(listeners: number[], waitMs: number): Promise<{ all: boolean; missing: number }> {
    this.expected = listeners;
    return new Promise((resolve) => {
      const timer = setTimeout(() => finish(false), waitMs).unref();
      const finish = (all: boolean) => {
        clearTimeout(timer);
        this.done = undefined;
        resolve({ all, missing: listeners.filter((pid) => !this.acked.has(pid)).length });
      };
      this.done = () => finish(true);
      this.check();
    });
  }

  private check(): void {
    if (this.expected?.every((pid) => this.acked.has(pid))) this.done?.();
  }
}

/** Issues, checks and revokes API keys. Only hashes are stored. */
@Injectable()
export class ApiKeyService implements OnApplicationShutdown {
  private readonly log = new Logger(ApiKeyService.name);
  private readonly known = new ExpiringMap<Caller>(REMEMBER_MS, MAX_REMEMBERED);
  private readonly unknown = new ExpiringMap<true>(UNKNOWN_KEY_REMEMBER_MS, MAX_REMEMBERED);
  /** Started by the first key checked, so a process that checks none holds no connection for it. */
  private listener?: PgListener;
  /** Counts evictions heard, so a lookup that raced one is not remembered with what it read before. */
  private evictions = 0;
  /** This process's own evictions, by nonce, until every listener has acknowledged them or their wait ends. */
  private readonly pending = new Map<string, PendingEviction>();
  /** Hashed once: each request then hashes only its own key. */
  private readonly adminKeyHash: string;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(CONFIG) config: TandemConfig,
  ) {
    this.adminKeyHash = hashKey(config.adminKey);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.listener?.stop();
  }

  /** Returns the key in clear text; it is never readable again. */
  async issue(em: EntityManager, networkId: string, memberId: string | null): Promise<IssuedApiKey> {
    const key = generateKey(memberId ? 'mem' : 'op');
    const keyHash = hashKey(key);
    const apiKey = await ApiKeyRepository.insert(em, { id: randomUUID(), networkId, memberId, keyHash, hint: keyHint(key), createdAt: new Date() });
    this.unknown.delete(keyHash);
    return { key, apiKey };
  }

  /** The caller behind an Authorization header, or null for a missing, unknown or revoked key. */
  async authenticate(authorization: string | string[] | undefined): Promise<Caller | null> {
    const key = bearerToken(authorization);
    return key ? this.authenticateKey(key) : null;
  }

  /**
   * The caller a key acts as, or null for an unknown or revoked key. Known keys
   * are remembered while this process listens on KEY_CACHE_CHANNEL: a
   * revocation or a role change (a KeyEviction, in its transaction) tells every
   * API process to forget them, and waits for each to say it has, so no
   * process acts on the old state; while the channel is down nothing is
   * remembered and every request asks the database.
   * Unknown keys are remembered for UNKNOWN_KEY_REMEMBER_MS, so repeating one
   * costs no lookup.
   */
  async authenticateKey(key: string): Promise<Caller | null> {
    const hash = hashKey(key);
    if (sameHash(hash, this.adminKeyHash)) return { kind: 'ADMIN' };
    this.listenForEvictions();
    const cached = this.known.get(hash);
    if (cached) return cached;
    if (this.unknown.get(hash)) return null;
    const evictionsBefore = this.evictions;
    const caller = await this.lookup(hash);
    if (caller && this.listener?.isListening && this.evictions === evictionsBefore) this.known.set(hash, caller);
    else if (!caller) this.unknown.set(hash, true);
    return caller;
  }

  /**
   * After the commit that sent the eviction: forgets here at once, then waits
   * until every process listening on KEY_CACHE_CHANNEL has acknowledged it (at
   * most ACK_WAIT_MS), so that no API process still acts on the old key or
   * roles when this returns. True when every listener acknowledged in time;
   * false when one did not or this process's listener was down (then it waits
   * the whole ACK_WAIT_MS, as the others may not have heard yet).
   */
  async forget(eviction: KeyEviction | null): Promise<boolean> {
    if (!eviction) return true;
    this.forgetHere(eviction.kind, eviction.id);
    const pending = this.pending.get(eviction.nonce) ?? new PendingEviction();
    try {
      const listeners = await this.listener?.peers();
      const { all, missing } = await pending.waitFor(listeners ?? [-1], ACK_WAIT_MS);
      if (!all) {
        this.log.warn(
          listeners
            ? `key cache: ${missing} of ${listeners.length} listening process(es) did not acknowledge a ${eviction.kind} eviction within ${ACK_WAIT_MS} ms`
            : `key cache: this process's listener is down; waited ${ACK_WAIT_MS} ms for a ${eviction.kind} eviction to reach the others`,
        );
      }
      return all;
    } finally {
      this.pending.delete(eviction.nonce);
    }
  }

  /**
   * Inside the transaction that changes a member's roles: every API process
   * forgets the member's keys when it commits (and none if it rolls back).
   */
  async memberChanged(em: EntityManager, memberId: string): Promise<KeyEviction> {
    return this.sendEviction(em, 'member', memberId);
  }

  private async sendEviction(em: EntityManager, kind: KeyEviction['kind'], id: string): Promise<KeyEviction> {
    this.listenForEvictions();
    const nonce = randomUUID();
    await ApiKeyRepository.notifyForget(em, `${kind}:${id}:${nonce}`);
    // Registered before the commit, so no acknowledgement is missed; a rolled-back one never reaches forget.
    this.pending.set(nonce, new PendingEviction());
    setTimeout(() => this.pending.delete(nonce), UNCOMMITTED_KEPT_MS).unref();
    return { kind, id, nonce };
  }

  private forgetHere(kind: string, id: string): void {
    if (kind === 'key') this.known.deleteWhere((caller) => caller.kind !== 'ADMIN' && caller.keyId === id);
    else if (kind === 'member') this.known.deleteWhere((caller) => caller.kind === 'MEMBER' && caller.memberId === id);
  }

  /** An eviction heard from any process: forget, then acknowledge it; an acknowledgement of one of ours: count it. */
  private heard(payload: string, senderPid: number): void {
    const [kind, id, nonce] = payload.split(':', 3);
    if (kind === ACK) {
      this.pending.get(id)?.ackedBy(senderPid);
      return;
    }
    this.evictions++;
    this.forgetHere(kind, id);
    if (nonce) void this.listener?.send(`${ACK}:${nonce}`);
  }

  /** Evictions sent by any process (this one included); a (re)connect forgets everything, since what was sent meanwhile is lost. */
  private listenForEvictions(): void {
    if (this.listener) return;
    const url = (this.dataSource.options as PostgresConnectionOptions).url;
    if (!url) return;
    this.listener = new PgListener(
      url,
      KEY_CACHE_CHANNEL,
      {
        notify: (payload, senderPid) => this.heard(payload, senderPid),
        listening: () => {
          this.evictions++;
          this.known.clear();
        },
        lost: (why) => {
          this.evictions++;
          this.known.clear();
          this.log.warn(`key cache listener lost its connection (${why}); keys are looked up on every request until it is back`);
        },
      },
      'tandem-key-cache',
    );
    this.listener.start();
  }

  /**
   * The network's operator keys, oldest first, revoked ones included. With
   * `lock`, inside a transaction, they stay locked until it ends, so two
   * revocations cannot each leave the other's key as the last live one.
   */
  async operatorKeys(em: EntityManager, networkId: string, opts: { lock?: boolean } = {}): Promise<ApiKey[]> {
    return ApiKeyRepository.operatorKeys(em, networkId, opts.lock ?? false);
  }

  /** A member's keys, oldest first, revoked ones included. */
  async memberKeys(em: EntityManager, networkId: string, memberId: string): Promise<ApiKey[]> {
    return ApiKeyRepository.memberKeys(em, networkId, memberId);
  }

  /**
   * A member key of the network, locked until the transaction ends, or
   * undefined (an unknown id, another network's key, an operator key).
   */
  async lockMemberKey(em: EntityManager, networkId: string, keyId: string): Promise<ApiKey | undefined> {
    return ApiKeyRepository.lockMemberKey(em, networkId, keyId);
  }

  /**
   * Marks a key revoked, unless it already is (then null). Every API process
   * forgets the key when the transaction commits; `forget` the answer after it.
   */
  async markRevoked(em: EntityManager, keyId: string, revokedAt: Date): Promise<KeyEviction | null> {
    return (await ApiKeyRepository.markRevoked(em, keyId, revokedAt)) ? this.sendEviction(em, 'key', keyId) : null;
  }

  /** The one query behind every cache miss (counted by the negative-cache test). */
  protected async lookup(hash: string): Promise<Caller | null> {
    const key = await ApiKeyRepository.findLive(this.dataSource.manager, hash);
    if (!key) return null;
    if (!key.memberId) return { kind: 'OPERATOR', networkId: key.networkId, keyId: key.id };
    return { kind: 'MEMBER', networkId: key.networkId, memberId: key.memberId, roles: key.roles, keyId: key.id };
  }
}
