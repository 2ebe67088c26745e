import { Field, ID, ObjectType, registerEnumType } from '@nestjs/graphql';
import { enumOf } from '@tandem/common';
import { MoneyObject, money, toMoneyOutput } from '@tandem/money';
import { MemberObject } from '@tandem/network';
import { OrderObject } from '@tandem/routing';
import { DisputeRow } from './dispute.repository';

export const DISPUTE_STATUSES = ['OPEN', 'RESOLVED', 'REJECTED'] as const;
export type DisputeStatus = (typeof DISPUTE_STATUSES)[number];
export const DisputeStatusEnum = enumOf(DISPUTE_STATUSES);
registerEnumType(DisputeStatusEnum, { name: 'DisputeStatus' });

@ObjectType('Dispute')
export class DisputeObject {
  @Field(() => ID)
  id!: string;

  @Field(() => OrderObject)
  order?: OrderObject;

  @Field(() => MemberObject)
  openedBy?: MemberObject;

  @Field(() => String)
  reason!: string;

  @Field(() => DisputeStatusEnum)
  status!: DisputeStatus;

  @Field(() => String, { nullable: true, description: "The supplier's side, once it has answered." })
  supplierResponse!: string | null;

  @Field(() => String, { nullable: true, description: "The operator's note when it resolved or rejected the dispute." })
  resolution!: string | null;

  @Field(() => MoneyObject, { nullable: true, description: 'The part of the price refunded by the resolution; null when rejected or open.' })
  refund!: MoneyObject | null;

  @Field(() => Date)
  createdAt!: Date;

  @Field(() => Date, { nullable: true })
  resolvedAt!: Date | null;

  /** Not exposed: resolved into order and openedBy. */
  orderId!: string;
  openedById!: string;
}

export function toDisputeObject(r: DisputeRow): DisputeObject {
  return {
    id: r.id,
    reason: r.reason,
    status: r.status,
    supplierResponse: r.supplier_response,
    resolution: r.resolution,
    refund: r.refund_minor === null ? null : toMoneyOutput(money(BigInt(r.refund_minor), r.currency)),
    createdAt: r.created_at,
    resolvedAt: r.resolved_at,
    orderId: r.order_id,
    openedById: r.opened_by_id,
  };
}
