import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { MoneyObject, money, toMoneyOutput } from '@tandem/money';
import { CapabilityEntity } from './capability.entity';

@ObjectType('Capability')
export class CapabilityObject {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  category!: string;

  @Field(() => [String])
  regions!: string[];

  @Field(() => Int)
  dailyCapacity!: number;

  @Field(() => Int)
  leadTimeHours!: number;

  @Field(() => MoneyObject)
  unitPrice!: MoneyObject;

  /** Not exposed: the supplier that offers it. */
  supplierId!: string;
}

export function toCapabilityObject(c: CapabilityEntity): CapabilityObject {
  return {
    id: c.id,
    category: c.category,
    regions: c.regions,
    dailyCapacity: c.dailyCapacity,
    leadTimeHours: c.leadTimeHours,
    unitPrice: toMoneyOutput(money(c.unitPriceMinor, c.currency)),
    supplierId: c.supplierId,
  };
}
