import { Context, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { RequestContext } from '@tandem/auth';
import { MemberLoader, MemberObject } from '@tandem/network';
import { SupplierShareObject } from './network-insight.object';

@Resolver(() => SupplierShareObject)
export class SupplierShareResolver {
  constructor(private readonly members: MemberLoader) {}

  @ResolveField('supplier', () => MemberObject)
  supplier(@Parent() s: SupplierShareObject, @Context() ctx: RequestContext): Promise<MemberObject> {
    return this.members.load(ctx, s.supplierId);
  }
}
