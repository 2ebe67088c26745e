import { EntityManager } from 'typeorm';
import { StatementWithOutbox } from '@tandem/jobs';
import { selectRowsPrepared } from '@tandem/persistence';
import type { OfferEntity } from '../order/offer.entity';
import { OfferRepository } from '../order/offer.repository';
import { orderEventInsert } from '../order/order-history';
import type { RoutingRow } from '../order/order.entity';
import { CapacityRepository } from './capacity.repository';
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
 * start, and the offer's writes with its capacity unit, each one round trip.
 * The candidate query and the reads of other domains (health's standings,
 * network's terms) keep their own statements; jobs' outbox rows join the
 * offer's statement through OutboxService.enqueueWithChange.
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
    const [row] = await selectRowsPrepared<StoredRoutingPolicy & { passed: PassContext['passed'] }>(
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
   * The offer in one statement, for OutboxService.enqueueWithChange to write its
   * jobs with: a unit of the capability's day (CapacityRepository.takeSql, the
   * real capacity check), and only when it was taken the offer row, the order's
   * change to OFFERED, its `offered` history event at `event.at` and, when
   * `queueExplanation`, its due explanation (routing_explanations). Without a
   * unit it writes nothing and answers no row, so the pass tries the next
   * candidate with no savepoint to roll back. The capacity row stays locked from
   * here to the commit, which follows at once.
   */
  offerStatement(
    offer: Omit<OfferEntity, 'status' | 'closedAt'>,
    change: OfferedChange,
    event: { actor: string; at: Date },
    queueExplanation: boolean,
  ): StatementWithOutbox {
    return {
      ctes: `taken AS (
         ${CapacityRepository.takeSql('$5::uuid', '$6::date')}
       ), offer AS (
         INSERT INTO offers (id, order_id, network_id, supplier_id, capability_id, capacity_day, price_minor, status, offered_at, expires_at, closed_at)
         SELECT $1::uuid, $2::uuid, $3::uuid, $4::uuid, $5::uuid, $6::date, $7::bigint, 'OPEN', $8::timestamptz, $9::timestamptz, NULL
          WHERE EXISTS (SELECT 1 FROM taken)
       ), offered AS (
         UPDATE orders SET status = 'OFFERED', supplier_id = $10::uuid, capability_id = $11::uuid, price_minor = $12::bigint,
                           offer_expires_at = $13::timestamptz, current_offer_id = $14::uuid, routing = $15::jsonb, updated_at = $16::timestamptz
          WHERE id = $2::uuid AND EXISTS (SELECT 1 FROM taken)
         RETURNING id
       ), event AS (
         ${orderEventInsert({ orderId: 'id', networkId: '$3::uuid', type: "'offered'", actor: '$17::text', supplierId: '$4::uuid', detail: "'{}'::jsonb", at: '$18::timestamptz' }, 'offered')}
       ), explanation AS (
         ${ExplanationRepository.queueSql('$2::uuid', '$1::uuid', '$19::boolean AND EXISTS (SELECT 1 FROM offered)')}
       )`,
      params: [
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
      guard: 'offered',
      select: 'SELECT id FROM offered',
    };
  },
};
