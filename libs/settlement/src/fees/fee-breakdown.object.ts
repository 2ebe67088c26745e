import { Field, ObjectType } from '@nestjs/graphql';
import { MoneyObject, money, toMoneyOutput } from '@tandem/money';
import { MemberObject } from '@tandem/network';
import { FeeBreakdown } from './fee-calculator';

@ObjectType('PartnerShare')
export class PartnerShareObject {
  @Field(() => MemberObject)
  partner!: MemberObject;

  @Field(() => MemberObject)
  referred!: MemberObject;

  @Field(() => MoneyObject)
  amount!: MoneyObject;
}

@ObjectType('FeeBreakdown')
export class FeeBreakdownObject {
  @Field(() => MoneyObject)
  price!: MoneyObject;

  @Field(() => MoneyObject)
  clientFee!: MoneyObject;

  @Field(() => MoneyObject)
  supplierFee!: MoneyObject;

  @Field(() => MoneyObject, { description: 'price + clientFee' })
  clientPays!: MoneyObject;

  @Field(() => MoneyObject, { description: 'price - supplierFee' })
  supplierReceives!: MoneyObject;

  @Field(() => [PartnerShareObject])
  partnerShares!: PartnerShareObject[];

  @Field(() => MoneyObject, { description: 'clientFee + supplierFee - the partner shares' })
  hubNet!: MoneyObject;
}

/**
 * The API shape of a fee breakdown. Members are looked up through `member`
 * (a per-request DataLoader), so a list of orders costs one member query.
 */
export async function toFeeBreakdownObject(f: FeeBreakdown, member: (id: string) => Promise<MemberObject>): Promise<FeeBreakdownObject> {
  const m = (minor: bigint) => toMoneyOutput(money(minor, f.currency));
  const partnerShares = await Promise.all(
    f.partnerShares.map(async (s) => ({
      partner: await member(s.partnerId),
      referred: await member(s.referredId),
      amount: m(s.amount),
    })),
  );
  return {
    price: m(f.price),
    clientFee: m(f.clientFee),
    supplierFee: m(f.supplierFee),
    clientPays: m(f.clientPays),
    supplierReceives: m(f.supplierReceives),
    partnerShares,
    hubNet: m(f.hubNet),
  };
}
