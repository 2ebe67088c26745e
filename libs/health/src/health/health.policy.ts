import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Caller } from '@tandem/auth';
import { forbidden, notFound } from '@tandem/common';
import { MemberEntity, MemberPolicy, findMember } from '@tandem/network';

/**
 * Who reaches a member's health (docs/api.md, "Keys and reach"): the member
 * itself and its network's operator. Anyone else gets NOT_FOUND, as if the
 * member did not exist (a partner does not see the health of members it referred).
 */
@Injectable()
export class HealthPolicy {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly members: MemberPolicy,
  ) {}

  async reachableMember(caller: Caller, memberId: string): Promise<MemberEntity> {
    if (caller.kind === 'ADMIN') throw forbidden();
    const member = await findMember(this.dataSource.manager, caller.networkId, memberId);
    if (!this.members.isSelfOrOperator(caller, member)) throw notFound('Member');
    return member;
  }
}
