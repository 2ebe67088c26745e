import { Field, Float, Int, ObjectType } from '@nestjs/graphql';
import { MoneyObject, money, toMoneyOutput } from '@tandem/money';
import { MemberObject } from '@tandem/network';
import { round } from '../trust/trust-equation';
import { RelationshipHealth } from './health.service';

@ObjectType('HealthMeasures', {
  description: 'What the platform recorded about the member in the window: the inputs of every number of RelationshipHealth (docs/health.md).',
})
export class HealthMeasuresObject {
  @Field(() => Int) windowDays!: number;
  @Field(() => Int, { description: 'Offers made to it in the window, by their status now.' }) offersAccepted!: number;
  @Field(() => Int) offersDeclined!: number;
  @Field(() => Int) offersExpired!: number;
  @Field(() => Int) offersOpen!: number;
  @Field(() => Int, { description: 'Orders it fulfilled in the window (as supplier).' }) ordersFulfilled!: number;
  @Field(() => Int) fulfilledOnTime!: number;
  @Field(() => Int) fulfilledLate!: number;
  @Field(() => Int, { description: 'Accepted in the window, past deliverBy, not fulfilled.' }) ordersOverdue!: number;
  @Field(() => Int, { description: 'Of the orders it fulfilled in the window, refunded since.' }) ordersRefunded!: number;
  @Field(() => Int, { description: 'Orders it placed in the window (as client).' }) ordersPlaced!: number;
  @Field(() => Int) ordersCancelled!: number;
  @Field(() => Int, { description: 'Moves to SUSPENDED or REVOKED in the window.' }) vettingSetbacks!: number;
  @Field(() => Int) tenureDays!: number;
  @Field(() => Int, { description: '7-day periods of the window with business.' }) activeWeeks!: number;
  @Field(() => Int) windowWeeks!: number;
  @Field(() => Int) categories!: number;
  @Field(() => MoneyObject, { description: 'Posted purchases as a client, net of refunds.' }) purchases!: MoneyObject;
  @Field(() => MoneyObject) clientFees!: MoneyObject;
  @Field(() => MoneyObject, { description: 'Posted earned business as a supplier, net of refunds.' }) earnedBusiness!: MoneyObject;
  @Field(() => MoneyObject) supplierFees!: MoneyObject;
  @Field(() => MoneyObject, { description: 'Shares it earned as a partner.' }) partnerSharesEarned!: MoneyObject;
  @Field(() => MoneyObject, { description: 'Shares partners earned out of the fees it paid.' }) partnerSharesOnItsFees!: MoneyObject;
  @Field(() => Float, { nullable: true, description: "The hub's take from it: valueToHub / (purchases + earned business)." }) takeRate!: number | null;
  @Field(() => Float, { nullable: true, description: "The network's average take on the same mix of business." }) networkTakeRate!: number | null;
  @Field(() => Float, { description: 'takeRate / networkTakeRate (1 when unknown).' }) takeRatio!: number;
  @Field(() => String, { description: 'NETWORK: the average of the window; SCHEDULE: no business yet, the fee schedule.' }) takeNormSource!: string;
  @Field(() => Int, { description: 'Fee rises (or partner share cuts) on its terms in the window.' }) feeIncreases!: number;
  @Field(() => String, { nullable: true, description: 'The category where it holds the largest share of the business.' }) topCategory!: string | null;
  @Field(() => Float, { nullable: true }) topCategoryShare!: number | null;
}

@ObjectType('RelationshipHealth', { description: 'The health of the relationship between the hub and one member, over a trailing window.' })
export class RelationshipHealthObject {
  @Field(() => MemberObject)
  member?: MemberObject;

  @Field(() => Float, { description: '0 to 100, higher is healthier.' })
  score!: number;

  @Field(() => Float, { description: 'Trust-equation parts, each 1 to 10.' })
  credibility!: number;

  @Field(() => Float)
  reliability!: number;

  @Field(() => Float)
  intimacy!: number;

  @Field(() => Float)
  selfOrientation!: number;

  @Field(() => Float, { description: '(credibility + reliability + intimacy) / selfOrientation' })
  trust!: number;

  @Field(() => MoneyObject, { description: 'What the member gained from the relationship in the window.' })
  valueToMember!: MoneyObject;

  @Field(() => MoneyObject, { description: "What the hub kept from the member's business in the window." })
  valueToHub!: MoneyObject;

  @Field(() => MoneyObject, {
    nullable: true,
    description: 'Suppliers: supplier fees paid / orders fulfilled in the window; null otherwise or with no orders.',
  })
  acquisitionCostPerOrder!: MoneyObject | null;

  @Field(() => MoneyObject, { nullable: true, description: 'What winning a customer costs the member elsewhere, as it declared (setAcquisitionBaseline).' })
  acquisitionBaseline!: MoneyObject | null;

  @Field(() => Float, { nullable: true, description: 'Average rating other parties gave this member in the window (1 to 5); null with none.' })
  ratingReceived!: number | null;

  @Field(() => Float, { nullable: true, description: 'Average rating this member gave the hub in the window (1 to 5); null with none.' })
  ratingOfHub!: number | null;

  @Field(() => Int, { description: "Disputes opened on this member's orders in the window." })
  disputes!: number;

  @Field(() => Boolean)
  atRisk!: boolean;

  @Field(() => [String], { description: 'Plain-language reasons behind atRisk and the weakest parts.' })
  signals!: string[];

  @Field(() => Int)
  windowDays!: number;

  @Field(() => Date)
  computedAt!: Date;

  @Field(() => HealthMeasuresObject)
  measures!: HealthMeasuresObject;

  /** Not exposed: the member field resolver loads it. */
  memberId!: string;
}

export function toRelationshipHealthObject(h: RelationshipHealth): RelationshipHealthObject {
  const m = (minor: bigint) => toMoneyOutput(money(minor, h.currency));
  const e = h.evaluation;
  const x = h.measures;
  return {
    memberId: h.memberId,
    score: e.score,
    credibility: e.credibility.value,
    reliability: e.reliability.value,
    intimacy: e.intimacy.value,
    selfOrientation: e.selfOrientation.value,
    trust: e.trust,
    valueToMember: m(h.values.valueToMember),
    valueToHub: m(h.values.valueToHub),
    acquisitionCostPerOrder: h.values.acquisitionCostPerOrder === null ? null : m(h.values.acquisitionCostPerOrder),
    acquisitionBaseline: h.acquisitionBaseline === null ? null : m(h.acquisitionBaseline),
    ratingReceived: e.credibility.ratingReceived === null ? null : round(e.credibility.ratingReceived, 2),
    ratingOfHub: e.selfOrientation.ratingOfHub === null ? null : round(e.selfOrientation.ratingOfHub, 2),
    disputes: x.disputes,
    atRisk: h.atRisk,
    signals: h.signals,
    windowDays: h.windowDays,
    computedAt: h.computedAt,
    measures: {
      windowDays: x.windowDays,
      offersAccepted: x.offers.accepted,
      offersDeclined: x.offers.declined,
      offersExpired: x.offers.expired,
      offersOpen: x.offers.open,
      ordersFulfilled: x.supplier.fulfilled,
      fulfilledOnTime: x.supplier.onTime,
      fulfilledLate: x.supplier.fulfilled - x.supplier.onTime,
      ordersOverdue: x.supplier.overdue,
      ordersRefunded: x.supplier.refunded,
      ordersPlaced: x.client.placed,
      ordersCancelled: x.client.cancelled,
      vettingSetbacks: x.vettingSetbacks,
      tenureDays: x.tenureDays,
      activeWeeks: x.activeWeeks,
      windowWeeks: e.intimacy.windowWeeks,
      categories: x.categories,
      purchases: m(x.money.purchases),
      clientFees: m(x.money.clientFees),
      earnedBusiness: m(x.money.earned),
      supplierFees: m(x.money.supplierFees),
      partnerSharesEarned: m(x.money.sharesEarned),
      partnerSharesOnItsFees: m(x.money.sharesOnMemberFees),
      takeRate: e.selfOrientation.takeRate,
      networkTakeRate: e.selfOrientation.normRate,
      takeRatio: e.selfOrientation.ratio,
      takeNormSource: x.takeNorm.source,
      feeIncreases: x.feeIncreases.length,
      topCategory: x.topCategory?.category ?? null,
      topCategoryShare: x.topCategory?.share ?? null,
    },
  };
}
