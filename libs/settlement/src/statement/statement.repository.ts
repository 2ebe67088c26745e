import { EntityManager } from 'typeorm';
import { CLOSE_LINE } from '@tandem/ledger';
import { execute, selectRow, selectRows } from '@tandem/persistence';
import { StatementCsvLine } from './statement-csv';

/**
 * Settlement's SQL for statements and the postings they close. Postings are
 * read through the ledger's view member_postings (a statement closes only
 * member accounts), a member's joining time through network's member_facts.
 */
export const StatementRepository = {
  /**
   * DUE to PAID, guarded in the database: of two concurrent calls exactly one
   * matches. True when this call made the change.
   */
  async markPaid(em: EntityManager, networkId: string, statementId: string): Promise<boolean> {
    const affected = await execute(
      em,
      `UPDATE statements SET status = 'PAID', paid_at = clock_timestamp()
        WHERE id = $1 AND network_id = $2 AND status = 'DUE'`,
      [statementId, networkId],
    );
    return affected === 1;
  },

  /** The business the statement closed (its CLOSE postings left out), in posting order. */
  async closedLines(em: EntityManager, statementId: string): Promise<StatementCsvLine[]> {
    const rows = await selectRows<{ order_id: string | null; line: string; amount: string; created_at: Date }>(
      em,
      `SELECT p.order_id, p.line, p.amount_minor::text AS amount, p.created_at
         FROM statement_postings sp JOIN member_postings p ON p.id = sp.posting_id
        WHERE sp.statement_id = $1 AND p.line <> '${CLOSE_LINE}'
        ORDER BY p.id`,
      [statementId],
    );
    return rows.map((r) => ({ orderId: r.order_id, line: r.line, amount: BigInt(r.amount), postedAt: r.created_at }));
  },

  /** Records the postings a statement closes; the primary key of statement_postings refuses a posting closed twice. */
  async recordClosed(em: EntityManager, statementId: string, postingIds: readonly string[]): Promise<void> {
    await execute(em, `INSERT INTO statement_postings (posting_id, statement_id) SELECT unnest($1::bigint[]), $2`, [[...postingIds], statementId]);
  },

  /** The previous statement's end for this member and currency, or the member's joinedAt for its first; null for an unknown member. */
  async periodStart(em: EntityManager, memberId: string, currency: string): Promise<Date | null> {
    const row = await selectRow<{ start: Date | null }>(
      em,
      `SELECT coalesce(
         (SELECT max(period_end) FROM statements WHERE member_id = $1 AND currency = $2),
         (SELECT joined_at FROM member_facts WHERE id = $1)) AS start`,
      [memberId, currency],
    );
    return row?.start ?? null;
  },

  /** The database's clock now (a run's time is taken after its lock, so it is not earlier than anything it closes). */
  async now(em: EntityManager): Promise<Date> {
    const row = await selectRow<{ now: Date }>(em, `SELECT clock_timestamp() AS now`);
    if (!row) throw new Error('clock_timestamp() returned no row');
    return row.now;
  },
};
