import { Field, ObjectType } from '@nestjs/graphql';
import { MoneyObject } from '@tandem/money';

@ObjectType('TrialBalance')
export class TrialBalanceObject {
  @Field(() => String)
  currency!: string;

  @Field(() => MoneyObject)
  debits!: MoneyObject;

  @Field(() => MoneyObject)
  credits!: MoneyObject;

  @Field(() => Boolean)
  balanced!: boolean;
}
