import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { PageInfoObject, ROLES, Role, VETTING_STATUSES, VettingStatus, enumOf } from '@tandem/common';
import { CapabilityObject } from '../capability/capability.object';
import { FeeSchedule } from '../fee-terms/fee-schedule';
import { FeeScheduleObject } from '../fee-terms/fee-schedule.object';
import { MemberEntity } from './member.entity';

// Kept here (and re-exported) so existing imports of CapabilityObject from this file keep working.
export { CapabilityObject } from '../capability/capability.object';

/** The GraphQL enums Role and VettingStatus, registered from the one list of each (libs/common). */
export const RoleEnum = enumOf(ROLES);
export type RoleEnum = Role;
registerEnumType(RoleEnum, { name: 'Role' });

export const VettingStatusEnum = enumOf(VETTING_STATUSES);
export type VettingStatusEnum = VettingStatus;
registerEnumType(VettingStatusEnum, { name: 'VettingStatus' });

/**
 * A member as the API shows it. referredBy, capabilities and terms are resolved
 * by MemberResolver's field resolvers (batched with DataLoader).
 */
@ObjectType('Member')
export class MemberObject {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  name!: string;

  @Field(() => [RoleEnum])
  roles!: RoleEnum[];

  @Field(() => VettingStatusEnum, { nullable: true, description: 'Suppliers only; null for a member without the SUPPLIER role.' })
  vettingStatus!: VettingStatusEnum | null;

  @Field(() => MemberObject, { nullable: true })
  referredBy?: MemberObject | null;

  @Field(() => Date)
  joinedAt!: Date;

  @Field(() => [CapabilityObject])
  capabilities?: CapabilityObject[];

  @Field(() => FeeScheduleObject, {
    nullable: true,
    description:
      "The fee terms in force for this member: the network's schedule with this member's overrides. Null unless the caller is this member or the operator.",
  })
  terms?: FeeScheduleObject | null;

  /** Not exposed: used by field resolvers and policies. */
  networkId!: string;
  referredById!: string | null;
  createdAt!: Date;
  termOverrides!: Partial<FeeSchedule>;
}

/** The API shape of a member row. vettingStatus shows only while the member holds SUPPLIER. */
export function toMemberObject(m: MemberEntity): MemberObject {
  return {
    id: m.id,
    name: m.name,
    roles: m.roles,
    vettingStatus: m.roles.includes('SUPPLIER') && m.vettingStatus ? m.vettingStatus : null,
    joinedAt: m.joinedAt,
    networkId: m.networkId,
    referredById: m.referredById,
    createdAt: m.createdAt,
    termOverrides: m.termOverrides ?? {},
  };
}

@ObjectType('MemberEdge')
export class MemberEdgeObject {
  @Field(() => MemberObject)
  node!: MemberObject;

  @Field(() => String)
  cursor!: string;
}

@ObjectType('MemberConnection')
export class MemberConnectionObject {
  @Field(() => [MemberEdgeObject])
  edges!: MemberEdgeObject[];

  @Field(() => PageInfoObject)
  pageInfo!: PageInfoObject;

  @Field(() => Int)
  totalCount!: number;
}
