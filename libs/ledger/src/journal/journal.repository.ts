import { EntityManager } from 'typeorm';
import { execute, selectRow, selectRows } from '@tandem/persistence';
import { JournalEntry } from '../ledger.types';

export interface EntryRow {
  id: string;
  network_id: string;
  currency: string;
  idempotency_key: string;
  kind: string;
  order_id: string | null;
  statement_id: string | null;
  created_at: Date;
}

export interface PostedRow {
  id: string;
  account_id: string;
  code: string;
  member_id: string | null;
  amount: string;
  line: string;
  order_id: string | null;
}

export interface InsertedPostingRow {
  id: string;
  account_id: string;
  amount: string;
  line: string;
  order_id: string | null;
}

const ENTRY_COLUMNS = 'id, network_id, currency, idempotency_key, kind, order_id, statement_id, created_at';

/** A journal entry as it is written: the database gives its id and time (the simulated clock's, when there is one). */
export type EntryValues = Omit<JournalEntry, 'id' | 'createdAt'>;

/**
 * Inserts the entry unless its key was posted; the new row, or none. The key is
 * claimed in journal_entry_keys by a trigger, which skips the row when it is
 * taken (journal_entries is partitioned, so it cannot hold the unique key itself);
 * a concurrent poster of the same key waits for the first to commit or roll back.
 */
export function insertEntry(em: EntityManager, v: EntryValues, at: Date | null): Promise<EntryRow[]> {
  return selectRows<EntryRow>(
    em,
    `INSERT INTO journal_entries (network_id, currency, idempotency_key, kind, order_id, statement_id, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, coalesce($7, now()))
       RETURNING ${ENTRY_COLUMNS}`,
    [v.networkId, v.currency, v.idempotencyKey, v.kind, v.orderId, v.statementId, at],
  );
}

/** Inserts an entry's postings in the order given; the rows written. */
export function insertPostings(
  em: EntityManager,
  entryId: string,
  accountIds: readonly string[],
  amounts: readonly string[],
  lines: readonly string[],
  orderId: string | null,
  at: Date | null,
): Promise<InsertedPostingRow[]> {
  return selectRows<InsertedPostingRow>(
    em,
    `INSERT INTO postings (entry_id, account_id, amount_minor, line, order_id, created_at)
       SELECT $1, t.account_id, t.amount, t.line, $5, coalesce($6, now())
         FROM unnest($2::bigint[], $3::bigint[], $4::text[]) WITH ORDINALITY AS t(account_id, amount, line, n)
        ORDER BY t.n
       RETURNING id, account_id, amount_minor::text AS amount, line, order_id`,
    [entryId, accountIds, amounts, lines, orderId, at],
  );
}

/** Inserts many entries, skipping keys posted before (the trigger of insertEntry); the ids of those written. */
export function insertEntries(em: EntityManager, entries: readonly EntryValues[], at: Date | null): Promise<{ id: string; idempotency_key: string }[]> {
  return selectRows<{ id: string; idempotency_key: string }>(
    em,
    `INSERT INTO journal_entries (network_id, currency, idempotency_key, kind, order_id, statement_id, created_at)
       SELECT *, coalesce($7::timestamptz, now()) FROM unnest($1::uuid[], $2::char(3)[], $3::text[], $4::text[], $5::uuid[], $6::uuid[])
       RETURNING id, idempotency_key`,
    [
      entries.map((e) => e.networkId),
      entries.map((e) => e.currency),
      entries.map((e) => e.idempotencyKey),
      entries.map((e) => e.kind),
      entries.map((e) => e.orderId),
      entries.map((e) => e.statementId),
      at,
    ],
  );
}

export interface PostingValues {
  entryId: string;
  accountId: string;
  amount: string;
  line: string;
  orderId: string | null;
}

/** Inserts postings of many entries. */
export function insertManyPostings(em: EntityManager, rows: readonly PostingValues[], at: Date | null): Promise<number> {
  return execute(
    em,
    `INSERT INTO postings (entry_id, account_id, amount_minor, line, order_id, created_at)
         SELECT *, coalesce($6::timestamptz, now()) FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::text[], $5::uuid[])`,
    [rows.map((r) => r.entryId), rows.map((r) => r.accountId), rows.map((r) => r.amount), rows.map((r) => r.line), rows.map((r) => r.orderId), at],
  );
}

/** Locks the member accounts among these (hub accounts are left alone) in id order. */
export async function lockMemberAccounts(em: EntityManager, ids: readonly string[]): Promise<void> {
  await selectRows(em, `SELECT id FROM ledger_accounts WHERE id = ANY($1::bigint[]) AND member_id IS NOT NULL ORDER BY id FOR UPDATE`, [ids]);
}

export function selectEntryByKey(em: EntityManager, key: string): Promise<EntryRow | undefined> {
  return selectRow<EntryRow>(em, `SELECT ${ENTRY_COLUMNS} FROM journal_entries WHERE idempotency_key = $1`, [key]);
}

export function selectPostingsOfEntry(em: EntityManager, entryId: string): Promise<PostedRow[]> {
  return selectRows<PostedRow>(
    em,
    `SELECT p.id, p.account_id, a.code, a.member_id, p.amount_minor::text AS amount, p.line, p.order_id
         FROM postings p JOIN ledger_accounts a ON a.id = p.account_id
        WHERE p.entry_id = $1 ORDER BY p.id`,
    [entryId],
  );
}
