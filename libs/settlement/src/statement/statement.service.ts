import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import { Caller, networkOf } from '@tandem/auth';
import { badInput, isUuid, notFound } from '@tandem/common';
import { HUB_ACCOUNTS, LedgerService, settlementAccount } from '@tandem/ledger';
import { MemberService } from '@tandem/network';
import { OutboxService, publishEvent } from '@tandem/jobs';
import { InjectReadDataSource, TransactionRunner } from '@tandem/persistence';
import { ENTRY_KINDS, LINES, statementPaidKey } from '../posting/order-lines';
import { SettlementPolicy } from '../settlement.policy';
import { statementCsv } from './statement-csv';
import { StatementEntity } from './statement.entity';
import { StatementRepository } from './statement.repository';

@Injectable()
export class StatementService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    /** The list may lag (DATABASE_READ_URL); markPaid and the CSV read the primary. */
    @InjectReadDataSource() private readonly reads: DataSource,
    private readonly tx: TransactionRunner,
    private readonly policy: SettlementPolicy,
    private readonly ledger: LedgerService,
    private readonly members: MemberService,
    private readonly outbox: OutboxService,
  ) {}

  /** A member's statements, newest first (operator or the member itself). */
  async forMember(caller: Caller, memberId: string): Promise<StatementEntity[]> {
    await this.policy.reachMember(caller, memberId);
    return this.reads.getRepository(StatementEntity).find({
      where: { memberId, networkId: networkOf(caller) },
      order: { periodEnd: 'DESC', createdAt: 'DESC', currency: 'ASC' },
    });
  }

  byIds(ids: readonly string[], em: EntityManager = this.dataSource.manager): Promise<StatementEntity[]> {
    return em.findBy(StatementEntity, { id: In([...ids]) });
  }

  /**
   * Records that the statement's net was paid: status PAID and an entry moving the
   * net between the member's settlement account and cash. The member's balance
   * (receivable and payable) does not change. A second call is BAD_USER_INPUT.
   */
  async markPaid(caller: Caller, statementId: string): Promise<StatementEntity> {
    if (!isUuid(statementId)) throw notFound('Statement');
    const networkId = networkOf(caller);
    return this.tx.run(async (em) => {
      // The conditional UPDATE is the guard: of two concurrent calls exactly one matches.
      const paidNow = await StatementRepository.markPaid(em, networkId, statementId);
      const statement = await em.findOneBy(StatementEntity, { id: statementId, networkId });
      if (!statement) throw notFound('Statement');
      if (!paidNow) throw badInput('this statement is already paid', 'statementId');
      await publishEvent(this.outbox, em, { type: 'statement.paid', networkId, data: { statementId: statement.id, memberId: statement.memberId } });
      if (statement.netMinor !== 0n) {
        await this.ledger.post(em, {
          networkId,
          currency: statement.currency,
          idempotencyKey: statementPaidKey(statement.id),
          kind: ENTRY_KINDS.statementPaid,
          statementId: statement.id,
          lines: [
            { accountCode: settlementAccount(statement.memberId), memberId: statement.memberId, amount: statement.netMinor, line: LINES.payment },
            { accountCode: HUB_ACCOUNTS.cash, amount: -statement.netMinor, line: LINES.payment },
          ],
        });
      }
      return statement;
    });
  }

  /** The statement as CSV (operator or the member itself). */
  async csv(caller: Caller, statementId: string): Promise<string> {
    const statement = await this.policy.reachStatement(caller, statementId);
    const [member] = await this.members.findByIds([statement.memberId]);
    const lines = await StatementRepository.closedLines(this.dataSource.manager, statement.id);
    return statementCsv(statement, member?.name ?? '', lines);
  }
}
