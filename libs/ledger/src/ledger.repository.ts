import { EntityManager } from 'typeorm';
import { selectRows } from '@tandem/persistence';
import { CLOSE_LINE } from './accounts/chart-of-accounts';

/**
 * An account's balance: member accounts carry a cached one (kept by a trigger on
 * postings); the hub's, which nearly every entry touches, are summed from postings.
 */
const ACCOUNT_BALANCE = `CASE WHEN a.member_id IS NULL
  THEN (SELECT coalesce(sum(p.amount_minor), 0) FROM postings p WHERE p.account_id = a.id)
  ELSE a.balance_minor END`;

/** Balances of the accounts with these codes in (network, currency). */
export function selectBalancesByCode(
  em: EntityManager,
  networkId: string,
  currency: string,
  codes: readonly string[],
): Promise<{ code: string; balance: string }[]> {
  return selectRows<{ code: string; balance: string }>(
    em,
    `SELECT code, ${ACCOUNT_BALANCE}::text AS balance FROM ledger_accounts a
        WHERE network_id = $1 AND currency = $2 AND code = ANY($3::text[])`,
    [networkId, currency, codes],
  );
}

/** Every account of (network, currency) with its balance, by code. */
export function selectAccountBalances(
  em: EntityManager,
  networkId: string,
  currency: string,
): Promise<{ id: string; code: string; member_id: string | null; balance: string }[]> {
  return selectRows<{ id: string; code: string; member_id: string | null; balance: string }>(
    em,
    `SELECT id, code, member_id, ${ACCOUNT_BALANCE}::text AS balance FROM ledger_accounts a
        WHERE network_id = $1 AND currency = $2 ORDER BY code`,
    [networkId, currency],
  );
}

/** Currencies in which the network has ledger accounts. */
export function selectCurrencies(em: EntityManager, networkId: string): Promise<{ currency: string }[]> {
  return selectRows<{ currency: string }>(em, `SELECT DISTINCT currency FROM ledger_accounts WHERE network_id = $1 ORDER BY currency`, [networkId]);
}

/** Entries of the network whose postings do not sum to zero. */
export function selectUnbalancedEntries(em: EntityManager, networkId: string): Promise<{ id: string; total: string }[]> {
  return selectRows<{ id: string; total: string }>(
    em,
    `SELECT e.id, sum(p.amount_minor)::text AS total
         FROM journal_entries e JOIN postings p ON p.entry_id = e.id
        WHERE e.network_id = $1 GROUP BY e.id HAVING sum(p.amount_minor) <> 0`,
    [networkId],
  );
}

/** Member accounts whose cached balance differs from the sum of their postings. */
export function selectStaleBalances(em: EntityManager, networkId: string): Promise<{ code: string; currency: string; cached: string; derived: string }[]> {
  return selectRows<{ code: string; currency: string; cached: string; derived: string }>(
    em,
    `SELECT a.code, a.currency, a.balance_minor::text AS cached, coalesce(sum(p.amount_minor), 0)::text AS derived
         FROM ledger_accounts a LEFT JOIN postings p ON p.account_id = a.id
        WHERE a.network_id = $1 AND a.member_id IS NOT NULL GROUP BY a.id HAVING a.balance_minor <> coalesce(sum(p.amount_minor), 0)`,
    [networkId],
  );
}

/** CLOSE postings that did not leave their account at zero. */
export function selectBadCloses(em: EntityManager, networkId: string): Promise<{ code: string; total: string }[]> {
  return selectRows<{ code: string; total: string }>(
    em,
    `SELECT a.code, t.total::text AS total
         FROM ledger_accounts a
         JOIN postings c ON c.account_id = a.id AND c.line = '${CLOSE_LINE}'
         CROSS JOIN LATERAL (SELECT sum(p.amount_minor) AS total FROM postings p WHERE p.account_id = a.id AND p.id <= c.id) t
        WHERE a.network_id = $1 AND t.total <> 0`,
    [networkId],
  );
}
