import { EntityManager } from 'typeorm';
import { selectRow } from '@tandem/persistence';
import type { OfferEntity } from '../order/offer.entity';
import { OfferRepository } from '../order/offer.repository';
import { OrderReach, orderEventInsert } from '../order/order-history';
import type { RoutingRow } from '../order/order.entity';
import { ExplanationRepository } from './explanation.repository';
import { StoredRoutingPolicy } from './routing-policy';
import { policyColumns } from './routing-policy.repository';

/** What a routing pass reads of its order besides the locked row, in one statement. */
export interface PassContext {
  /** The network's stored weights; every column null when it never set them (the defaults either way: policyFrom). */
  policy: StoredRoutingPolicy;
  /** Suppliers that passed on the order (DECLINED, EXPIRED), once each with its first passing, in the order they passed. */
  passed: { supplier_id: string; status: string }[];
}

/** The order's columns an offer sets. */
export interface OfferedChange {
  supplierId: string;
  capabilityId: string;
  priceMinor: bigint;
  offerExpiresAt: Date;
  currentOfferId: string;
  routing: RoutingRow[];
  updatedAt: Date;
}

/**
 * The SQL of one routing pass that is routing's own: what the pass reads at its
 * start, and the offer's writes, each one round trip. The candidate query, the
 * capacity reservation and the reads of other domains (health's standings,
 * network's terms, jobs' outbox) keep their own statements.
 */
export const RoutePassRepository = {
  /**
   * The network's routing weights (routing_policies, no row: the defaults) and the
   * suppliers that passed on the order. No check that the network exists: the
   * order references it (orders.network_id REFERENCES networks). The passed stay
   * as read for the whole pass: offers of an order are written only under its row
   * lock, which the pass holds, and a WITHDRAWN offer does not count as passing.
   */
  async context(em: EntityManager, networkId: string, orderId: string): Promise<PassContext> {
    const row = await selectRow<StoredRoutingPolicy & { passed: PassContext['passed'] }>(
      em,
      `SELECT ${policyColumns('p.')},
              coalesce((
                SELECT json_agg(json_build_object('supplier_id', supplier_id, 'status', status) ORDER BY offered_at, supplier_id)
                  FROM (${OfferRepository.passedOnSql('$2')}) first_passing
              ), '[]'::json) AS passed
         FROM (SELECT 1) one
         LEFT JOIN routing_policies p ON p.network_id = $1`,
      [networkId, orderId],
    );
    const { passed = [], ...policy } = row ?? {};
    return { policy, passed };
  },

  /**
   * The offer in one statement: the offer row, the order's change to OFFERED, its
   * `offered` history event (as recordOrderEvent writes one: time `at` under the
   * simulated clock, else the database's clock at the insert) and, when
   * `queueExplanation`, its due explanation (routing_explanations). Answers the
   * order's reach as the update left it and the database's clock just after the
   * event (what the published event carries), or undefined when the order row was
   * not updated (it is locked by the caller, so never).
   */
  async offer(
    em: EntityManager,
    offer: Omit<OfferEntity, 'status' | 'closedAt'>,
    change: OfferedChange,
    event: { actor: string; at: Date | null },
    queueExplanation: boolean,
  ): Promise<(OrderReach & { occurredAt: Date }) | undefined> {
    return selectRow(
      em,
      `WITH offer AS (
         INSERT INTO offers (id, order_id, network_id, supplier_id, capability_id, capacity_day, price_minor, status, offered_at, expires_at, closed_at)
         VALUES ($1::uuid, $2::uuid, $3::uuid, $4::uuid, $5::uuid, $6::date, $7::bigint, 'OPEN', $8::timestamptz, $9::timestamptz, NULL)
       ), offered AS (
         UPDATE orders SET status = 'OFFERED', supplier_id = $10::uuid, capability_id = $11::uuid, price_minor = $12::bigint,
                           offer_expires_at = $13::timestamptz, current_offer_id = $14::uuid, routing = $15::jsonb, updated_at = $16::timestamptz
          WHERE id = $2::uuid
         RETURNING status, client_id, supplier_id, accepted_at
       ), event AS (
         ${orderEventInsert({ orderId: '$2::uuid', networkId: '$3::uuid', type: "'offered'", actor: '$17::text', supplierId: '$4::uuid', detail: "'{}'::jsonb", at: '$18::timestamptz' })}
         RETURNING order_id
       ), explanation AS (
         ${ExplanationRepository.queueSql('$2::uuid', '$1::uuid', '$19::boolean')}
       )
       SELECT o.status, o.client_id AS "clientId", o.supplier_id AS "supplierId", o.accepted_at AS "acceptedAt",
              clock_timestamp() AS "occurredAt"
         FROM offered o CROSS JOIN event`,
      [
        offer.id,
        offer.orderId,
        offer.networkId,
        offer.supplierId,
        offer.capabilityId,
        offer.capacityDay,
        offer.priceMinor.toString(),
        offer.offeredAt,
        offer.expiresAt,
        change.supplierId,
        change.capabilityId,
        change.priceMinor.toString(),
        change.offerExpiresAt,
        change.currentOfferId,
        JSON.stringify(change.routing),
        change.updatedAt,
        event.actor,
        event.at,
        queueExplanation,
      ],
    );
  },
};
