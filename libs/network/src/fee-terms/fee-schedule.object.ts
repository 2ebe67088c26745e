import { Field, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { FeeSchedule } from './fee-schedule';

/** A field of the fee schedule, as clearMemberTerms names it (beyond the contract). */
export enum FeeTermFieldEnum {
  CLIENT_FEE_BPS = 'clientFeeBps',
  SUPPLIER_FEE_BPS = 'supplierFeeBps',
  PARTNER_SHARE_BPS = 'partnerShareBps',
  PARTNER_SHARE_MONTHS = 'partnerShareMonths',
  OFFER_TIMEOUT_SECONDS = 'offerTimeoutSeconds',
}
registerEnumType(FeeTermFieldEnum, { name: 'FeeTermField', description: 'A field of a fee schedule.' });

/** The schedule's own key of a FeeTermField (the enum's values are those keys). */
export function feeScheduleField(field: FeeTermFieldEnum): keyof FeeSchedule {
  return field as keyof FeeSchedule;
}

@ObjectType('FeeSchedule')
export class FeeScheduleObject {
  @Field(() => Int, { description: "Hub's service fee charged to the client, on the order price." })
  clientFeeBps!: number;

  @Field(() => Int, { description: "Hub's placement fee charged to the supplier, on the order price." })
  supplierFeeBps!: number;

  @Field(() => Int, {
    description:
      'Share of the fee a referred member pays the hub on an order (the client fee for a referred client, the supplier fee for a referred supplier), paid to the partner who referred it.',
  })
  partnerShareBps!: number;

  @Field(() => Int, { description: 'How many months after the referred member joined its partner still earns the share.' })
  partnerShareMonths!: number;

  @Field(() => Int, { description: 'Seconds a supplier has to accept an offer before the order moves to the next candidate.' })
  offerTimeoutSeconds!: number;
}

@InputType('FeeScheduleInput')
export class FeeScheduleInput {
  @Field(() => Int, { nullable: true })
  clientFeeBps?: number | null;

  @Field(() => Int, { nullable: true })
  supplierFeeBps?: number | null;

  @Field(() => Int, { nullable: true })
  partnerShareBps?: number | null;

  @Field(() => Int, { nullable: true })
  partnerShareMonths?: number | null;

  @Field(() => Int, { nullable: true })
  offerTimeoutSeconds?: number | null;
}
