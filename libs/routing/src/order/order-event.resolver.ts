import { Context, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { RequestContext } from '@tandem/auth';
import { MemberLoader, MemberObject } from '@tandem/network';
import { OrderEventObject } from './order.object';

@Resolver(() => OrderEventObject)
export class OrderEventResolver {
  constructor(private readonly members: MemberLoader) {}

  @ResolveField('supplier', () => MemberObject, { nullable: true })
  supplier(@Parent() event: OrderEventObject, @Context() ctx: RequestContext): Promise<MemberObject> | null {
    return event.supplierId ? this.members.load(ctx, event.supplierId) : null;
  }
}
