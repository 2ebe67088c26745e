import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { MemberObject } from '@tandem/network';
import { MoneyObject, money, toMoneyOutput } from '@tandem/money';
import { StatementEntity } from './statement.entity';

export enum StatementStatusEnum {
  DUE = 'DUE',
  PAID = 'PAID',
}
registerEnumType(StatementStatusEnum, { name: 'StatementStatus' });

@ObjectType('Statement')
export class StatementObject {
  @Field(() => ID)
  id!: string;

  /** Resolved by StatementResolver through the member DataLoader. */
  @Field(() => MemberObject)
  member?: MemberObject;

  @Field(() => String)
  currency!: string;

  @Field(() => Date)
  periodStart!: Date;

  @Field(() => Date)
  periodEnd!: Date;

  @Field(() => StatementStatusEnum)
  status!: StatementStatusEnum;

  @Field(() => Int)
  ordersAsClient!: number;

  @Field(() => Int)
  ordersAsSupplier!: number;

  @Field(() => MoneyObject, { description: 'Prices of the orders the member bought, less refunds.' })
  purchases!: MoneyObject;

  @Field(() => MoneyObject)
  clientFees!: MoneyObject;

  @Field(() => MoneyObject, { description: 'Prices of the orders the member fulfilled, less refunds.' })
  earnedBusiness!: MoneyObject;

  @Field(() => MoneyObject)
  supplierFees!: MoneyObject;

  @Field(() => MoneyObject)
  partnerShares!: MoneyObject;

  @Field(() => MoneyObject, {
    description: 'earnedBusiness - supplierFees + partnerShares - purchases - clientFees: positive, the hub pays the member.',
  })
  net!: MoneyObject;

  /** Not exposed: for the member field resolver. */
  memberId!: string;
}

export function toStatementObject(s: StatementEntity): StatementObject {
  const m = (minor: bigint) => toMoneyOutput(money(minor, s.currency));
  return {
    id: s.id,
    memberId: s.memberId,
    currency: s.currency,
    periodStart: s.periodStart,
    periodEnd: s.periodEnd,
    status: s.status as StatementStatusEnum,
    ordersAsClient: s.ordersAsClient,
    ordersAsSupplier: s.ordersAsSupplier,
    purchases: m(s.purchasesMinor),
    clientFees: m(s.clientFeesMinor),
    earnedBusiness: m(s.earnedBusinessMinor),
    supplierFees: m(s.supplierFeesMinor),
    partnerShares: m(s.partnerSharesMinor),
    net: m(s.netMinor),
  };
}
