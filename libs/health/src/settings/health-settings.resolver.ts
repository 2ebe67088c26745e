import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Allow, Caller, CurrentCaller, networkOf } from '@tandem/auth';
import { HealthSettingsInput } from './dto/health-settings.input';
import { HealthSettingsObject } from './health-settings.object';
import { HealthSettingsService } from './health-settings.service';

@Resolver(() => HealthSettingsObject)
export class HealthSettingsResolver {
  constructor(private readonly settings: HealthSettingsService) {}

  @Query(() => HealthSettingsObject, { description: "Operator: the network's relationship-health settings." })
  @Allow('OPERATOR')
  healthSettings(@CurrentCaller() caller: Caller): Promise<HealthSettingsObject> {
    return this.settings.get(networkOf(caller));
  }

  @Mutation(() => HealthSettingsObject, { description: 'Operator: absent or null fields are left as they are.' })
  @Allow('OPERATOR')
  updateHealthSettings(
    @CurrentCaller() caller: Caller,
    @Args('input', { type: () => HealthSettingsInput }) input: HealthSettingsInput,
  ): Promise<HealthSettingsObject> {
    return this.settings.update(networkOf(caller), input);
  }
}
