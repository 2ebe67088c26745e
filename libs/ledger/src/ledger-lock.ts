import { EntityManager } from 'typeorm';

/** Advisory-lock namespace of the ledger (the first key of the two-key form). */
const LEDGER_LOCK_SPACE = 0x1ed6e;

/**
 * Every posting transaction holds this network's ledger lock in shared mode; a
 * closing (settlement run) holds it exclusively. So while accounts are closed no
 * posting is in flight, and every posting made later gets a higher id than the
 * CLOSE postings: the "sum after the latest CLOSE" balance is then exact.
 * Held until the transaction ends.
 */
export async function lockLedgerShared(em: EntityManager, networkId: string): Promise<void> {
  await em.query(`SELECT pg_advisory_xact_lock_shared($1, hashtext($2))`, [LEDGER_LOCK_SPACE, networkId]);
}

/** Exclusive: serializes closings of one network and waits for postings in flight. */
export async function lockLedgerExclusive(em: EntityManager, networkId: string): Promise<void> {
  await em.query(`SELECT pg_advisory_xact_lock($1, hashtext($2))`, [LEDGER_LOCK_SPACE, networkId]);
}
