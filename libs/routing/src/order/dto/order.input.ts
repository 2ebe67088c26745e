import { Field, ID, InputType, Int } from '@nestjs/graphql';
import { MoneyInput } from '@tandem/money';

@InputType('OrderInput')
export class OrderInput {
  @Field(() => ID, { nullable: true, description: 'Required for an operator key; taken from the key for a client key.' })
  clientId?: string | null;

  @Field(() => String)
  category!: string;

  @Field(() => String)
  region!: string;

  // Range-checked in the service so a bad value is BAD_USER_INPUT like every other field.
  @Field(() => Int)
  quantity!: number;

  @Field(() => Date)
  deliverBy!: Date;

  @Field(() => MoneyInput)
  budget!: MoneyInput;

  @Field(() => String, { description: 'Same key and same input: the same order back. Same key, other input: error CONFLICT.' })
  idempotencyKey!: string;

  @Field(() => String, { nullable: true })
  notes?: string | null;
}
