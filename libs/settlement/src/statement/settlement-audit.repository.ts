import { EntityManager } from 'typeorm';
import { CLOSE_LINE } from '@tandem/ledger';
import { selectRows } from '@tandem/persistence';

/**
 * The audit's SQL: statements against the ledger's views member_accounts and
 * member_postings (libs/ledger/README.md). Every account a statement closes is
 * a member's, so the views hold every posting the audit compares.
 */
export const SettlementAuditRepository = {
  /**
   * Per member receivable and payable account: its open balance (postings after
   * its latest CLOSE) and the sum of its postings no statement closed.
   */
  openAgainstUnclosed(em: EntityManager, networkId: string): Promise<{ code: string; open: string; unclosed: string }[]> {
    return selectRows(
      em,
      `SELECT a.code,
              coalesce((SELECT sum(p.amount_minor) FROM member_postings p WHERE p.account_id = a.id
                         AND p.id > coalesce((SELECT max(c.id) FROM member_postings c WHERE c.account_id = a.id AND c.line = '${CLOSE_LINE}'), 0)), 0)::text AS open,
              coalesce((SELECT sum(p.amount_minor) FROM member_postings p WHERE p.account_id = a.id
                         AND NOT EXISTS (SELECT 1 FROM statement_postings sp WHERE sp.posting_id = p.id)), 0)::text AS unclosed
         FROM member_accounts a
        WHERE a.network_id = $1 AND split_part(a.code, ':', 3) IN ('receivable', 'payable')`,
      [networkId],
    );
  },

  /** Every statement of the network with its net. */
  statementNets(em: EntityManager, networkId: string): Promise<{ id: string; net: string }[]> {
    return selectRows(em, `SELECT s.id, s.net_minor::text AS net FROM statements s WHERE s.network_id = $1`, [networkId]);
  },

  /**
   * Closed postings recorded against a statement of another member or currency
   * (a posting missing from member_postings is on a hub account: no statement's).
   */
  straysOf(em: EntityManager, networkId: string): Promise<{ posting_id: string }[]> {
    return selectRows(
      em,
      `SELECT sp.posting_id FROM statement_postings sp
         JOIN statements s ON s.id = sp.statement_id
         LEFT JOIN member_postings p ON p.id = sp.posting_id
        WHERE s.network_id = $1 AND (p.id IS NULL OR p.member_id IS DISTINCT FROM s.member_id OR p.currency <> s.currency)`,
      [networkId],
    );
  },
};
