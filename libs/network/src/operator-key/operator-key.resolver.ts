import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Allow, Caller, CurrentCaller } from '@tandem/auth';
import { badInput, notFound } from '@tandem/common';
import { OperatorKeyIssuedObject, OperatorKeyObject, toOperatorKeyObject } from './operator-key.object';
import { IssuedOperatorKey, OperatorKeyService } from './operator-key.service';

const NETWORK_ID = {
  type: () => ID,
  nullable: true,
  description: "Admin key: the network (required). Operator key: its own network (the default); another network's id is NOT_FOUND.",
};

function toIssued(i: IssuedOperatorKey): OperatorKeyIssuedObject {
  return { operatorKey: i.key, key: toOperatorKeyObject(i.apiKey) };
}

@Resolver()
export class OperatorKeyResolver {
  constructor(private readonly keys: OperatorKeyService) {}

  @Mutation(() => OperatorKeyIssuedObject, { description: 'Operator or admin: another operator key for the network, shown this once.' })
  @Allow('OPERATOR', 'ADMIN')
  async issueOperatorKey(@CurrentCaller() caller: Caller, @Args('networkId', NETWORK_ID) networkId?: string | null): Promise<OperatorKeyIssuedObject> {
    return toIssued(await this.keys.issue(await this.networkFor(caller, networkId)));
  }

  @Query(() => [OperatorKeyObject], { description: "Operator or admin: the network's operator keys, revoked ones included, without their secrets." })
  @Allow('OPERATOR', 'ADMIN')
  async operatorKeys(@CurrentCaller() caller: Caller, @Args('networkId', NETWORK_ID) networkId?: string | null): Promise<OperatorKeyObject[]> {
    return (await this.keys.list(await this.networkFor(caller, networkId))).map(toOperatorKeyObject);
  }

  @Mutation(() => OperatorKeyObject, {
    description: 'Operator or admin: revokes an operator key; it is refused from the next request on. The last live one cannot be revoked.',
  })
  @Allow('OPERATOR', 'ADMIN')
  async revokeOperatorKey(
    @CurrentCaller() caller: Caller,
    @Args('keyId', { type: () => ID }) keyId: string,
    @Args('networkId', NETWORK_ID) networkId?: string | null,
  ): Promise<OperatorKeyObject> {
    return toOperatorKeyObject(await this.keys.revoke(await this.networkFor(caller, networkId), keyId));
  }

  @Mutation(() => OperatorKeyIssuedObject, { description: 'Operator or admin: replaces an operator key by a new one (shown this once) in one step.' })
  @Allow('OPERATOR', 'ADMIN')
  async rotateOperatorKey(
    @CurrentCaller() caller: Caller,
    @Args('keyId', { type: () => ID }) keyId: string,
    @Args('networkId', NETWORK_ID) networkId?: string | null,
  ): Promise<OperatorKeyIssuedObject> {
    return toIssued(await this.keys.rotate(await this.networkFor(caller, networkId), keyId));
  }

  /** The network the caller acts on: an operator key only on its own, the admin key on the one it names. */
  private async networkFor(caller: Caller, networkId: string | null | undefined): Promise<string> {
    if (caller.kind === 'OPERATOR') {
      if (networkId != null && networkId !== caller.networkId) throw notFound('Network');
      return caller.networkId;
    }
    if (networkId == null) throw badInput('The admin key must name the network (networkId)', 'networkId');
    return this.keys.requireNetwork(networkId);
  }
}
