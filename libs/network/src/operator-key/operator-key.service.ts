import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { ApiKey, ApiKeyService, IssuedApiKey } from '@tandem/auth';
import { badInput, isUuid, notFound } from '@tandem/common';
import { TransactionRunner } from '@tandem/persistence';
import { NetworkService } from '../network/network.service';

/** Enough for a handover or a few integrations; a bound keeps a leaked key from minting without end. */
export const MAX_LIVE_OPERATOR_KEYS = 20;

/** The key in clear text (this once) and the operator key as it is listed. */
export type IssuedOperatorKey = IssuedApiKey;

/**
 * Operator keys of a network: issue another, list, revoke and rotate. A
 * network always keeps at least one live operator key, or nobody could run
 * it. A revoked key is refused from the next request on in this process (it is
 * forgotten once the revocation commits); other API processes trust a known
 * key for at most a second (libs/auth/src/api-key.service.ts).
 */
@Injectable()
export class OperatorKeyService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly tx: TransactionRunner,
    private readonly keys: ApiKeyService,
    private readonly networks: NetworkService,
  ) {}

  /** Throws NOT_FOUND unless the network exists. */
  async requireNetwork(networkId: string): Promise<string> {
    if (!isUuid(networkId)) throw notFound('Network');
    return (await this.networks.get(networkId)).id;
  }

  async issue(networkId: string): Promise<IssuedOperatorKey> {
    return this.tx.run(async (em) => {
      const live = (await this.keys.operatorKeys(em, networkId, { lock: true })).filter((k) => !k.revokedAt);
      if (live.length >= MAX_LIVE_OPERATOR_KEYS) {
        throw badInput(`A network has at most ${MAX_LIVE_OPERATOR_KEYS} live operator keys; revoke one first`);
      }
      return this.issueIn(em, networkId);
    });
  }

  /** Oldest first, revoked ones included; never the secret. */
  async list(networkId: string): Promise<ApiKey[]> {
    return this.keys.operatorKeys(this.dataSource.manager, networkId);
  }

  /** Revoking a revoked key keeps its first revocation time; the last live key cannot be revoked. */
  async revoke(networkId: string, keyId: string): Promise<ApiKey> {
    const { revoked, eviction } = await this.tx.run(async (em) => {
      const { key, live } = await this.lockKey(em, networkId, keyId);
      if (key.revokedAt) return { revoked: key, eviction: null };
      if (live.length === 1) throw badInput('This is the last live operator key of the network; issue another (or rotate this one) first');
      const revokedAt = new Date();
      return { revoked: { ...key, revokedAt }, eviction: await this.keys.markRevoked(em, key.id, revokedAt) };
    });
    await this.keys.forget(eviction);
    return revoked;
  }

  /** Issues a new key and revokes the given one in one transaction. */
  async rotate(networkId: string, keyId: string): Promise<IssuedOperatorKey> {
    const { issued, eviction } = await this.tx.run(async (em) => {
      const { key } = await this.lockKey(em, networkId, keyId);
      if (key.revokedAt) throw badInput('This operator key is already revoked; issue a new one instead');
      const eviction = await this.keys.markRevoked(em, key.id, new Date());
      return { issued: await this.issueIn(em, networkId), eviction };
    });
    await this.keys.forget(eviction);
    return issued;
  }

  /** The key (NOT_FOUND unless it is an operator key of this network) and the network's live keys, all locked. */
  private async lockKey(em: EntityManager, networkId: string, keyId: string): Promise<{ key: ApiKey; live: ApiKey[] }> {
    if (!isUuid(keyId)) throw notFound('Operator key');
    const all = await this.keys.operatorKeys(em, networkId, { lock: true });
    const key = all.find((k) => k.id === keyId);
    if (!key) throw notFound('Operator key');
    return { key, live: all.filter((k) => !k.revokedAt) };
  }

  private async issueIn(em: EntityManager, networkId: string): Promise<IssuedOperatorKey> {
    return this.keys.issue(em, networkId, null);
  }
}
