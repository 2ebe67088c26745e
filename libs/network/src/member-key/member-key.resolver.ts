import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Allow, Caller, CurrentCaller, networkOf } from '@tandem/auth';
import { ApiKeyObject, toApiKeyObject } from './api-key.object';
import { MemberKeyService } from './member-key.service';

@Resolver()
export class MemberKeyResolver {
  constructor(private readonly keys: MemberKeyService) {}

  @Mutation(() => String, { description: 'Operator. The key is shown this once; it acts as that member.' })
  @Allow('OPERATOR')
  async issueApiKey(@CurrentCaller() caller: Caller, @Args('memberId', { type: () => ID }) memberId: string): Promise<string> {
    return this.keys.issue(networkOf(caller), memberId);
  }

  @Query(() => [ApiKeyObject], { description: "Operator: the member's keys, revoked ones included, without their secrets." })
  @Allow('OPERATOR')
  async apiKeys(@CurrentCaller() caller: Caller, @Args('memberId', { type: () => ID }) memberId: string): Promise<ApiKeyObject[]> {
    return (await this.keys.list(networkOf(caller), memberId)).map(toApiKeyObject);
  }

  @Mutation(() => ApiKeyObject, { description: 'Operator: revokes a member key; it is refused from the next request on.' })
  @Allow('OPERATOR')
  async revokeApiKey(@CurrentCaller() caller: Caller, @Args('keyId', { type: () => ID }) keyId: string): Promise<ApiKeyObject> {
    return toApiKeyObject(await this.keys.revoke(networkOf(caller), keyId));
  }
}
