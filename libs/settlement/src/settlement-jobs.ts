import { Injectable } from '@nestjs/common';
import { JobHandlers, ScheduleSync, SharedQueueHandlers } from '@tandem/jobs';
import { FulfilmentBatcher } from './posting/fulfilment-batcher';
import { LedgerConnectionGate } from './posting/ledger-connection-gate';
import { LedgerReconcileService } from './posting/ledger-reconcile.service';
import { OrderPostingService } from './posting/order-posting.service';
import { SettlementScheduleService } from './schedule/settlement-schedule.service';
import { SettlementRunService } from './statement/settlement-run.service';

/**
 * Settlement's job handlers: the whole ledger queue, its sweep on the
 * maintenance queue, and the per-network run schedules the worker keeps.
 * Every job is idempotent (entry keys, the closing lock).
 */
@Injectable()
export class SettlementJobs {
  constructor(
    private readonly postings: OrderPostingService,
    private readonly fulfilments: FulfilmentBatcher,
    private readonly runs: SettlementRunService,
    private readonly sweep: LedgerReconcileService,
    private readonly schedules: SettlementScheduleService,
    private readonly gate: LedgerConnectionGate,
  ) {}

  readonly ledger: JobHandlers<'ledger'> = {
    // Concurrent fulfilments are gathered into one transaction; every job's transactions go through the gate.
    'post-fulfilment': ({ orderId }) => this.fulfilments.post(orderId),
    'post-refund': ({ orderId }) => this.gate.run(() => this.postings.postRefund(orderId)),
    'run-settlement': async ({ networkId }) => {
      const result = await this.gate.run(() => this.runs.runScheduled(networkId));
      return result ? { runId: result.run.id, statements: result.statements.length } : 'schedule off';
    },
  };

  /** Posts fulfilled or refunded orders whose ledger entry is missing. */
  readonly maintenance: SharedQueueHandlers<'maintenance', 'reconcile-ledger'> = {
    'reconcile-ledger': async () => {
      await this.sweep.reconcile();
    },
  };

  /** One run-settlement schedule per network that has one, brought in line with the settings. */
  readonly syncSchedules: ScheduleSync = () => this.schedules.syncAll();
}
