import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { normalizeCurrency } from '@tandem/money';
import { AccountSpec, LedgerAccountService } from '../accounts/ledger-account.service';
import { CLOSE_LINE } from '../accounts/chart-of-accounts';
import { JournalWriter } from '../journal/journal-writer';
import { lockLedgerExclusive } from '../ledger-lock';
import { OpenActivity, OpenPosting, PostResult } from '../ledger.types';

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
    const rows: {
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
    }[] = await em.query(
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
    const rows: {
      account_id: string;
      code: string;
      member_id: string;
      currency: string;
      line: string;
      entry_kind: string;
      amount: string;
      orders: number;
      postings: number;
    }[] = await em.query(
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
    const rows: { id: string }[] = await em.query(
      `SELECT p.id FROM postings p
        WHERE p.account_id = ANY($1::bigint[])
          AND p.id > coalesce((SELECT max(c.id) FROM postings c WHERE c.account_id = p.account_id AND c.line = '${CLOSE_LINE}'), 0)
        ORDER BY p.id`,
      [accountIds],
    );
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
    const found = await this.accounts.find(em, input.networkId, currency, input.accounts.map((a) => a.code));
    // The cached balance is exact here: the exclusive lock keeps every posting out until commit.
    const ids = [...found.values()].map((a) => a.id);
    const rows: { account_id: string; balance: string }[] = ids.length
      ? await em.query(`SELECT id AS account_id, balance_minor::text AS balance FROM ledger_accounts WHERE id = ANY($1::bigint[])`, [ids])
      : [];
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
