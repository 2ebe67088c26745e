import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Caller } from '@tandem/auth';
import { isUuid, notFound } from '@tandem/common';
import { MemberPolicy, findMember } from '@tandem/network';
import { StatementEntity } from './statement/statement.entity';

/**
 * Who reaches a member's money (balance, statements): its network's operator, or
 * the member itself (docs/api.md, "Keys and reach"; a partner does not reach the
 * balances of the members it referred). Anything else is NOT_FOUND.
 */
@Injectable()
export class SettlementPolicy {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly members: MemberPolicy,
  ) {}

  /** Passes when the caller reaches this member's money (returns its network); NOT_FOUND otherwise. */
  async reachMember(caller: Caller, memberId: string, em: EntityManager = this.dataSource.manager): Promise<string> {
    if (caller.kind === 'ADMIN' || !isUuid(memberId)) throw notFound('Member');
    // A key's own member exists in the key's network: no lookup on the hot balance path.
    if (caller.kind === 'MEMBER' && caller.memberId === memberId) return caller.networkId;
    // Looked up in the caller's network: a member of another network is NOT_FOUND there as well.
    const member = await findMember(em, caller.networkId, memberId);
    if (!this.members.isSelfOrOperator(caller, member)) throw notFound('Member');
    return member.networkId;
  }

  /** The statement, when it is the caller's own or in the operator's network; NOT_FOUND otherwise. */
  async reachStatement(caller: Caller, statementId: string, em: EntityManager = this.dataSource.manager): Promise<StatementEntity> {
    if (caller.kind === 'ADMIN' || !isUuid(statementId)) throw notFound('Statement');
    const s = await em.findOneBy(StatementEntity, { id: statementId, networkId: caller.networkId });
    if (!s || (caller.kind === 'MEMBER' && s.memberId !== caller.memberId)) throw notFound('Statement');
    return s;
  }
}
