import { Module } from '@nestjs/common';
import { NetworkModule } from '@tandem/network';
import { BalanceResolver } from './balance/balance.resolver';
import { ParkedPostingResolver } from './posting/parked-posting.resolver';
import { SettlementModule } from './settlement.module';
import { SettlementRunResolver } from './statement/settlement-run.resolver';
import { StatementResolver } from './statement/statement.resolver';

/** The settlement domain's GraphQL surface (API only). */
@Module({
  imports: [SettlementModule, NetworkModule],
  providers: [BalanceResolver, StatementResolver, SettlementRunResolver, ParkedPostingResolver],
})
export class SettlementGraphqlModule {}
