import { Injectable, Logger } from '@nestjs/common';
import { Clock } from '@tandem/common';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { CLOSE_LINE, LedgerClosingService, OpenActivity, payableAccount, receivableAccount, settlementAccount } from '@tandem/ledger';
import { OutboxService, publishEvent } from '@tandem/jobs';
import { TransactionRunner } from '@tandem/persistence';
import { ENTRY_KINDS, LINES, statementCloseKey } from '../posting/order-lines';
import { SettlementScheduleRepository } from '../schedule/settlement-schedule.repository';
import { SettlementRunEntity } from './settlement-run.entity';
import { statementFigures } from './statement-breakdown';
import { StatementEntity } from './statement.entity';
import { StatementRepository } from './statement.repository';

export interface SettlementRunResult {
  run: SettlementRunEntity;
  statements: StatementEntity[];
}

/**
 * A settlement run closes every member's open position (posted, not yet in a
 * statement) into one statement per member and currency, in one transaction.
 * Runs of one network are serialized by the ledger's exclusive lock, which also
 * waits for postings in flight: a posting either makes this run or the next.
 */
@Injectable()
export class SettlementRunService {
  private readonly log = new Logger(SettlementRunService.name);

  constructor(
    private readonly tx: TransactionRunner,
    private readonly closing: LedgerClosingService,
    private readonly outbox: OutboxService,
    private readonly clock: Clock,
  ) {}

  /** Job 'run-settlement': a scheduled run, skipped when the schedule was turned off since it was queued. */
  async runScheduled(networkId: string): Promise<SettlementRunResult | null> {
    const hours = await SettlementScheduleRepository.find(this.tx.dataSource.manager, networkId);
    if (!hours || hours <= 0) return null;
    return this.run(networkId);
  }

  run(networkId: string): Promise<SettlementRunResult> {
    return this.tx.run(async (em) => {
      await this.closing.lock(em, networkId);
      // After the lock: the run's time is not earlier than anything it closes.
      const now = this.clock.businessTimeOf(await StatementRepository.now(em));
      const run: SettlementRunEntity = { id: randomUUID(), networkId, createdAt: now };
      await em.insert(SettlementRunEntity, run);

      const statements: StatementEntity[] = [];
      for (const [memberId, currency, activity] of groupByMemberAndCurrency(await this.closing.openActivity(em, networkId))) {
        statements.push(await this.close(em, run, memberId, currency, activity));
      }
      if (statements.length > 0) this.log.log(`settlement run ${run.id}: ${statements.length} statement(s)`);
      return { run, statements };
    });
  }

  private async close(em: EntityManager, run: SettlementRunEntity, memberId: string, currency: string, activity: OpenActivity[]): Promise<StatementEntity> {
    const figures = statementFigures(activity);
    const statement: StatementEntity = {
      id: randomUUID(),
      runId: run.id,
      networkId: run.networkId,
      memberId,
      currency,
      periodStart: await this.periodStart(em, memberId, currency),
      periodEnd: run.createdAt,
      status: 'DUE',
      ordersAsClient: figures.ordersAsClient,
      ordersAsSupplier: figures.ordersAsSupplier,
      purchasesMinor: figures.purchases,
      clientFeesMinor: figures.clientFees,
      earnedBusinessMinor: figures.earnedBusiness,
      supplierFeesMinor: figures.supplierFees,
      partnerSharesMinor: figures.partnerShares,
      netMinor: figures.net,
      paidAt: null,
      createdAt: run.createdAt,
    };
    await em.insert(StatementEntity, statement);
    await publishEvent(this.outbox, em, { type: 'statement.issued', networkId: run.networkId, data: { statementId: statement.id, memberId } });

    // Record the postings this statement closes (before the CLOSE moves the checkpoint).
    const accountIds = [...new Set(activity.map((a) => a.accountId))];
    const openIds = await this.closing.openPostingIds(em, run.networkId, accountIds);
    const expected = activity.reduce((n, a) => n + a.postings, 0);
    if (openIds.length !== expected) throw new Error(`statement ${statement.id}: ${openIds.length} open postings, activity counted ${expected}`);
    await this.recordClosed(em, statement.id, openIds);

    const closed = await this.closing.closeAccounts(em, {
      networkId: run.networkId,
      currency,
      idempotencyKey: statementCloseKey(statement.id),
      kind: ENTRY_KINDS.statementClose,
      statementId: statement.id,
      accounts: [
        { code: receivableAccount(memberId), memberId },
        { code: payableAccount(memberId), memberId },
      ],
      into: { code: settlementAccount(memberId), memberId },
      intoLine: LINES.statement,
    });
    const moved = closed.postings.find((p) => p.line === LINES.statement)?.amount ?? 0n;
    if (moved !== -figures.net) {
      throw new Error(`statement ${statement.id}: closing moved ${moved}, figures say ${-figures.net}`);
    }
    await this.recordClosed(
      em,
      statement.id,
      closed.postings.filter((p) => p.line === CLOSE_LINE).map((p) => p.postingId),
    );
    return statement;
  }

  /** The primary key of statement_postings refuses a posting closed twice. */
  private recordClosed(em: EntityManager, statementId: string, postingIds: string[]): Promise<void> {
    return StatementRepository.recordClosed(em, statementId, postingIds);
  }

  /** The previous statement's end for this member and currency, or the member's joinedAt for the first. */
  private async periodStart(em: EntityManager, memberId: string, currency: string): Promise<Date> {
    const start = await StatementRepository.periodStart(em, memberId, currency);
    if (!start) throw new Error(`member ${memberId} not found for its statement`);
    return start;
  }
}

/** Groups open activity by (member, currency), in a stable order. */
function groupByMemberAndCurrency(activity: OpenActivity[]): [string, string, OpenActivity[]][] {
  const groups = new Map<string, [string, string, OpenActivity[]]>();
  for (const p of activity) {
    const key = `${p.memberId}|${p.currency}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = [p.memberId, p.currency, []]));
    g[2].push(p);
  }
  return [...groups.values()].sort((a, b) => (a[0] + a[1]).localeCompare(b[0] + b[1]));
}
