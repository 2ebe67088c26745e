import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Allow, Caller, CurrentCaller, actorLabel, networkOf } from '@tandem/auth';
import { MemberObject, VettingStatusEnum, toMemberObject } from '../member/member.object';
import { VettingEventObject, toVettingEventObject } from './vetting-event.object';
import { VettingService } from './vetting.service';

/** Operator only: member keys may not vet anyone, so a supplier can never vet itself. */
@Resolver()
export class VettingResolver {
  constructor(private readonly vetting: VettingService) {}

  @Mutation(() => MemberObject, { description: 'Operator.' })
  @Allow('OPERATOR')
  async setVettingStatus(
    @CurrentCaller() caller: Caller,
    @Args('supplierId', { type: () => ID }) supplierId: string,
    @Args('status', { type: () => VettingStatusEnum }) status: VettingStatusEnum,
    @Args('note', { type: () => String, nullable: true, description: 'Why; at most 2,000 characters.' }) note?: string | null,
  ): Promise<MemberObject> {
    return toMemberObject(await this.vetting.setStatus(networkOf(caller), actorLabel(caller), supplierId, status, note));
  }

  @Query(() => [VettingEventObject], { description: "Operator: every change of a supplier's vetting status, oldest first." })
  @Allow('OPERATOR')
  async vettingHistory(@CurrentCaller() caller: Caller, @Args('supplierId', { type: () => ID }) supplierId: string): Promise<VettingEventObject[]> {
    return (await this.vetting.history(networkOf(caller), supplierId)).map(toVettingEventObject);
  }
}
