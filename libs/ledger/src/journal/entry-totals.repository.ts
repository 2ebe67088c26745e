import { EntityManager } from 'typeorm';
import { selectRows } from '@tandem/persistence';

/**
 * What each entry moved, per line: for the entries with these idempotency keys,
 * the sum of their postings by line name. A key not posted has no entry in the
 * map. One query, whatever the number of keys.
 */
export async function entryLineTotals(em: EntityManager, keys: readonly string[]): Promise<Map<string, Map<string, bigint>>> {
  const out = new Map<string, Map<string, bigint>>();
  if (keys.length === 0) return out;
  const rows = await selectRows<{ key: string; line: string; total: string }>(
    em,
    `SELECT e.idempotency_key AS key, p.line, sum(p.amount_minor)::text AS total
       FROM journal_entries e JOIN postings p ON p.entry_id = e.id
      WHERE e.idempotency_key = ANY($1::text[])
      GROUP BY e.idempotency_key, p.line`,
    [[...new Set(keys)]],
  );
  for (const r of rows) {
    let lines = out.get(r.key);
    if (!lines) out.set(r.key, (lines = new Map()));
    lines.set(r.line, BigInt(r.total));
  }
  return out;
}
