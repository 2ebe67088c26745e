import { EntityManager } from 'typeorm';
import { selectRow } from '@tandem/persistence';

/** Creates the monthly partitions of journal_entries and postings up to `monthsAhead` ahead; the number created. */
export async function createPartitionsAhead(em: EntityManager, monthsAhead: number): Promise<number> {
  const row = await selectRow<{ created: number }>(em, `SELECT ledger_create_partitions($1) AS created`, [monthsAhead]);
  return row?.created ?? 0;
}
