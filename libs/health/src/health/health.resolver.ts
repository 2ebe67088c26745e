import { Args, Context, ID, Int, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { Allow, Caller, CurrentCaller, RequestContext } from '@tandem/auth';
import { MoneyInput } from '@tandem/money';
import { AcquisitionBaselineService, MemberLoader, MemberObject } from '@tandem/network';
import { HealthSnapshotService } from '../snapshot/health-snapshot.service';
import { HealthSnapshotObject, toHealthSnapshotObject } from '../snapshot/health-snapshot.object';
import { HealthPolicy } from './health.policy';
import { HealthService } from './health.service';
import { RelationshipHealthObject, toRelationshipHealthObject } from './relationship-health.object';

@Resolver(() => RelationshipHealthObject)
export class HealthResolver {
  constructor(
    private readonly health: HealthService,
    private readonly policy: HealthPolicy,
    private readonly baselines: AcquisitionBaselineService,
    private readonly snapshots: HealthSnapshotService,
    private readonly members: MemberLoader,
  ) {}

  @Query(() => RelationshipHealthObject, { description: 'The member itself, or the operator.' })
  @Allow('OPERATOR', 'CLIENT', 'SUPPLIER', 'PARTNER')
  async relationshipHealth(@CurrentCaller() caller: Caller, @Args('memberId', { type: () => ID }) memberId: string): Promise<RelationshipHealthObject> {
    const member = await this.policy.reachableMember(caller, memberId);
    return toRelationshipHealthObject(await this.health.relationshipHealth(member.networkId, member.id));
  }

  @Mutation(() => RelationshipHealthObject, {
    description: 'The operator, or the member itself: what winning a customer costs it elsewhere, in the network currency.',
  })
  @Allow('OPERATOR', 'CLIENT', 'SUPPLIER', 'PARTNER')
  async setAcquisitionBaseline(
    @CurrentCaller() caller: Caller,
    @Args('memberId', { type: () => ID }) memberId: string,
    @Args('amount', { type: () => MoneyInput }) amount: MoneyInput,
  ): Promise<RelationshipHealthObject> {
    const member = await this.policy.reachableMember(caller, memberId);
    await this.baselines.set(member.networkId, member.id, amount);
    return toRelationshipHealthObject(await this.health.relationshipHealth(member.networkId, member.id));
  }

  @Query(() => [HealthSnapshotObject], { description: "The member's health snapshots, newest first (the member itself, or the operator)." })
  @Allow('OPERATOR', 'CLIENT', 'SUPPLIER', 'PARTNER')
  async healthHistory(
    @CurrentCaller() caller: Caller,
    @Args('memberId', { type: () => ID }) memberId: string,
    @Args('first', { type: () => Int, nullable: true, description: 'At most this many, 0 to 1000 (default 100).' }) first?: number | null,
  ): Promise<HealthSnapshotObject[]> {
    const member = await this.policy.reachableMember(caller, memberId);
    return (await this.snapshots.history(member.networkId, member.id, first)).map(toHealthSnapshotObject);
  }

  @ResolveField('member', () => MemberObject)
  member(@Parent() h: RelationshipHealthObject, @Context() ctx: RequestContext): Promise<MemberObject> {
    return this.members.load(ctx, h.memberId);
  }
}
