import { Field, Float, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { ORDER_STATUSES, OrderStatus, PageInfoObject, enumOf } from '@tandem/common';
import { MoneyObject, money, toMoneyOutput } from '@tandem/money';
import { MemberObject } from '@tandem/network';
import { FeeBreakdownObject, RefundObject } from '@tandem/settlement';
import { OrderEntity, RoutingRow } from './order.entity';
import { OrderEventEntity } from './order-event.entity';

/** The GraphQL enum OrderStatus, registered from the one list of order statuses (libs/common). */
export const OrderStatusEnum = enumOf(ORDER_STATUSES);
export type OrderStatusEnum = OrderStatus;
registerEnumType(OrderStatusEnum, { name: 'OrderStatus' });

@ObjectType('RoutingCandidate')
export class RoutingCandidateObject {
  @Field(() => MemberObject)
  supplier?: MemberObject;

  @Field(() => Boolean)
  eligible!: boolean;

  @Field(() => String, {
    nullable: true,
    description:
      'Why not eligible, one of: DECLINED, EXPIRED, NOT_VETTED, CURRENCY, REGION, OVER_BUDGET, LEAD_TIME, CAPACITY, SELF (precedence in that order; see README.md). Null when eligible.',
  })
  reason!: string | null;

  @Field(() => Float, { nullable: true, description: 'Higher is better; null when not eligible.' })
  score!: number | null;

  /** Not exposed: resolved into supplier. */
  supplierId!: string;
}

@ObjectType('OrderEvent', { description: "One step of an order's history." })
export class OrderEventObject {
  @Field(() => String, {
    description:
      'placed, offered, declined, expired, withdrawn, unroutable, accepted, fulfilled, cancelled, refunded, partially_refunded, disputed, dispute_rejected; more may come.',
  })
  type!: string;

  @Field(() => String, { nullable: true, description: 'Who did it: operator:<key id>, member:<member id> or system; null when hidden from the caller.' })
  actor!: string | null;

  @Field(() => MemberObject, { nullable: true, description: 'The supplier the event is about, if any.' })
  supplier?: MemberObject | null;

  @Field(() => Date)
  at!: Date;

  @Field(() => String, { nullable: true, description: 'The reason given, if any.' })
  detail!: string | null;

  /** Not exposed: resolved into supplier. */
  supplierId!: string | null;
}

@ObjectType('Order')
export class OrderObject {
  @Field(() => ID)
  id!: string;

  @Field(() => MemberObject)
  client?: MemberObject;

  @Field(() => String)
  category!: string;

  @Field(() => String)
  region!: string;

  @Field(() => Int)
  quantity!: number;

  @Field(() => Date)
  deliverBy!: Date;

  @Field(() => MoneyObject)
  budget!: MoneyObject;

  @Field(() => OrderStatusEnum)
  status!: OrderStatusEnum;

  @Field(() => MemberObject, {
    nullable: true,
    description: 'The supplier holding the current offer (OFFERED), or that accepted (ACCEPTED and later).',
  })
  supplier?: MemberObject | null;

  @Field(() => Date, { nullable: true })
  offerExpiresAt!: Date | null;

  @Field(() => MoneyObject, { nullable: true, description: "The supplier's price for this order, known once it is offered." })
  price!: MoneyObject | null;

  @Field(() => FeeBreakdownObject, { nullable: true, description: 'Fixed when the supplier accepts; null before.' })
  fees?: FeeBreakdownObject | null;

  @Field(() => [RefundObject], { description: 'Every refund, oldest first.' })
  refunds?: RefundObject[];

  @Field(() => MoneyObject, { description: 'Sum of refunds[].amount; zero before any refund.' })
  refundedAmount?: MoneyObject;

  @Field(() => [RoutingCandidateObject], {
    description:
      'The latest routing pass: suppliers that held an offer, then eligible by score, then excluded; at most 100 rows. A supplier sees only its own row.',
  })
  routing?: RoutingCandidateObject[];

  @Field(() => [OrderEventObject], {
    description: "The order's history, oldest first. A supplier sees other suppliers' events without who they were.",
  })
  events?: OrderEventObject[];

  @Field(() => String, { nullable: true })
  notes!: string | null;

  @Field(() => Date)
  createdAt!: Date;

  /** Not exposed: used by field resolvers and OrderPolicy. */
  networkId!: string;
  clientId!: string;
  supplierId!: string | null;
  acceptedAt!: Date | null;
  routingRows!: RoutingRow[];
}

@ObjectType('OrderEdge')
export class OrderEdgeObject {
  @Field(() => OrderObject)
  node!: OrderObject;

  @Field(() => String)
  cursor!: string;
}

@ObjectType('OrderConnection')
export class OrderConnectionObject {
  @Field(() => [OrderEdgeObject])
  edges!: OrderEdgeObject[];

  @Field(() => PageInfoObject)
  pageInfo!: PageInfoObject;

  @Field(() => Int)
  totalCount!: number;
}

export function toOrderObject(o: OrderEntity): OrderObject {
  return {
    id: o.id,
    category: o.category,
    region: o.region,
    quantity: o.quantity,
    deliverBy: o.deliverBy,
    budget: toMoneyOutput(money(o.budgetMinor, o.currency)),
    status: o.status as OrderStatusEnum,
    offerExpiresAt: o.offerExpiresAt,
    price: o.priceMinor === null ? null : toMoneyOutput(money(o.priceMinor, o.currency)),
    notes: o.notes,
    createdAt: o.createdAt,
    networkId: o.networkId,
    clientId: o.clientId,
    supplierId: o.supplierId,
    acceptedAt: o.acceptedAt,
    routingRows: o.routing ?? [],
  };
}

/** How much of an order's history a caller sees (from OrderPolicy). */
export interface EventView {
  /** The operator sees actors as recorded (operator:<key id>); members see "operator". */
  operator: boolean;
  /** Set for a supplier-only viewer: other suppliers' events lose who, and why. */
  ownSupplierId: string | null;
  clientId: string;
}

export function toOrderEventObject(e: OrderEventEntity, view: EventView): OrderEventObject {
  const own = view.ownSupplierId;
  const aboutOther = own !== null && e.supplierId !== null && e.supplierId !== own;
  let actor: string | null = e.actor;
  if (!view.operator && actor.startsWith('operator:')) actor = 'operator';
  const byOtherMember = own !== null && actor.startsWith('member:') && actor !== `member:${own}` && actor !== `member:${view.clientId}`;
  return {
    type: e.type,
    actor: aboutOther || byOtherMember ? null : actor,
    supplierId: aboutOther ? null : e.supplierId,
    at: e.createdAt,
    detail: aboutOther ? null : ((e.detail?.reason as string | undefined) ?? null),
  };
}
