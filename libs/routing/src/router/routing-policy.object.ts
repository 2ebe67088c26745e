import { Field, Float, InputType, ObjectType } from '@nestjs/graphql';

@ObjectType('RoutingPolicy', { description: "How routing weighs eligible suppliers; each weight counts in proportion to the others' sum." })
export class RoutingPolicyObject {
  @Field(() => Float, { description: 'Cheaper is better, relative to the cheapest eligible supplier.' })
  priceWeight!: number;

  @Field(() => Float, { description: 'Acceptance and on-time record, smoothed so newcomers are neutral.' })
  reliabilityWeight!: number;

  @Field(() => Float, { description: "The supplier's relationship health with the hub." })
  healthWeight!: number;

  @Field(() => Float, { description: "A smaller share of the category's orders in the last 30 days is better." })
  spreadWeight!: number;
}

@InputType('RoutingPolicyInput', { description: 'Weights from 0 to 1000, at least one above 0; absent or null: leave as it is.' })
export class RoutingPolicyInput {
  @Field(() => Float, { nullable: true })
  priceWeight?: number | null;

  @Field(() => Float, { nullable: true })
  reliabilityWeight?: number | null;

  @Field(() => Float, { nullable: true })
  healthWeight?: number | null;

  @Field(() => Float, { nullable: true })
  spreadWeight?: number | null;
}
