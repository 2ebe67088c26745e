import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { CLOSE_LINE, LedgerService } from '@tandem/ledger';

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
    const problems = await this.ledger.verify(networkId);
    const q = (sql: string) => this.dataSource.query(sql, [networkId]);

    // A member account's open balance (after its latest CLOSE) is exactly its postings no statement closed.
    const drift: { code: string; open: string; unclosed: string }[] = await q(
      `SELECT a.code,
              coalesce((SELECT sum(p.amount_minor) FROM postings p WHERE p.account_id = a.id
                         AND p.id > coalesce((SELECT max(c.id) FROM postings c WHERE c.account_id = a.id AND c.line = '${CLOSE_LINE}'), 0)), 0)::text AS open,
              coalesce((SELECT sum(p.amount_minor) FROM postings p WHERE p.account_id = a.id
                         AND NOT EXISTS (SELECT 1 FROM statement_postings sp WHERE sp.posting_id = p.id)), 0)::text AS unclosed
         FROM ledger_accounts a
        WHERE a.network_id = $1 AND a.member_id IS NOT NULL AND split_part(a.code, ':', 3) IN ('receivable', 'payable')`,
    );
    for (const d of drift) if (d.open !== d.unclosed) problems.push(`${d.code}: open ${d.open} but unclosed postings sum to ${d.unclosed}`);

    // Each statement's net is what its closing moved to the settlement account, negated.
    const nets: { id: string; net: string; moved: string | null }[] = await q(
      `SELECT s.id, s.net_minor::text AS net,
              (SELECT sum(p.amount_minor) FROM journal_entries e JOIN postings p ON p.entry_id = e.id
                WHERE e.statement_id = s.id AND e.kind = 'STATEMENT_CLOSE' AND p.line <> '${CLOSE_LINE}')::text AS moved
         FROM statements s WHERE s.network_id = $1`,
    );
    for (const n of nets) if (BigInt(n.moved ?? '0') !== -BigInt(n.net)) problems.push(`statement ${n.id}: net ${n.net}, closing moved ${n.moved}`);

    // Every closed posting of a statement belongs to that statement's member.
    const strays: { posting_id: string }[] = await q(
      `SELECT sp.posting_id FROM statement_postings sp
         JOIN statements s ON s.id = sp.statement_id
         JOIN postings p ON p.id = sp.posting_id
         JOIN ledger_accounts a ON a.id = p.account_id
        WHERE s.network_id = $1 AND (a.member_id IS DISTINCT FROM s.member_id OR a.currency <> s.currency)`,
    );
    for (const s of strays) problems.push(`posting ${s.posting_id} closed into another member's statement`);
    return problems;
  }
}
