import { Field, InputType, Int } from '@nestjs/graphql';
import { MoneyInput } from '@tandem/money';

/** An absent or null field is left as it is. */
@InputType('CapabilityUpdateInput')
export class CapabilityUpdateInput {
  @Field(() => String, { nullable: true })
  category?: string | null;

  @Field(() => [String], { nullable: true })
  regions?: string[] | null;

  @Field(() => Int, { nullable: true })
  dailyCapacity?: number | null;

  @Field(() => Int, { nullable: true })
  leadTimeHours?: number | null;

  @Field(() => MoneyInput, { nullable: true })
  unitPrice?: MoneyInput | null;
}
