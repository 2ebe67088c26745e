import { Field, ObjectType } from '@nestjs/graphql';

@ObjectType('Money', {
  description: 'An exact amount. amount is a decimal string in major units with exactly the currency\'s minor digits: "120.00" USD, "1000" JPY, "-3.50" EUR.',
})
export class MoneyObject {
  // Explicit types: the schema must not depend on emitted decorator metadata.
  @Field(() => String)
  amount!: string;

  @Field(() => String)
  currency!: string;
}
