import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { normalizeCurrency } from '@tandem/money';
import { entryLineTotals } from './journal/entry-totals.repository';
import { JournalWriter } from './journal/journal-writer';
import {
  selectAccountBalances,
  selectBadCloses,
  selectBalancesByCode,
  selectCurrencies,
  selectStaleBalances,
  selectUnbalancedEntries,
} from './ledger.repository';
import { AccountBalance, JournalEntry, PostInput, PostResult, PostedLine, TrialBalance } from './ledger.types';

/** The double-entry ledger: posting, balances, trial balance. Append-only. */
@Injectable()
export class LedgerService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly writer: JournalWriter,
  ) {}

  /**
   * Posts one balanced entry in the caller's transaction. Idempotent on the key:
   * a second post with the same key posts nothing and returns the first entry
   * (created: false). Throws (a programming error) on an unbalanced entry.
   */
  post(em: EntityManager, input: PostInput): Promise<PostResult> {
    return this.writer.write(em, input);
  }

  /** Many entries in one go (see JournalWriter.writeMany); per input, whether it was posted now. */
  postMany(em: EntityManager, inputs: readonly PostInput[]): Promise<boolean[]> {
    return this.writer.writeMany(em, inputs);
  }

  entryByKey(key: string, em: EntityManager = this.dataSource.manager): Promise<JournalEntry | null> {
    return this.writer.entryByKey(em, key);
  }

  entryPostings(entryId: string, em: EntityManager = this.dataSource.manager): Promise<PostedLine[]> {
    return this.writer.postingsOf(em, entryId);
  }

  /** Per idempotency key, what its entry moved on each line (entries not posted are absent). */
  entryLineTotals(keys: readonly string[], em: EntityManager = this.dataSource.manager): Promise<Map<string, Map<string, bigint>>> {
    return entryLineTotals(em, keys);
  }

  /**
   * Balances of the accounts with these codes (0 for an account not created yet):
   * the sum of all their postings, read from the cache kept with the postings (one
   * index lookup). For a member's receivable and payable this is its open
   * position: each CLOSE brought the account to zero, so only what was posted
   * after the latest one remains.
   */
  async balances(networkId: string, currency: string, codes: readonly string[], em: EntityManager = this.dataSource.manager): Promise<Map<string, bigint>> {
    const result = new Map<string, bigint>(codes.map((c) => [c, 0n]));
    if (codes.length === 0) return result;
    const rows = await selectBalancesByCode(em, networkId, normalizeCurrency(currency), codes);
    for (const r of rows) result.set(r.code, BigInt(r.balance));
    return result;
  }

  /** Every account of (network, currency) with its (cached) balance. */
  async accountBalances(networkId: string, currency: string, em: EntityManager = this.dataSource.manager): Promise<AccountBalance[]> {
    const rows = await selectAccountBalances(em, networkId, normalizeCurrency(currency));
    return rows.map((r) => ({ accountId: String(r.id), code: r.code, memberId: r.member_id, balance: BigInt(r.balance) }));
  }

  /** The classic trial balance: accounts with a debit balance against those with a credit balance. */
  async trialBalance(networkId: string, currency: string, em: EntityManager = this.dataSource.manager): Promise<TrialBalance> {
    const code = normalizeCurrency(currency);
    let debits = 0n;
    let credits = 0n;
    for (const a of await this.accountBalances(networkId, code, em)) {
      if (a.balance > 0n) debits += a.balance;
      else credits -= a.balance;
    }
    return { currency: code, debits, credits, balanced: debits === credits };
  }

  /** Currencies in which the network has ledger accounts. */
  async currencies(networkId: string, em: EntityManager = this.dataSource.manager): Promise<string[]> {
    const rows = await selectCurrencies(em, networkId);
    return rows.map((r) => r.currency);
  }

  /**
   * Checks the ledger's invariants for a network; returns what is wrong (empty:
   * all is well). Every entry sums to zero; every cached balance equals the sum
   * of the account's postings; per currency the trial balance is balanced and
   * all balances sum to zero; each CLOSE brought its account to exactly zero (no
   * posting slipped in behind it), which settlement's open postings rely on.
   */
  async verify(networkId: string, em: EntityManager = this.dataSource.manager): Promise<string[]> {
    const problems: string[] = [];
    const unbalanced = await selectUnbalancedEntries(em, networkId);
    for (const u of unbalanced) problems.push(`entry ${u.id} is off by ${u.total}`);

    const stale = await selectStaleBalances(em, networkId);
    for (const s of stale) problems.push(`${s.currency} ${s.code}: cached balance ${s.cached}, postings sum to ${s.derived}`);

    for (const currency of await this.currencies(networkId, em)) {
      const tb = await this.trialBalance(networkId, currency, em);
      if (!tb.balanced) problems.push(`${currency}: trial balance debits ${tb.debits} != credits ${tb.credits}`);
      const sum = (await this.accountBalances(networkId, currency, em)).reduce((s, a) => s + a.balance, 0n);
      if (sum !== 0n) problems.push(`${currency}: account balances sum to ${sum}`);
    }

    const badCloses = await selectBadCloses(em, networkId);
    for (const b of badCloses) problems.push(`${b.code}: a CLOSE left ${b.total} behind it`);
    return problems;
  }
}
