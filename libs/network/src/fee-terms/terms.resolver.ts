import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Allow, Caller, CurrentCaller, networkOf } from '@tandem/auth';
import { MemberObject, toMemberObject } from '../member/member.object';
import { FeeScheduleInput } from './fee-schedule.object';
import { FeeTermChangeObject, toFeeTermChangeObject } from './fee-term-change.object';
import { TermsService } from './terms.service';

@Resolver()
export class TermsResolver {
  constructor(private readonly terms: TermsService) {}

  @Mutation(() => MemberObject, {
    description: "Operator: this member's own terms, overriding the network's schedule for orders accepted from now on.",
  })
  @Allow('OPERATOR')
  async setMemberTerms(
    @CurrentCaller() caller: Caller,
    @Args('memberId', { type: () => ID }) memberId: string,
    @Args('input', { type: () => FeeScheduleInput }) input: FeeScheduleInput,
  ): Promise<MemberObject> {
    return toMemberObject(await this.terms.setMemberTerms(networkOf(caller), memberId, input));
  }

  @Query(() => [FeeTermChangeObject], { description: "Operator: every version of a member's fee term overrides, oldest first." })
  @Allow('OPERATOR')
  async feeTermHistory(@CurrentCaller() caller: Caller, @Args('memberId', { type: () => ID }) memberId: string): Promise<FeeTermChangeObject[]> {
    return (await this.terms.history(networkOf(caller), memberId)).map(toFeeTermChangeObject);
  }
}
