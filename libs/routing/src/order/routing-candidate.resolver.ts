import { Context, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { RequestContext } from '@tandem/auth';
import { MemberLoader, MemberObject } from '@tandem/network';
import { RoutingCandidateObject } from './order.object';

@Resolver(() => RoutingCandidateObject)
export class RoutingCandidateResolver {
  constructor(private readonly members: MemberLoader) {}

  @ResolveField('supplier', () => MemberObject)
  supplier(@Parent() row: RoutingCandidateObject, @Context() ctx: RequestContext): Promise<MemberObject> {
    return this.members.load(ctx, row.supplierId);
  }
}
