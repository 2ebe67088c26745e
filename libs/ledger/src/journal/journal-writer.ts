import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Clock } from '@tandem/common';
import { normalizeCurrency } from '@tandem/money';
import { LedgerAccountService } from '../accounts/ledger-account.service';
import { CLOSE_LINE } from '../accounts/chart-of-accounts';
import { lockLedgerShared } from '../ledger-lock';
import { JournalEntry, PostInput, PostResult, PostedLine } from '../ledger.types';
import {
  EntryRow,
  PostedRow,
  insertEntries,
  insertEntry,
  insertManyPostings,
  insertPostings,
  lockMemberAccounts,
  selectEntryByKey,
  selectPostingsOfEntry,
} from './journal.repository';

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

/** Writes journal entries. Internal to the ledger: callers go through LedgerService or LedgerClosingService. */
@Injectable()
export class JournalWriter {
  constructor(
    private readonly accounts: LedgerAccountService,
    private readonly clock: Clock,
  ) {}

  async write(em: EntityManager, input: PostInput, opts: { allowClose?: boolean } = {}): Promise<PostResult> {
    const currency = normalizeCurrency(input.currency);
    this.check(input, opts.allowClose ?? false);
    await lockLedgerShared(em, input.networkId);

    // The entry and its postings share one time: the database's now(), or the simulated clock's.
    const at = this.clock.simulatedNow();
    const inserted = await insertEntry(
      em,
      {
        networkId: input.networkId,
        currency,
        idempotencyKey: input.idempotencyKey,
        kind: input.kind,
        orderId: input.orderId ?? null,
        statementId: input.statementId ?? null,
      },
      at,
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
    await this.lockAccounts(
      em,
      input.lines.map((l) => accountOf(l.accountCode).id),
    );
    const rows = await insertPostings(
      em,
      entry.id,
      input.lines.map((l) => accountOf(l.accountCode).id),
      input.lines.map((l) => l.amount.toString()),
      input.lines.map((l) => l.line),
      input.orderId ?? null,
      at,
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
    const at = this.clock.simulatedNow();
    const inserted = await insertEntries(
      em,
      inputs.map((i, n) => ({
        networkId: i.networkId,
        currency: currencies[n],
        idempotencyKey: i.idempotencyKey,
        kind: i.kind,
        orderId: i.orderId ?? null,
        statementId: i.statementId ?? null,
      })),
      at,
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
        return {
          entryId: entryIdByKey.get(f.input.idempotencyKey) as string,
          accountId,
          amount: l.amount.toString(),
          line: l.line,
          orderId: f.input.orderId ?? null,
        };
      }),
    );
    await this.lockAccounts(
      em,
      rows.map((r) => r.accountId),
    );
    if (rows.length > 0) {
      await insertManyPostings(em, rows, at);
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
    await lockMemberAccounts(em, ids);
  }

  async entryByKey(em: EntityManager, key: string): Promise<JournalEntry | null> {
    const row = await selectEntryByKey(em, key);
    return row ? toEntry(row) : null;
  }

  async postingsOf(em: EntityManager, entryId: string): Promise<PostedLine[]> {
    const rows = await selectPostingsOfEntry(em, entryId);
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
