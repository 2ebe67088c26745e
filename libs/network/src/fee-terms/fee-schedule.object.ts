import { Field, InputType, Int, ObjectType } from '@nestjs/graphql';

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
