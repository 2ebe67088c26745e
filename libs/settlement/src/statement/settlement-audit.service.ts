import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { CLOSE_LINE, LedgerService } from '@tandem/ledger';
import { statementCloseKey } from '../posting/order-lines';
import { SettlementAuditRepository } from './settlement-audit.repository';

/**
 * Cross-checks the ledger and the statements of a network; returns what is wrong
 * (empty: all is well). Run after every test scenario, and usable in production.
 */
@Injectable()
export class SettlementAuditService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly ledger: LedgerService,
  ) {}

  async audit(networkId: string): Promise<string[]> {
    const em = this.dataSource.manager;
    const problems = await this.ledger.verify(networkId);

    // A member account's open balance (after its latest CLOSE) is exactly its postings no statement closed.
    for (const d of await SettlementAuditRepository.openAgainstUnclosed(em, networkId)) {
      if (d.open !== d.unclosed) problems.push(`${d.code}: open ${d.open} but unclosed postings sum to ${d.unclosed}`);
    }

    // Each statement's net is what its closing moved to the settlement account, negated.
    const nets = await SettlementAuditRepository.statementNets(em, networkId);
    const closings = await this.ledger.entryLineTotals(
      nets.map((n) => statementCloseKey(n.id)),
      em,
    );
    for (const n of nets) {
      const moved = movedBy(closings.get(statementCloseKey(n.id)));
      if ((moved ?? 0n) !== -BigInt(n.net)) problems.push(`statement ${n.id}: net ${n.net}, closing moved ${moved ?? null}`);
    }

    // Every closed posting of a statement belongs to that statement's member.
    for (const s of await SettlementAuditRepository.straysOf(em, networkId)) problems.push(`posting ${s.posting_id} closed into another member's statement`);
    return problems;
  }
}

/** What a closing entry moved: its postings but the CLOSE ones; undefined when it has no others (or was never posted). */
function movedBy(lines: ReadonlyMap<string, bigint> | undefined): bigint | undefined {
  const moved = [...(lines ?? new Map<string, bigint>())].filter(([line]) => line !== CLOSE_LINE);
  return moved.length === 0 ? undefined : moved.reduce((sum, [, amount]) => sum + amount, 0n);
}
