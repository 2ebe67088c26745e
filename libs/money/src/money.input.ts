import { Field, InputType } from '@nestjs/graphql';

/** Validated by parseMoney in the service, so errors carry the contract's BAD_USER_INPUT. */
@InputType('MoneyInput', {
  description: "amount: a decimal string in major units with at most the currency's minor digits. currency: ISO 4217.",
})
export class MoneyInput {
  @Field(() => String)
  amount!: string;

  @Field(() => String)
  currency!: string;
}
