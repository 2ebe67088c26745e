import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ApiKey, ApiKeyService } from '@tandem/auth';
import { isUuid, notFound } from '@tandem/common';
import { TransactionRunner } from '@tandem/persistence';
import { findMember } from '../member/member.queries';

/**
 * Member keys: issued by the operator, each acting as its member in every role
 * the member holds. The keys are auth's (ApiKeyService); this service decides
 * who may have one and which network's key a caller may touch.
 */
@Injectable()
export class MemberKeyService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly tx: TransactionRunner,
    private readonly keys: ApiKeyService,
  ) {}

  /** The key in clear text, this once; only its hash is stored. */
  async issue(networkId: string, memberId: string): Promise<string> {
    return this.tx.run(async (em) => {
      const member = await findMember(em, networkId, memberId, 'share');
      return (await this.keys.issue(em, networkId, member.id)).key;
    });
  }

  /** The member's keys, oldest first, revoked ones included; never the secret. */
  async list(networkId: string, memberId: string): Promise<ApiKey[]> {
    const member = await findMember(this.dataSource.manager, networkId, memberId);
    return this.keys.memberKeys(this.dataSource.manager, networkId, member.id);
  }

  /**
   * Revokes a member key of the network; it is refused from the next request
   * on (this process forgets the key once the revocation commits). Revoking a
   * revoked key keeps its first revocation time. Operator keys are not member
   * keys: NOT_FOUND here.
   */
  async revoke(networkId: string, keyId: string): Promise<ApiKey> {
    if (!isUuid(keyId)) throw notFound('API key');
    const { revoked, eviction } = await this.tx.run(async (em) => {
      const key = await this.keys.lockMemberKey(em, networkId, keyId);
      if (!key) throw notFound('API key');
      if (key.revokedAt) return { revoked: key, eviction: null };
      const revokedAt = new Date();
      return { revoked: { ...key, revokedAt }, eviction: await this.keys.markRevoked(em, key.id, revokedAt) };
    });
    await this.keys.forget(eviction);
    return revoked;
  }
}
