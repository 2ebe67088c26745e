import { Args, ID, Mutation, Resolver } from '@nestjs/graphql';
import { Allow, Caller, CurrentCaller } from '@tandem/auth';
import { CapabilityObject, toCapabilityObject } from './capability.object';
import { CapabilityService } from './capability.service';
import { CapabilityInput } from './dto/capability.input';
import { CapabilityUpdateInput } from './dto/capability-update.input';

@Resolver(() => CapabilityObject)
export class CapabilityResolver {
  constructor(private readonly capabilities: CapabilityService) {}

  @Mutation(() => CapabilityObject, { description: 'Operator, or the supplier itself.' })
  @Allow('OPERATOR', 'SUPPLIER')
  async addCapability(@CurrentCaller() caller: Caller, @Args('input', { type: () => CapabilityInput }) input: CapabilityInput): Promise<CapabilityObject> {
    return toCapabilityObject(await this.capabilities.add(caller, input));
  }

  @Mutation(() => CapabilityObject, { description: 'Operator, or the supplier itself. Absent or null fields are left as they are.' })
  @Allow('OPERATOR', 'SUPPLIER')
  async updateCapability(
    @CurrentCaller() caller: Caller,
    @Args('id', { type: () => ID }) id: string,
    @Args('input', { type: () => CapabilityUpdateInput }) input: CapabilityUpdateInput,
  ): Promise<CapabilityObject> {
    return toCapabilityObject(await this.capabilities.update(caller, id, input));
  }

  @Mutation(() => CapabilityObject, { description: 'Operator, or the supplier itself. Returns the capability removed.' })
  @Allow('OPERATOR', 'SUPPLIER')
  async removeCapability(@CurrentCaller() caller: Caller, @Args('id', { type: () => ID }) id: string): Promise<CapabilityObject> {
    return toCapabilityObject(await this.capabilities.remove(caller, id));
  }
}
