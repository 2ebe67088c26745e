import { Field, ID, InputType, Int, ObjectType } from '@nestjs/graphql';
import { MoneyInput, MoneyObject } from '@tandem/money';

/** A capability to try against the network's recent orders: an existing one with some fields changed, or a new one. */
@InputType('CapabilityReachInput', {
  description: 'A capability to try: an existing one (capabilityId) with the fields given changed, or, without capabilityId, a new one with every field given.',
})
export class CapabilityReachInput {
  @Field(() => ID, { nullable: true, description: "One of the member's capabilities to start from; absent for a new capability." })
  capabilityId?: string | null;

  @Field(() => String, { nullable: true, description: 'Category code; trimmed and lower-cased.' })
  category?: string | null;

  @Field(() => [String], { nullable: true, description: 'Region codes served, at least one; trimmed and upper-cased.' })
  regions?: string[] | null;

  @Field(() => Int, { nullable: true, description: 'Orders taken on per day.' })
  dailyCapacity?: number | null;

  @Field(() => Int, { nullable: true, description: 'Hours needed before delivery.' })
  leadTimeHours?: number | null;

  @Field(() => MoneyInput, { nullable: true, description: 'Price per unit.' })
  unitPrice?: MoneyInput | null;
}

@ObjectType('CapabilityReachReason', { description: 'How many of the orders one exclusion reason kept the capability out of.' })
export class CapabilityReachReasonObject {
  @Field(() => String, {
    description: 'The first reason that applied, as in RoutingCandidate.reason (NOT_VETTED, CURRENCY, REGION, OVER_BUDGET, LEAD_TIME, CAPACITY, SELF).',
  })
  reason!: string;

  @Field(() => Int, { description: 'Orders excluded for this reason.' })
  orders!: number;
}

@ObjectType('CapabilityReach', {
  description: "How many of the network's recent orders in the capability's category a capability would have been eligible for, by routing's own rule.",
})
export class CapabilityReachObject {
  @Field(() => Int, { description: 'Days looked back.' })
  windowDays!: number;

  @Field(() => Date, { description: 'The start of the window.' })
  since!: Date;

  @Field(() => Int, { description: 'The network\'s orders of the category placed in the window (the newest 500 at most): the M of "N of the last M".' })
  orders!: number;

  @Field(() => Int, { description: 'Orders the capability would have been eligible for at its price.' })
  eligible!: number;

  @Field(() => Int, { description: 'Orders it would have been eligible for at any price: eligible, plus those its price alone kept it out of (OVER_BUDGET).' })
  eligibleAtAnyPrice!: number;

  @Field(() => [CapabilityReachReasonObject], {
    description: 'The orders it was not eligible for, by the first reason that applied, in routing precedence; reasons with no order left out.',
  })
  excluded!: CapabilityReachReasonObject[];

  @Field(() => MoneyObject, { description: 'The unit price tried.' })
  unitPrice!: MoneyObject;
}
