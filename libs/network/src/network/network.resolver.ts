import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Allow, Caller, CurrentCaller, networkOf } from '@tandem/auth';
import { FeeScheduleInput } from '../fee-terms/fee-schedule.object';
import { feeScheduleOf, NetworkEntity } from './network.entity';
import { NetworkCreatedObject, NetworkInput, NetworkObject } from './network.object';
import { NetworkService } from './network.service';

export function toNetworkObject(n: NetworkEntity): NetworkObject {
  return { id: n.id, name: n.name, currency: n.currency, feeSchedule: feeScheduleOf(n) };
}

@Resolver(() => NetworkObject)
export class NetworkResolver {
  constructor(private readonly networks: NetworkService) {}

  @Mutation(() => NetworkCreatedObject, { description: 'Admin key only.' })
  @Allow('ADMIN')
  async createNetwork(@Args('input', { type: () => NetworkInput }) input: NetworkInput): Promise<NetworkCreatedObject> {
    const { network, operatorKey } = await this.networks.create(input);
    return { network: toNetworkObject(network), operatorKey };
  }

  @Query(() => NetworkObject, { description: "The caller's network." })
  @Allow('OPERATOR', 'CLIENT', 'SUPPLIER', 'PARTNER')
  async network(@CurrentCaller() caller: Caller): Promise<NetworkObject> {
    return toNetworkObject(await this.networks.get(networkOf(caller)));
  }

  @Mutation(() => NetworkObject, { description: 'Operator.' })
  @Allow('OPERATOR')
  async updateFeeSchedule(@CurrentCaller() caller: Caller, @Args('input', { type: () => FeeScheduleInput }) input: FeeScheduleInput): Promise<NetworkObject> {
    return toNetworkObject(await this.networks.updateFeeSchedule(networkOf(caller), input));
  }
}
