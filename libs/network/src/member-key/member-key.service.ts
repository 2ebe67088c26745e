import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, IsNull, Not } from 'typeorm';
import { ApiKeyEntity, ApiKeyService } from '@tandem/auth';
import { isUuid, notFound } from '@tandem/common';
import { TransactionRunner } from '@tandem/persistence';
import { findMember } from '../member/member.queries';

/** Member keys: issued by the operator, each acting as its member in every role the member holds. */
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
  async list(networkId: string, memberId: string): Promise<ApiKeyEntity[]> {
    const member = await findMember(this.dataSource.manager, networkId, memberId);
    return this.dataSource.getRepository(ApiKeyEntity).find({
      where: { networkId, memberId: member.id },
      order: { createdAt: 'ASC', id: 'ASC' },
    });
  }

  /**
   * Revokes a member key of the network; it is refused from the next request
   * on (this process forgets the key once the revocation commits). Revoking a
   * revoked key keeps its first revocation time. Operator keys are not member
   * keys: NOT_FOUND here.
   */
  async revoke(networkId: string, keyId: string): Promise<ApiKeyEntity> {
    if (!isUuid(keyId)) throw notFound('API key');
    const revoked = await this.tx.run(async (em) => {
      const key = await em.findOne(ApiKeyEntity, {
        where: { id: keyId, networkId, memberId: Not(IsNull()) },
        lock: { mode: 'pessimistic_write' },
      });
      if (!key) throw notFound('API key');
      if (key.revokedAt) return key;
      const revokedAt = new Date();
      await em.update(ApiKeyEntity, { id: key.id }, { revokedAt });
      return { ...key, revokedAt };
    });
    this.keys.forgetKey(revoked.id);
    return revoked;
  }
}
