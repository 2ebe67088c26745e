import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { PageInfoObject } from '@tandem/common';
import { MoneyObject } from '@tandem/money';
import { FeeScheduleObject } from '../fee-terms/fee-schedule.object';

export enum RoleEnum {
  CLIENT = 'CLIENT',
  SUPPLIER = 'SUPPLIER',
  PARTNER = 'PARTNER',
}
registerEnumType(RoleEnum, { name: 'Role' });

export enum VettingStatusEnum {
  APPLIED = 'APPLIED',
  UNDER_REVIEW = 'UNDER_REVIEW',
  VETTED = 'VETTED',
  SUSPENDED = 'SUSPENDED',
  REVOKED = 'REVOKED',
}
registerEnumType(VettingStatusEnum, { name: 'VettingStatus' });

@ObjectType('Capability')
export class CapabilityObject {
  @Field(() => ID)
  id!: string;

  @Field()
  category!: string;

  @Field(() => [String])
  regions!: string[];

  @Field(() => Int)
  dailyCapacity!: number;

  @Field(() => Int)
  leadTimeHours!: number;

  @Field(() => MoneyObject)
  unitPrice!: MoneyObject;
}

/**
 * A member as the API shows it. referredBy, capabilities and terms are resolved
 * by MemberResolver's field resolvers (batched with DataLoader).
 */
@ObjectType('Member')
export class MemberObject {
  @Field(() => ID)
  id!: string;

  @Field()
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

  /** Not exposed: used by field resolvers. */
  networkId!: string;
  referredById!: string | null;
  createdAt!: Date;
}

@ObjectType('MemberEdge')
export class MemberEdgeObject {
  @Field(() => MemberObject)
  node!: MemberObject;

  @Field()
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
