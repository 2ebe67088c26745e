import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { normalizeCurrency } from '@tandem/money';
import { LedgerAccountService } from '../accounts/ledger-account.service';
import { CLOSE_LINE } from '../accounts/chart-of-accounts';
import { lockLedgerShared } from '../ledger-lock';
import { JournalEntry, PostInput, PostResult, PostedLine } from '../ledger.types';

interface EntryRow {
  id: string;
  network_id: string;
  currency: string;
  idempotency_key: string;
  kind: string;
  order_id: string | null;
  statement_id: string | null;
  created_at: Date;
}

interface PostedRow {
  id: string;
  account_id: string;
  code: string;
  member_id: string | null;
  amount: string;
  line: string;
  order_id: string | null;
}

export const toEntry = (r: EntryRow): JournalEntry => ({
  id: String(r.id),
  networkId: r.network_id,
  currency: r.currency,
  idempotencyKey: r.idempotency_key,
  kind: r.kind,
  orderId: r.order_id,
  statementId: r.statement_id,
  createdAt: r.created_at,
});

export const toPostedLine = (r: PostedRow): PostedLine => ({
  postingId: String(r.id),
  accountId: String(r.account_id),
  accountCode: r.code,
  memberId: r.member_id,
  amount: BigInt(r.amount),
  line: r.line,
  orderId: r.order_id,
});

const ENTRY_COLUMNS = 'id, network_id, currency, idempotency_key, kind, order_id, statement_id, created_at';

/** Writes journal entries. Internal to the ledger: callers go through LedgerService or LedgerClosingService. */
@Injectable()
export class JournalWriter {
  constructor(private readonly accounts: LedgerAccountService) {}

  async write(em: EntityManager, input: PostInput, opts: { allowClose?: boolean } = {}): Promise<PostResult> {
    const currency = normalizeCurrency(input.currency);
    this.check(input, opts.allowClose ?? false);
    await lockLedgerShared(em, input.networkId);

    const inserted: EntryRow[] = await em.query(
      `INSERT INTO journal_entries (network_id, currency, idempotency_key, kind, order_id, statement_id)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (idempotency_key) DO NOTHING
       RETURNING ${ENTRY_COLUMNS}`,
      [input.networkId, currency, input.idempotencyKey, input.kind, input.orderId ?? null, input.statementId ?? null],
    );
    if (inserted.length === 0) {
      // Posted before (or by a concurrent job, whose commit the insert waited for): post nothing.
      const existing = await this.entryByKey(em, input.idempotencyKey);
      if (!existing) throw new Error(`journal entry ${input.idempotencyKey} vanished`);
      if (existing.networkId !== input.networkId || existing.currency !== currency || existing.kind !== input.kind) {
        throw new Error(`idempotency key ${input.idempotencyKey} was used for another entry`);
      }
      return { entry: existing, created: false, postings: await this.postingsOf(em, existing.id) };
    }
    const entry = toEntry(inserted[0]);

    const accounts = await this.accounts.getOrCreate(
      em,
      input.networkId,
      currency,
      input.lines.map((l) => ({ code: l.accountCode, memberId: l.memberId ?? null })),
    );
    const accountOf = (code: string) => {
      const acc = accounts.get(code);
      if (!acc) throw new Error(`ledger account ${code} missing`);
      return acc;
    };
    // The postings_balance_cache trigger adds the amounts to the accounts' cached balances.
    await this.lockAccounts(em, input.lines.map((l) => accountOf(l.accountCode).id));
    const rows: { id: string; account_id: string; amount: string; line: string; order_id: string | null }[] = await em.query(
      `INSERT INTO postings (entry_id, account_id, amount_minor, line, order_id)
       SELECT $1, t.account_id, t.amount, t.line, $5
         FROM unnest($2::bigint[], $3::bigint[], $4::text[]) WITH ORDINALITY AS t(account_id, amount, line, n)
        ORDER BY t.n
       RETURNING id, account_id, amount_minor::text AS amount, line, order_id`,
      [
        entry.id,
        input.lines.map((l) => accountOf(l.accountCode).id),
        input.lines.map((l) => l.amount.toString()),
        input.lines.map((l) => l.line),
        input.orderId ?? null,
      ],
    );
    const byId = new Map([...accounts.values()].map((a) => [a.id, a]));
    const postings = rows.map((r) => {
      const acc = byId.get(String(r.account_id));
      return toPostedLine({ ...r, code: acc?.code ?? '', member_id: acc?.memberId ?? null });
    });
    return { entry, created: true, postings };
  }

  /**
   * Many entries in a handful of statements: one insert for the entries, one
   * get-or-create of accounts per network and currency, one insert for all the
   * postings. Entries whose key was posted before are skipped. Returns, per
   * input, whether it was written now. Keys must be distinct within a call.
   */
  async writeMany(em: EntityManager, inputs: readonly PostInput[]): Promise<boolean[]> {
    if (inputs.length === 0) return [];
    if (new Set(inputs.map((i) => i.idempotencyKey)).size !== inputs.length) throw new Error('writeMany: idempotency keys repeat');
    for (const input of inputs) this.check(input, false);
    for (const networkId of [...new Set(inputs.map((i) => i.networkId))].sort()) await lockLedgerShared(em, networkId);
    const currencies = inputs.map((i) => normalizeCurrency(i.currency));
    const inserted: { id: string; idempotency_key: string }[] = await em.query(
      `INSERT INTO journal_entries (network_id, currency, idempotency_key, kind, order_id, statement_id)
       SELECT * FROM unnest($1::uuid[], $2::char(3)[], $3::text[], $4::text[], $5::uuid[], $6::uuid[])
       ON CONFLICT (idempotency_key) DO NOTHING
       RETURNING id, idempotency_key`,
      [
        inputs.map((i) => i.networkId),
        currencies,
        inputs.map((i) => i.idempotencyKey),
        inputs.map((i) => i.kind),
        inputs.map((i) => i.orderId ?? null),
        inputs.map((i) => i.statementId ?? null),
      ],
    );
    const entryIdByKey = new Map(inserted.map((r) => [r.idempotency_key, String(r.id)]));
    const fresh = inputs.map((input, n) => ({ input, currency: currencies[n] })).filter((f) => entryIdByKey.has(f.input.idempotencyKey));

    // Accounts, one get-or-create per network and currency.
    const scopes = new Map<string, typeof fresh>();
    for (const f of fresh) {
      const scope = `${f.input.networkId}|${f.currency}`;
      scopes.set(scope, [...(scopes.get(scope) ?? []), f]);
    }
    const accountIdOf = new Map<string, string>();
    for (const [scope, group] of scopes) {
      const [networkId, currency] = scope.split('|');
      const specs = group.flatMap((f) => f.input.lines.map((l) => ({ code: l.accountCode, memberId: l.memberId ?? null })));
      const unique = [...new Map(specs.map((spec) => [spec.code, spec])).values()];
      for (const [code, account] of await this.accounts.getOrCreate(em, networkId, currency, unique)) accountIdOf.set(`${scope}|${code}`, account.id);
    }
    const rows = fresh.flatMap((f) =>
      f.input.lines.map((l) => {
        const accountId = accountIdOf.get(`${f.input.networkId}|${f.currency}|${l.accountCode}`);
        if (!accountId) throw new Error(`ledger account ${l.accountCode} missing`);
        return { entryId: entryIdByKey.get(f.input.idempotencyKey) as string, accountId, amount: l.amount.toString(), line: l.line, orderId: f.input.orderId ?? null };
      }),
    );
    await this.lockAccounts(em, rows.map((r) => r.accountId));
    if (rows.length > 0) {
      await em.query(
        `INSERT INTO postings (entry_id, account_id, amount_minor, line, order_id)
         SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::text[], $5::uuid[])`,
        [rows.map((r) => r.entryId), rows.map((r) => r.accountId), rows.map((r) => r.amount), rows.map((r) => r.line), rows.map((r) => r.orderId)],
      );
    }
    return inputs.map((i) => entryIdByKey.has(i.idempotencyKey));
  }

  /**
   * Locks the entry's member accounts in id order before the postings' trigger
   * updates their cached balances, so concurrent postings never wait on each
   * other in a cycle. The hub's accounts carry no cached balance, so entries of
   * different members never queue behind each other.
   */
  private async lockAccounts(em: EntityManager, accountIds: string[]): Promise<void> {
    const ids = [...new Set(accountIds)];
    await em.query(`SELECT id FROM ledger_accounts WHERE id = ANY($1::bigint[]) AND member_id IS NOT NULL ORDER BY id FOR UPDATE`, [ids]);
  }

  async entryByKey(em: EntityManager, key: string): Promise<JournalEntry | null> {
    const rows: EntryRow[] = await em.query(`SELECT ${ENTRY_COLUMNS} FROM journal_entries WHERE idempotency_key = $1`, [key]);
    return rows[0] ? toEntry(rows[0]) : null;
  }

  async postingsOf(em: EntityManager, entryId: string): Promise<PostedLine[]> {
    const rows: PostedRow[] = await em.query(
      `SELECT p.id, p.account_id, a.code, a.member_id, p.amount_minor::text AS amount, p.line, p.order_id
         FROM postings p JOIN ledger_accounts a ON a.id = p.account_id
        WHERE p.entry_id = $1 ORDER BY p.id`,
      [entryId],
    );
    return rows.map(toPostedLine);
  }

  /** The code-side twin of the database's commit-time check: refuse before writing anything. */
  private check(input: PostInput, allowClose: boolean): void {
    if (!input.idempotencyKey) throw new Error('a journal entry needs an idempotency key');
    if (!input.kind) throw new Error('a journal entry needs a kind');
    if (input.lines.length === 0) throw new Error(`journal entry ${input.idempotencyKey} has no lines`);
    let total = 0n;
    for (const l of input.lines) {
      if (typeof l.amount !== 'bigint') throw new TypeError(`amount of ${l.accountCode} must be a bigint`);
      if (!l.accountCode || !l.line) throw new Error('every posting needs an account and a line');
      if (l.line === CLOSE_LINE && !allowClose) throw new Error('CLOSE postings are written only by LedgerClosingService');
      total += l.amount;
    }
    if (total !== 0n) throw new Error(`journal entry ${input.idempotencyKey} does not balance (off by ${total})`);
  }
}
