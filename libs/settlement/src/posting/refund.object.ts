import { Field, ID, ObjectType } from '@nestjs/graphql';
import { MoneyObject, money, toMoneyOutput } from '@tandem/money';
import { MemberObject } from '@tandem/network';
import { FeeBreakdownObject, toFeeBreakdownObject } from '../fees/fee-breakdown.object';
import { OrderRefund } from './order-refunds';

@ObjectType('Refund', { description: 'One refund of an order, full or partial, with every leg it reversed.' })
export class RefundObject {
  @Field(() => ID)
  id!: string;

  @Field(() => MoneyObject, { description: "The part of the order's price refunded." })
  amount!: MoneyObject;

  @Field(() => FeeBreakdownObject, {
    description: "What each leg of the order's fee breakdown gave back: price is the amount; clientPays is what the client gets back.",
  })
  reversed!: FeeBreakdownObject;

  @Field(() => String, { nullable: true })
  reason!: string | null;

  @Field(() => Date)
  createdAt!: Date;
}

export async function toRefundObject(r: OrderRefund, member: (id: string) => Promise<MemberObject>): Promise<RefundObject> {
  return {
    id: r.id,
    amount: toMoneyOutput(money(r.amount, r.currency)),
    reversed: await toFeeBreakdownObject(r.reversed, member),
    reason: r.reason,
    createdAt: r.createdAt,
  };
}
