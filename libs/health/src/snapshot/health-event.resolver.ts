import { Args, Context, Int, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { Allow, Caller, CurrentCaller, RequestContext, networkOf } from '@tandem/auth';
import { MemberLoader, MemberObject } from '@tandem/network';
import { HealthEventConnectionObject, HealthEventObject, toHealthEventObject } from './health-snapshot.object';
import { HealthSnapshotService } from './health-snapshot.service';

@Resolver(() => HealthEventObject)
export class HealthEventResolver {
  constructor(
    private readonly snapshots: HealthSnapshotService,
    private readonly members: MemberLoader,
  ) {}

  @Query(() => HealthEventConnectionObject, { description: 'Operator: every change of a member into or out of risk, newest first.' })
  @Allow('OPERATOR')
  async healthEvents(
    @CurrentCaller() caller: Caller,
    @Args('first', { type: () => Int, nullable: true }) first?: number | null,
    @Args('after', { type: () => String, nullable: true }) after?: string | null,
  ): Promise<HealthEventConnectionObject> {
    const page = await this.snapshots.events(networkOf(caller), first, after);
    return { ...page, edges: page.edges.map((e) => ({ node: toHealthEventObject(e.node), cursor: e.cursor })) };
  }

  @ResolveField('member', () => MemberObject)
  member(@Parent() e: HealthEventObject, @Context() ctx: RequestContext): Promise<MemberObject> {
    return this.members.load(ctx, e.memberId);
  }
}
