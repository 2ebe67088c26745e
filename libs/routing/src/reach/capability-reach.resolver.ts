import { Args, ID, Query, Resolver } from '@nestjs/graphql';
import { Allow, Caller, CurrentCaller } from '@tandem/auth';
import { CapabilityReachInput, CapabilityReachObject } from './capability-reach.object';
import { CapabilityReachService } from './capability-reach.service';

@Resolver(() => CapabilityReachObject)
export class CapabilityReachResolver {
  constructor(private readonly reach: CapabilityReachService) {}

  @Query(() => CapabilityReachObject, {
    description:
      "The supplier itself, or the operator: how many of the network's orders of the last 30 days (the newest 500 at most) in the capability's category it would have been eligible for, by routing's rule. Nothing is changed.",
  })
  @Allow('OPERATOR', 'SUPPLIER')
  capabilityReach(
    @CurrentCaller() caller: Caller,
    @Args('memberId', { type: () => ID, description: 'The supplier.' }) memberId: string,
    @Args('input', { type: () => CapabilityReachInput, description: 'The capability to try.' }) input: CapabilityReachInput,
  ): Promise<CapabilityReachObject> {
    return this.reach.reach(caller, memberId, input);
  }
}
