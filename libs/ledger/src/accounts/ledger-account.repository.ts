import { EntityManager } from 'typeorm';
import { execute, selectRows } from '@tandem/persistence';

export interface AccountRow {
  id: string;
  code: string;
  member_id: string | null;
}

/** The accounts with these codes in (network, currency) that exist. */
export function selectAccountsByCode(em: EntityManager, networkId: string, currency: string, codes: readonly string[]): Promise<AccountRow[]> {
  return selectRows<AccountRow>(em, `SELECT id, code, member_id FROM ledger_accounts WHERE network_id = $1 AND currency = $2 AND code = ANY($3::text[])`, [
    networkId,
    currency,
    codes,
  ]);
}

/** Inserts the accounts, skipping those that exist (waits for a concurrent creator). */
export function insertAccountsIfMissing(
  em: EntityManager,
  networkId: string,
  currency: string,
  codes: readonly string[],
  memberIds: readonly (string | null)[],
): Promise<number> {
  return execute(
    em,
    `INSERT INTO ledger_accounts (network_id, currency, code, member_id)
         SELECT $1, $2, t.code, t.member_id FROM unnest($3::text[], $4::uuid[]) AS t(code, member_id)
         ON CONFLICT (network_id, currency, code) DO NOTHING`,
    [networkId, currency, codes, memberIds],
  );
}
