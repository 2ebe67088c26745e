import { EntityManager } from 'typeorm';
import { selectRows } from '@tandem/persistence';
import { CLOSE_LINE } from '../accounts/chart-of-accounts';

export interface OpenPostingRow {
  id: string;
  account_id: string;
  code: string;
  member_id: string | null;
  currency: string;
  amount: string;
  line: string;
  order_id: string | null;
  entry_id: string;
  entry_kind: string;
  created_at: Date;
}

export interface OpenActivityRow {
  account_id: string;
  code: string;
  member_id: string;
  currency: string;
  line: string;
  entry_kind: string;
  amount: string;
  orders: number;
  postings: number;
}

/** Postings after each member account's latest CLOSE, for accounts of these kinds, oldest first. */
export function selectOpenPostings(em: EntityManager, networkId: string, kinds: readonly string[]): Promise<OpenPostingRow[]> {
  return selectRows<OpenPostingRow>(
    em,
    `SELECT p.id, p.account_id, a.code, a.member_id, a.currency, p.amount_minor::text AS amount, p.line, p.order_id,
              p.entry_id, e.kind AS entry_kind, p.created_at
         FROM ledger_accounts a
         CROSS JOIN LATERAL (SELECT max(c.id) AS close_id FROM postings c WHERE c.account_id = a.id AND c.line = '${CLOSE_LINE}') lc
         JOIN postings p ON p.account_id = a.id AND p.id > coalesce(lc.close_id, 0)
         JOIN journal_entries e ON e.id = p.entry_id
        WHERE a.network_id = $1 AND a.member_id IS NOT NULL AND split_part(a.code, ':', 3) = ANY($2::text[])
        ORDER BY p.id`,
    [networkId, kinds],
  );
}

/** The open postings summed by account, line and entry kind. */
export function selectOpenActivity(em: EntityManager, networkId: string, kinds: readonly string[]): Promise<OpenActivityRow[]> {
  return selectRows<OpenActivityRow>(
    em,
    `SELECT a.id AS account_id, a.code, a.member_id, a.currency, p.line, e.kind AS entry_kind,
              sum(p.amount_minor)::text AS amount, count(DISTINCT p.order_id)::int AS orders, count(*)::int AS postings
         FROM ledger_accounts a
         CROSS JOIN LATERAL (SELECT max(c.id) AS close_id FROM postings c WHERE c.account_id = a.id AND c.line = '${CLOSE_LINE}') lc
         JOIN postings p ON p.account_id = a.id AND p.id > coalesce(lc.close_id, 0)
         JOIN journal_entries e ON e.id = p.entry_id
        WHERE a.network_id = $1 AND a.member_id IS NOT NULL AND split_part(a.code, ':', 3) = ANY($2::text[])
        GROUP BY a.id, p.line, e.kind
        ORDER BY a.member_id, a.currency, a.code, p.line, e.kind`,
    [networkId, kinds],
  );
}

/** Ids of these accounts' postings after their latest CLOSE, oldest first. */
export function selectOpenPostingIds(em: EntityManager, accountIds: readonly string[]): Promise<{ id: string }[]> {
  return selectRows<{ id: string }>(
    em,
    `SELECT p.id FROM postings p
        WHERE p.account_id = ANY($1::bigint[])
          AND p.id > coalesce((SELECT max(c.id) FROM postings c WHERE c.account_id = p.account_id AND c.line = '${CLOSE_LINE}'), 0)
        ORDER BY p.id`,
    [accountIds],
  );
}

/** The cached balances of these accounts. */
export function selectCachedBalances(em: EntityManager, ids: readonly string[]): Promise<{ account_id: string; balance: string }[]> {
  return selectRows<{ account_id: string; balance: string }>(
    em,
    `SELECT id AS account_id, balance_minor::text AS balance FROM ledger_accounts WHERE id = ANY($1::bigint[])`,
    [ids],
  );
}
