import { Args, ID, Query, Resolver } from '@nestjs/graphql';
import { Allow, Caller, CurrentCaller } from '@tandem/auth';
import { money, toMoneyOutput } from '@tandem/money';
import { BalanceObject } from './balance.object';
import { BalanceService } from './balance.service';
import { TrialBalanceObject } from './trial-balance.object';

@Resolver()
export class BalanceResolver {
  constructor(private readonly balances: BalanceService) {}

  @Query(() => BalanceObject)
  @Allow('OPERATOR', 'CLIENT', 'SUPPLIER', 'PARTNER')
  async balance(
    @CurrentCaller() caller: Caller,
    @Args('memberId', { type: () => ID }) memberId: string,
    @Args('currency', { type: () => String }) currency: string,
  ): Promise<BalanceObject> {
    const b = await this.balances.balance(caller, memberId, currency);
    const m = (minor: bigint) => toMoneyOutput(money(minor, b.currency));
    return { currency: b.currency, owedToHub: m(b.owedToHub), owedByHub: m(b.owedByHub), net: m(b.net) };
  }

  @Query(() => TrialBalanceObject)
  @Allow('OPERATOR')
  async trialBalance(@CurrentCaller() caller: Caller, @Args('currency', { type: () => String }) currency: string): Promise<TrialBalanceObject> {
    const tb = await this.balances.trialBalance(caller, currency);
    const m = (minor: bigint) => toMoneyOutput(money(minor, tb.currency));
    return { currency: tb.currency, debits: m(tb.debits), credits: m(tb.credits), balanced: tb.balanced };
  }
}
