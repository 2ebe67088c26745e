import { Field, ID, InputType, Int } from '@nestjs/graphql';
import { MoneyInput } from '@tandem/money';

@InputType('CapabilityInput')
export class CapabilityInput {
  @Field(() => ID)
  supplierId!: string;

  @Field(() => String)
  category!: string;

  @Field(() => [String])
  regions!: string[];

  @Field(() => Int)
  dailyCapacity!: number;

  @Field(() => Int)
  leadTimeHours!: number;

  @Field(() => MoneyInput)
  unitPrice!: MoneyInput;
}
