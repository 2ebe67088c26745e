import { EntityManager } from 'typeorm';
import { execute, selectRow, selectRows } from '@tandem/persistence';
import type { OfferClosing } from './offer.service';

/** The capacity an offer holds: which capability, on which day. */
export interface OfferHold {
  capabilityId: string | null;
  capacityDay: string;
}

const HOLD_COLUMNS = `capability_id AS "capabilityId", capacity_day::text AS "capacityDay"`;

/** The raw SQL of offers. */
export const OfferRepository = {
  /**
   * Closes the offer if it is still open and returns the capacity it held, or
   * null when it was no longer open. The UPDATE locks the row, so of two
   * closings only one gets the hold back.
   */
  async closeIfOpen(em: EntityManager, offerId: string, closing: OfferClosing, now: Date): Promise<OfferHold | null> {
    const closed = await execute(em, `UPDATE offers SET status = $2, closed_at = $3 WHERE id = $1 AND status = 'OPEN'`, [offerId, closing, now]);
    if (closed === 0) return null;
    return (await selectRow<OfferHold>(em, `SELECT ${HOLD_COLUMNS} FROM offers WHERE id = $1`, [offerId])) ?? null;
  },

  /** Marks the open offer accepted; false when it was no longer open. */
  async acceptIfOpen(em: EntityManager, offerId: string, now: Date): Promise<boolean> {
    return (await execute(em, `UPDATE offers SET status = 'ACCEPTED', closed_at = $2 WHERE id = $1 AND status = 'OPEN'`, [offerId, now])) === 1;
  },

  /** The capacity an accepted offer holds, or null when the offer is not accepted. */
  async acceptedHold(em: EntityManager, offerId: string): Promise<OfferHold | null> {
    return (await selectRow<OfferHold>(em, `SELECT ${HOLD_COLUMNS} FROM offers WHERE id = $1 AND status = 'ACCEPTED'`, [offerId])) ?? null;
  },

  /** When the offer expires and its status now, or undefined when it is not this order's. */
  due(em: EntityManager, orderId: string, offerId: string): Promise<{ expires_at: Date; status: string } | undefined> {
    return selectRow(em, `SELECT expires_at, status FROM offers WHERE id = $1 AND order_id = $2`, [offerId, orderId]);
  },

  /**
   * Suppliers that passed on the order `orderParam` names (DECLINED, EXPIRED),
   * once each with its first passing, as SQL rows (supplier_id, status,
   * offered_at) for a statement that reads them beside other things
   * (RoutePassRepository.context orders them by offered_at, supplier_id). A
   * WITHDRAWN offer was not the supplier's choice, so it does not count.
   */
  passedOnSql(orderParam: string): string {
    return `SELECT DISTINCT ON (supplier_id) supplier_id, status, offered_at
              FROM offers WHERE order_id = ${orderParam} AND status IN ('DECLINED', 'EXPIRED')
             ORDER BY supplier_id, offered_at`;
  },

  /** Open offers that expired before `before`, earliest first, skipping orders another session holds (as stuckInRouting). */
  overdueOpen(em: EntityManager, before: Date, limit: number): Promise<{ orderId: string; offerId: string }[]> {
    return selectRows(
      em,
      `SELECT f.order_id AS "orderId", f.id AS "offerId" FROM offers f JOIN orders o ON o.id = f.order_id
        WHERE f.status = 'OPEN' AND f.expires_at < $1
        ORDER BY f.expires_at LIMIT $2 FOR UPDATE OF o SKIP LOCKED`,
      [before, limit],
    );
  },
};
