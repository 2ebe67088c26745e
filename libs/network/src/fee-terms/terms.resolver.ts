import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Allow, Caller, CurrentCaller, networkOf } from '@tandem/auth';
import { MemberObject, toMemberObject } from '../member/member.object';
import { FeeScheduleInput, FeeTermFieldEnum, feeScheduleField } from './fee-schedule.object';
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

  @Mutation(() => MemberObject, {
    description:
      "Operator (beyond the contract): the member's own value of these fields (all when none are named) is dropped, so the network's schedule applies again to orders accepted from now on; versioned in feeTermHistory.",
  })
  @Allow('OPERATOR')
  async clearMemberTerms(
    @CurrentCaller() caller: Caller,
    @Args('memberId', { type: () => ID }) memberId: string,
    @Args('fields', { type: () => [FeeTermFieldEnum], nullable: true, description: 'The fields to clear; all of them when absent or empty.' })
    fields?: FeeTermFieldEnum[] | null,
  ): Promise<MemberObject> {
    return toMemberObject(await this.terms.clearMemberTerms(networkOf(caller), memberId, fields?.map(feeScheduleField)));
  }

  @Query(() => [FeeTermChangeObject], { description: "Operator: every version of a member's fee term overrides, oldest first." })
  @Allow('OPERATOR')
  async feeTermHistory(@CurrentCaller() caller: Caller, @Args('memberId', { type: () => ID }) memberId: string): Promise<FeeTermChangeObject[]> {
    return (await this.terms.history(networkOf(caller), memberId)).map(toFeeTermChangeObject);
  }
}
