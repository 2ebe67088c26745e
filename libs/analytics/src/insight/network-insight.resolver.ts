import { Args, Int, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { Allow, Caller, CurrentCaller, networkOf } from '@tandem/auth';
import { money, toMoneyOutput } from '@tandem/money';
import { RoleEnum } from '@tandem/network';
import {
  AcquisitionRetentionObject,
  CategoryPowerBalanceObject,
  MembershipMonthObject,
  NetworkInsightObject,
  RetentionCohortObject,
} from './network-insight.object';
import { NetworkInsightService } from './network-insight.service';

@Resolver(() => NetworkInsightObject)
export class NetworkInsightResolver {
  constructor(private readonly insight: NetworkInsightService) {}

  @Query(() => NetworkInsightObject, { description: "Operator: the network's growth, retention and power balance." })
  @Allow('OPERATOR')
  networkInsight(
    @CurrentCaller() caller: Caller,
    @Args('months', { type: () => Int, nullable: true, description: 'Calendar months to cover, 1 to 36 (default 12).' }) months?: number | null,
  ): NetworkInsightObject {
    const context = this.insight.context(networkOf(caller), months);
    return { months: context.months, context };
  }

  @ResolveField('membership', () => [MembershipMonthObject])
  async membership(@Parent() p: NetworkInsightObject): Promise<MembershipMonthObject[]> {
    return (await this.insight.membership(p.context)).map((r) => ({ ...r, role: r.role as RoleEnum }));
  }

  @ResolveField('cohorts', () => [RetentionCohortObject])
  cohorts(@Parent() p: NetworkInsightObject): Promise<RetentionCohortObject[]> {
    return this.insight.cohorts(p.context);
  }

  @ResolveField('acquisitionVsRetention', () => AcquisitionRetentionObject)
  acquisitionVsRetention(@Parent() p: NetworkInsightObject): Promise<AcquisitionRetentionObject> {
    return this.insight.acquisitionVsRetention(p.context);
  }

  @ResolveField('powerBalance', () => [CategoryPowerBalanceObject])
  async powerBalance(
    @Parent() p: NetworkInsightObject,
    @Args('top', { type: () => Int, nullable: true, description: 'Top suppliers listed per category, 1 to 20 (default 3).' }) top?: number | null,
  ): Promise<CategoryPowerBalanceObject[]> {
    const { currency, rows } = await this.insight.powerBalance(p.context.networkId, top, p.context.now);
    const m = (minor: bigint) => toMoneyOutput(money(minor, currency));
    return rows.map((c) => ({
      ...c,
      business: m(c.business),
      topSuppliers: c.topSuppliers.map((s) => ({ supplierId: s.supplierId, orders: s.orders, share: s.share, business: m(s.business) })),
    }));
  }
}
