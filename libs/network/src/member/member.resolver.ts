import { Args, Context, ID, Int, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { Allow, Caller, CurrentCaller, RequestContext, actorLabel, networkOf } from '@tandem/auth';
import { CapabilityLoader } from '../capability/capability.loader';
import { CapabilityObject } from '../capability/capability.object';
import { FeeSchedule } from '../fee-terms/fee-schedule';
import { FeeScheduleObject } from '../fee-terms/fee-schedule.object';
import { TermsLoader } from '../fee-terms/terms.loader';
import { RegisterMemberInput } from './dto/register-member.input';
import { MemberLoader } from './member.loader';
import { MemberConnectionObject, MemberObject, RoleEnum, VettingStatusEnum, toMemberObject } from './member.object';
import { MemberPolicy } from './member.policy';
import { MemberService } from './member.service';

@Resolver(() => MemberObject)
export class MemberResolver {
  constructor(
    private readonly service: MemberService,
    private readonly policy: MemberPolicy,
    private readonly memberLoader: MemberLoader,
    private readonly capabilityLoader: CapabilityLoader,
    private readonly termsLoader: TermsLoader,
  ) {}

  @Query(() => MemberObject, { nullable: true, description: 'The member the key belongs to; null for an operator key.' })
  @Allow('OPERATOR', 'CLIENT', 'SUPPLIER', 'PARTNER')
  async me(@CurrentCaller() caller: Caller): Promise<MemberObject | null> {
    const member = await this.service.me(caller);
    return member && toMemberObject(member);
  }

  @Query(() => MemberObject)
  @Allow('OPERATOR', 'CLIENT', 'SUPPLIER', 'PARTNER')
  async member(@CurrentCaller() caller: Caller, @Args('id', { type: () => ID }) id: string): Promise<MemberObject> {
    return toMemberObject(await this.service.getVisible(caller, id));
  }

  @Query(() => MemberConnectionObject, { description: 'The members the key reaches, oldest first.' })
  @Allow('OPERATOR', 'CLIENT', 'SUPPLIER', 'PARTNER')
  async members(
    @CurrentCaller() caller: Caller,
    @Args('role', { type: () => RoleEnum, nullable: true }) role?: RoleEnum | null,
    @Args('first', { type: () => Int, nullable: true }) first?: number | null,
    @Args('after', { type: () => String, nullable: true }) after?: string | null,
    @Args('search', { type: () => String, nullable: true, description: 'Beyond the contract: members whose name contains this text, any case.' })
    search?: string | null,
    @Args('vettingStatus', { type: () => VettingStatusEnum, nullable: true, description: 'Beyond the contract: suppliers in this vetting status.' })
    vettingStatus?: VettingStatusEnum | null,
  ): Promise<MemberConnectionObject> {
    const page = await this.service.list(caller, { role, first, after, search, vettingStatus });
    return { ...page, edges: page.edges.map((e) => ({ node: toMemberObject(e.node), cursor: e.cursor })) };
  }

  @Mutation(() => MemberObject, { description: 'Operator.' })
  @Allow('OPERATOR')
  async registerMember(@CurrentCaller() caller: Caller, @Args('input', { type: () => RegisterMemberInput }) input: RegisterMemberInput): Promise<MemberObject> {
    return toMemberObject(await this.service.register(networkOf(caller), actorLabel(caller), input));
  }

  @Mutation(() => MemberObject, {
    description: "Operator: replaces the member's roles. Gaining SUPPLIER starts vetting at APPLIED; losing it clears the status (history stays).",
  })
  @Allow('OPERATOR')
  async setMemberRoles(
    @CurrentCaller() caller: Caller,
    @Args('memberId', { type: () => ID }) memberId: string,
    @Args('roles', { type: () => [RoleEnum] }) roles: RoleEnum[],
  ): Promise<MemberObject> {
    return toMemberObject(await this.service.setRoles(networkOf(caller), actorLabel(caller), memberId, roles));
  }

  @ResolveField('referredBy', () => MemberObject, { nullable: true })
  referredBy(@Parent() member: MemberObject, @Context() ctx: RequestContext): Promise<MemberObject> | null {
    return member.referredById ? this.memberLoader.load(ctx, member.referredById) : null;
  }

  @ResolveField('capabilities', () => [CapabilityObject])
  capabilities(@Parent() member: MemberObject, @Context() ctx: RequestContext): Promise<CapabilityObject[]> {
    return this.capabilityLoader.forSupplier(ctx, member.id);
  }

  @ResolveField('terms', () => FeeScheduleObject, {
    nullable: true,
    description:
      "The fee terms in force for this member: the network's schedule with this member's overrides. Null unless the caller is this member or the operator.",
  })
  terms(@Parent() member: MemberObject, @Context() ctx: RequestContext): Promise<FeeSchedule> | null {
    if (!ctx.caller || !this.policy.canSeeTerms(ctx.caller, member)) return null;
    return this.termsLoader.load(ctx, member.id);
  }
}
