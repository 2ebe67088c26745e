import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { insertAccountsIfMissing, selectAccountsByCode } from './ledger-account.repository';

export interface AccountSpec {
  code: string;
  memberId?: string | null;
}

export interface AccountRef {
  id: string;
  code: string;
  memberId: string | null;
}

/** Get-or-create for accounts of the chart; safe when many transactions create the same account. */
@Injectable()
export class LedgerAccountService {
  /** The accounts with these codes in (network, currency), created when missing. Keyed by code. */
  async getOrCreate(em: EntityManager, networkId: string, currency: string, specs: readonly AccountSpec[]): Promise<Map<string, AccountRef>> {
    const wanted = new Map<string, string | null>();
    for (const s of specs) {
      const owner = s.memberId ?? null;
      if (wanted.has(s.code) && wanted.get(s.code) !== owner) {
        throw new Error(`account ${s.code} named with two owners`);
      }
      wanted.set(s.code, owner);
    }
    const codes = [...wanted.keys()].sort();
    let found = await this.find(em, networkId, currency, codes);
    const missing = codes.filter((c) => !found.has(c));
    if (missing.length > 0) {
      // Sorted so concurrent creators wait on each other in one order, never in a cycle.
      // ON CONFLICT DO NOTHING waits for a concurrent creator, then the SELECT sees its row.
      await insertAccountsIfMissing(
        em,
        networkId,
        currency,
        missing,
        missing.map((c) => wanted.get(c) ?? null),
      );
      found = await this.find(em, networkId, currency, codes);
    }
    for (const [code, owner] of wanted) {
      const acc = found.get(code);
      if (!acc) throw new Error(`ledger account ${code} could not be created`);
      if (acc.memberId !== owner) throw new Error(`ledger account ${code} belongs to another owner`);
    }
    return found;
  }

  /** Existing accounts only (nothing created). */
  async find(em: EntityManager, networkId: string, currency: string, codes: readonly string[]): Promise<Map<string, AccountRef>> {
    if (codes.length === 0) return new Map();
    const rows = await selectAccountsByCode(em, networkId, currency, codes);
    return new Map(rows.map((r) => [r.code, { id: String(r.id), code: r.code, memberId: r.member_id }]));
  }
}
