import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { badInput } from '@tandem/common';
import { OutboxService } from '@tandem/jobs';
import { TermsService } from '@tandem/network';
import { OfferEntity } from '../order/offer.entity';
import { OfferRepository } from '../order/offer.repository';
import { OrderEntity, RoutingRow } from '../order/order.entity';
import { recordOrderEvent } from '../order/order-history';
import { Candidate, CandidateFinderService, MAX_ROUTING_ROWS, compareExcluded } from './candidate-finder.service';
import { CapacityService, capacityDay } from './capacity.service';
import { rankCandidates } from './ranking';
import { RoutingPolicyService } from './routing-policy.service';
import { NEUTRAL_STANDING, SupplierHealthSource } from './supplier-health.source';

export interface RouteOptions {
  now: Date;
  actor: string;
  /** assignOrder: offer to this supplier only (BAD_USER_INPUT when it is not eligible or has no capacity). */
  onlySupplierId?: string;
}

/**
 * One routing pass over an order in ROUTING whose row the caller holds locked:
 * find the candidates, rank the eligible, reserve capacity for the best one that
 * still has some and offer it the order, or mark the order UNROUTABLE.
 */
@Injectable()
export class RouterService {
  constructor(
    private readonly candidates: CandidateFinderService,
    private readonly capacity: CapacityService,
    private readonly health: SupplierHealthSource,
    private readonly policies: RoutingPolicyService,
    private readonly terms: TermsService,
    private readonly outbox: OutboxService,
  ) {}

  async route(em: EntityManager, order: OrderEntity, opts: RouteOptions): Promise<OrderEntity> {
    if (order.status !== 'ROUTING') throw new Error(`route() needs an order in ROUTING, got ${order.status}`);
    const { now } = opts;
    const pass = await this.candidates.find(em, order.id, now);
    const standings = await this.health.standingsOf(em, order.networkId, pass.eligible.map((c) => c.supplierId));
    const policy = await this.policies.forNetwork(order.networkId, em);
    const ranked = rankCandidates(
      pass.eligible.map((c) => ({ ...c, ...(standings.get(c.supplierId) ?? NEUTRAL_STANDING) })),
      policy,
    );

    const day = capacityDay(order.deliverBy);
    const excluded: Candidate[] = [...pass.excluded];
    const tries = opts.onlySupplierId ? ranked.filter((c) => c.supplierId === opts.onlySupplierId) : ranked;
    if (opts.onlySupplierId && tries.length === 0) {
      throw badInput('that supplier is not eligible for this order', 'supplierId');
    }
    let chosen: (typeof ranked)[number] | undefined;
    for (const c of tries) {
      // The conditional upsert is the real capacity check; the pass's CAPACITY reason is only a first filter.
      if (await this.capacity.reserve(em, c.capabilityId, day)) {
        chosen = c;
        break;
      }
      excluded.push({ ...c, reason: 'CAPACITY' });
    }
    if (opts.onlySupplierId && !chosen) {
      throw badInput('that supplier has no capacity left on the delivery day', 'supplierId');
    }
    const full = new Set(excluded.filter((c) => c.reason === 'CAPACITY').map((c) => c.supplierId));
    const stillEligible = ranked.filter((c) => c !== chosen && !full.has(c.supplierId));
    const holders = await this.holderRows(em, order.id, chosen ? { supplierId: chosen.supplierId, score: chosen.score } : null);
    const held = new Set(holders.map((h) => h.supplierId));
    excluded.sort(compareExcluded);
    const routing: RoutingRow[] = [
      ...holders,
      ...stillEligible.map((c) => ({ supplierId: c.supplierId, eligible: true, reason: null, score: c.score })),
      ...excluded.filter((c) => !held.has(c.supplierId)).map((c) => ({ supplierId: c.supplierId, eligible: false, reason: c.reason, score: null })),
    ].slice(0, MAX_ROUTING_ROWS);

    if (!chosen) {
      Object.assign(order, { status: 'UNROUTABLE', routing, updatedAt: now });
      await em.update(OrderEntity, { id: order.id }, { status: 'UNROUTABLE', routing, updatedAt: now });
      await recordOrderEvent(em, order, 'unroutable', opts.actor);
      return order;
    }

    const { offerTimeoutSeconds } = await this.terms.termsFor(em, chosen.supplierId);
    const expiresAt = new Date(now.getTime() + offerTimeoutSeconds * 1000);
    const offer: OfferEntity = {
      id: randomUUID(),
      orderId: order.id,
      networkId: order.networkId,
      supplierId: chosen.supplierId,
      capabilityId: chosen.capabilityId,
      capacityDay: day,
      priceMinor: chosen.priceMinor,
      status: 'OPEN',
      offeredAt: now,
      expiresAt,
      closedAt: null,
    };
    await em.insert(OfferEntity, offer);
    const change = {
      status: 'OFFERED' as const,
      supplierId: chosen.supplierId,
      capabilityId: chosen.capabilityId,
      priceMinor: chosen.priceMinor,
      offerExpiresAt: expiresAt,
      currentOfferId: offer.id,
      routing,
      updatedAt: now,
    };
    Object.assign(order, change);
    await em.update(OrderEntity, { id: order.id }, change);
    await recordOrderEvent(em, order, 'offered', opts.actor, { supplierId: chosen.supplierId });
    await this.outbox.enqueue(em, 'expire-offer', { orderId: order.id, offerId: offer.id }, { runAt: expiresAt });
    return order;
  }

  /**
   * Suppliers that held an offer on this order, in offer order: those that passed
   * (DECLINED, EXPIRED) and the one holding it now. A withdrawn offer was not the
   * supplier's choice, so it does not count as passing.
   */
  private async holderRows(em: EntityManager, orderId: string, current: { supplierId: string; score: number } | null): Promise<RoutingRow[]> {
    const rows = await OfferRepository.passedOn(em, orderId);
    const out: RoutingRow[] = rows.map((r) => ({ supplierId: r.supplier_id, eligible: false, reason: r.status, score: null }));
    if (current) out.push({ supplierId: current.supplierId, eligible: true, reason: null, score: current.score });
    return out;
  }
}
