import { Field, Float, Int, ObjectType } from '@nestjs/graphql';
import { MoneyObject } from '@tandem/money';
import { MemberObject, RoleEnum } from '@tandem/network';
import { InsightContext } from './network-insight.service';

@ObjectType('MembershipMonth', { description: 'Members joined and lost in one month (UTC) in one role.' })
export class MembershipMonthObject {
  @Field(() => String, { description: 'YYYY-MM' }) month!: string;
  @Field(() => RoleEnum) role!: RoleEnum;
  @Field(() => Int) joined!: number;
  @Field(() => Int, { description: 'Revoked, or idle for the network’s idleDays, in that month.' }) lost!: number;
  @Field(() => Int) net!: number;
}

@ObjectType('RetentionCohort', { description: 'The members who joined in one month, and how many of them are still members.' })
export class RetentionCohortObject {
  @Field(() => String, { description: 'YYYY-MM' }) month!: string;
  @Field(() => Int) joined!: number;
  @Field(() => Int) retained!: number;
  @Field(() => Float, { nullable: true, description: 'retained / joined; null when nobody joined.' }) retention!: number | null;
}

@ObjectType('AcquisitionRetention', { description: 'Acquisition against retention over the insight period.' })
export class AcquisitionRetentionObject {
  @Field(() => Date) from!: Date;
  @Field(() => Date) to!: Date;
  @Field(() => Int) membersAtStart!: number;
  @Field(() => Int) acquired!: number;
  @Field(() => Int) lost!: number;
  @Field(() => Int) net!: number;
  @Field(() => Float, { nullable: true }) acquisitionRate!: number | null;
  @Field(() => Float, { nullable: true }) churnRate!: number | null;
  @Field(() => Float, { nullable: true, description: 'lost / acquired: the part of acquisition that only replaced losses.' }) lostPerAcquired!: number | null;
  @Field(() => Boolean, { description: 'Half or more of the new members only replaced lost ones.' }) eroding!: boolean;
  @Field(() => String) summary!: string;
}

@ObjectType('SupplierShare')
export class SupplierShareObject {
  @Field(() => MemberObject) supplier?: MemberObject;
  @Field(() => Int) orders!: number;
  @Field(() => MoneyObject) business!: MoneyObject;
  @Field(() => Float, { description: "Share of the category's business, 0 to 1." }) share!: number;

  supplierId!: string;
}

@ObjectType('CategoryPowerBalance', { description: "How a category's business of the health window is spread over its suppliers." })
export class CategoryPowerBalanceObject {
  @Field(() => String) category!: string;
  @Field(() => Int) orders!: number;
  @Field(() => MoneyObject) business!: MoneyObject;
  @Field(() => Int) suppliers!: number;
  @Field(() => [SupplierShareObject], { description: 'The top suppliers, largest first.' }) topSuppliers!: SupplierShareObject[];
  @Field(() => Float) topSupplierShare!: number;
  @Field(() => Float, { description: 'Share of the listed top suppliers together.' }) topShare!: number;
  @Field(() => Float, { description: 'Herfindahl index of supplier shares: 1 / suppliers when even, 1 for one supplier.' }) concentration!: number;
}

@ObjectType('NetworkInsight', { description: "The operator's view of the network's growth, retention and power balance." })
export class NetworkInsightObject {
  @Field(() => Int, { description: 'Calendar months covered, the current one included.' }) months!: number;
  @Field(() => [MembershipMonthObject]) membership?: MembershipMonthObject[];
  @Field(() => [RetentionCohortObject]) cohorts?: RetentionCohortObject[];
  @Field(() => AcquisitionRetentionObject) acquisitionVsRetention?: AcquisitionRetentionObject;
  @Field(() => [CategoryPowerBalanceObject], { description: 'Over the health window, largest categories first.' }) powerBalance?: CategoryPowerBalanceObject[];

  /** Not exposed: what the field resolvers compute from. */
  context!: InsightContext;
}
