import { DynamicModule, Module } from '@nestjs/common';
import { FulfilmentBatcher } from './posting/fulfilment-batcher';
import { LEDGER_CONNECTIONS, LedgerConnectionGate } from './posting/ledger-connection-gate';
import { SettlementJobs } from './settlement-jobs';
import { SettlementModule } from './settlement.module';

/** What the worker adds: batched posting and settlement's job handlers (the worker schedules their recurring jobs). */
@Module({})
export class SettlementWorkerModule {
  /** `ledgerConnections`: how many connections of the worker's pool the ledger queue's jobs may hold at once. */
  static forWorker(options: { ledgerConnections: number }): DynamicModule {
    return {
      module: SettlementWorkerModule,
      imports: [SettlementModule],
      providers: [{ provide: LEDGER_CONNECTIONS, useValue: options.ledgerConnections }, LedgerConnectionGate, FulfilmentBatcher, SettlementJobs],
      exports: [SettlementModule, FulfilmentBatcher, SettlementJobs],
    };
  }
}
