import { Field, ID, ObjectType } from '@nestjs/graphql';
import { FeeScheduleInput, FeeScheduleObject } from '../fee-terms/fee-schedule.object';
import { InputType } from '@nestjs/graphql';

@ObjectType('Network')
export class NetworkObject {
  @Field(() => ID)
  id!: string;

  @Field()
  name!: string;

  @Field()
  currency!: string;

  @Field(() => FeeScheduleObject)
  feeSchedule!: FeeScheduleObject;
}

@ObjectType('NetworkCreated')
export class NetworkCreatedObject {
  @Field(() => NetworkObject)
  network!: NetworkObject;

  @Field({ description: "The operator's API key, shown this once." })
  operatorKey!: string;
}

@InputType('NetworkInput')
export class NetworkInput {
  @Field()
  name!: string;

  @Field()
  currency!: string;

  @Field(() => FeeScheduleInput, { nullable: true })
  feeSchedule?: FeeScheduleInput | null;
}
