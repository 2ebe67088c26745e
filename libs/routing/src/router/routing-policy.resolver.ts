import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Allow, CurrentCaller, NetworkCaller } from '@tandem/auth';
import { RoutingPolicyInput, RoutingPolicyObject } from './routing-policy.object';
import { RoutingPolicyService } from './routing-policy.service';

@Resolver(() => RoutingPolicyObject)
export class RoutingPolicyResolver {
  constructor(private readonly policies: RoutingPolicyService) {}

  @Query(() => RoutingPolicyObject, { description: "Operator: the network's routing weights." })
  @Allow('OPERATOR')
  routingPolicy(@CurrentCaller() caller: NetworkCaller): Promise<RoutingPolicyObject> {
    return this.policies.forNetwork(caller.networkId);
  }

  @Mutation(() => RoutingPolicyObject, { description: 'Operator: changes the routing weights for routing passes from now on.' })
  @Allow('OPERATOR')
  setRoutingPolicy(
    @CurrentCaller() caller: NetworkCaller,
    @Args('input', { type: () => RoutingPolicyInput }) input: RoutingPolicyInput,
  ): Promise<RoutingPolicyObject> {
    return this.policies.update(caller.networkId, input);
  }
}
