import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { normalizeCurrency } from '@tandem/money';
import { AccountSpec, LedgerAccountService } from '../accounts/ledger-account.service';
import { CLOSE_LINE } from '../accounts/chart-of-accounts';
import { JournalWriter } from '../journal/journal-writer';
import { lockLedgerExclusive } from '../ledger-lock';
import { OpenActivity, OpenPosting, PostResult } from '../ledger.types';
import { selectCachedBalances, selectOpenActivity, selectOpenPostingIds, selectOpenPostings } from './ledger-closing.repository';

export interface CloseInput {
  networkId: string;
  currency: string;
  idempotencyKey: string;
  kind: string;
  statementId?: string | null;
  /** Accounts brought to zero, each by one CLOSE posting (also when already zero: it marks the point). */
  accounts: readonly AccountSpec[];
  /** Where their balances go. */
  into: AccountSpec;
  /** Line name of the posting on `into`. */
  intoLine: string;
}

/**
 * Closing member accounts: what a settlement run does. Every method takes the
 * network's ledger lock exclusively (held to the end of the transaction), so no
 * posting is in flight while accounts are read and closed.
 */
@Injectable()
export class LedgerClosingService {
  constructor(
    private readonly writer: JournalWriter,
    private readonly accounts: LedgerAccountService,
  ) {}

  /** Serializes closings of a network and waits for postings in flight. */
  lock(em: EntityManager, networkId: string): Promise<void> {
    return lockLedgerExclusive(em, networkId);
  }

  /**
   * The open postings of every member account of the given kinds: those after the
   * account's latest CLOSE, oldest first.
   */
  async openPostings(em: EntityManager, networkId: string, kinds: readonly string[] = ['receivable', 'payable']): Promise<OpenPosting[]> {
    await this.lock(em, networkId);
    const rows = await selectOpenPostings(em, networkId, kinds);
    return rows.map((r) => ({
      postingId: String(r.id),
      accountId: String(r.account_id),
      accountCode: r.code,
      memberId: r.member_id,
      currency: r.currency,
      amount: BigInt(r.amount),
      line: r.line,
      orderId: r.order_id,
      entryId: String(r.entry_id),
      entryKind: r.entry_kind,
      createdAt: r.created_at,
    }));
  }

  /**
   * The open activity of every member account of the given kinds, summed in the
   * database by account, line and entry kind (a run over a long history does not
   * pull every posting into memory).
   */
  async openActivity(em: EntityManager, networkId: string, kinds: readonly string[] = ['receivable', 'payable']): Promise<OpenActivity[]> {
    await this.lock(em, networkId);
    const rows = await selectOpenActivity(em, networkId, kinds);
    return rows.map((r) => ({
      accountId: String(r.account_id),
      accountCode: r.code,
      memberId: r.member_id,
      currency: r.currency,
      line: r.line,
      entryKind: r.entry_kind,
      amount: BigInt(r.amount),
      orders: r.orders,
      postings: r.postings,
    }));
  }

  /** Ids of the accounts' open postings (after their latest CLOSE), oldest first. */
  async openPostingIds(em: EntityManager, networkId: string, accountIds: readonly string[]): Promise<string[]> {
    await this.lock(em, networkId);
    const rows = await selectOpenPostingIds(em, accountIds);
    return rows.map((r) => String(r.id));
  }

  /**
   * Brings each account to zero with a CLOSE posting and moves the total into
   * `into`, as one balanced entry. The amounts are computed here, under the lock,
   * so a CLOSE always closes exactly the account's open balance.
   */
  async closeAccounts(em: EntityManager, input: CloseInput): Promise<PostResult> {
    await this.lock(em, input.networkId);
    const currency = normalizeCurrency(input.currency);
    const found = await this.accounts.find(
      em,
      input.networkId,
      currency,
      input.accounts.map((a) => a.code),
    );
    // The cached balance is exact here: the exclusive lock keeps every posting out until commit.
    const ids = [...found.values()].map((a) => a.id);
    const rows = ids.length ? await selectCachedBalances(em, ids) : [];
    const balanceById = new Map(rows.map((r) => [String(r.account_id), BigInt(r.balance)]));
    // An account that was never created has nothing to close.
    const lines = input.accounts.flatMap((a) => {
      const account = found.get(a.code);
      return account ? [{ accountCode: a.code, memberId: a.memberId ?? null, amount: -(balanceById.get(account.id) ?? 0n), line: CLOSE_LINE }] : [];
    });
    const total = lines.reduce((s, l) => s - l.amount, 0n);
    lines.push({ accountCode: input.into.code, memberId: input.into.memberId ?? null, amount: total, line: input.intoLine });
    return this.writer.write(
      em,
      {
        networkId: input.networkId,
        currency,
        idempotencyKey: input.idempotencyKey,
        kind: input.kind,
        statementId: input.statementId ?? null,
        lines,
      },
      { allowClose: true },
    );
  }
}
