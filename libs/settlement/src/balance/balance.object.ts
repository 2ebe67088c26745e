import { Field, ObjectType } from '@nestjs/graphql';
import { MoneyObject } from '@tandem/money';

@ObjectType('Balance', {
  description: "The member's open position with the hub in one currency: everything posted and not yet closed into a statement.",
})
export class BalanceObject {
  @Field(() => String)
  currency!: string;

  @Field(() => MoneyObject, { description: 'What the member owes the hub.' })
  owedToHub!: MoneyObject;

  @Field(() => MoneyObject, { description: 'What the hub owes the member.' })
  owedByHub!: MoneyObject;

  @Field(() => MoneyObject, { description: 'owedByHub - owedToHub: positive, the hub pays the member.' })
  net!: MoneyObject;
}
