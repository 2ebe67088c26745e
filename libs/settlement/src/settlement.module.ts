import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LedgerModule } from '@tandem/ledger';
import { NetworkModule } from '@tandem/network';
import { BalanceService } from './balance/balance.service';
import { OrderFeesLoader } from './fees/order-fees.loader';
import { LedgerReconcileService } from './posting/ledger-reconcile.service';
import { OrderPostingService } from './posting/order-posting.service';
import { ParkedPostingService } from './posting/parked-posting.service';
import { PostingProblemLoader } from './posting/posting-problem.loader';
import { RefundsLoader } from './posting/refunds.loader';
import { SettlementScheduleService } from './schedule/settlement-schedule.service';
import { SettlementPolicy } from './settlement.policy';
import { SettlementRunEntity } from './statement/settlement-run.entity';
import { SettlementAuditService } from './statement/settlement-audit.service';
import { SettlementRunService } from './statement/settlement-run.service';
import { StatementEntity } from './statement/statement.entity';
import { StatementService } from './statement/statement.service';

const SERVICES = [
  OrderPostingService,
  ParkedPostingService,
  PostingProblemLoader,
  OrderFeesLoader,
  RefundsLoader,
  LedgerReconcileService,
  SettlementRunService,
  StatementService,
  BalanceService,
  SettlementPolicy,
  SettlementScheduleService,
  SettlementAuditService,
];

/**
 * Settlement: order postings, refunds, balances, statements and settlement runs,
 * on top of the ledger. Imported by the API (through SettlementGraphqlModule) and
 * the worker (through SettlementWorkerModule).
 */
@Module({
  imports: [TypeOrmModule.forFeature([SettlementRunEntity, StatementEntity]), LedgerModule, NetworkModule],
  providers: SERVICES,
  exports: [...SERVICES, LedgerModule],
})
export class SettlementModule {}
