import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { Clock, badInput } from '@tandem/common';
import { OutboxJob, OutboxService } from '@tandem/jobs';
import { TermsService } from '@tandem/network';
import { OrderEntity, RoutingRow } from '../order/order.entity';
import { orderEventJobs, recordOrderEvent } from '../order/order-history';
import { Candidate, CandidateFinderService, EligibleCandidate, MAX_ROUTING_ROWS, SHORTLIST, compareExcluded } from './candidate-finder.service';
import { capacityDay } from './capacity.service';
import { rankCandidates } from './ranking';
import { OfferedChange, PassContext, RoutePassRepository } from './route-pass.repository';
import { RoutingPolicy, policyFrom } from './routing-policy';
import { NEUTRAL_STANDING, SupplierHealthSource } from './supplier-health.source';

export interface RouteOptions {
  now: Date;
  actor: string;
  /** assignOrder: offer to this supplier only (BAD_USER_INPUT when it is not eligible or has no capacity). */
  onlySupplierId?: string;
}

type ScoredCandidate = EligibleCandidate & { health: number; reliability: number; score: number };

/** Pages of the shortlist a pass may ask for when every reservation of a page fails (each failure fills a capability, so this ends). */
const MAX_PAGES = 20;

/**
 * One routing pass over an order in ROUTING whose row the caller holds locked:
 * ask the index for the cheapest eligible (CandidateFinderService.shortlist),
 * rank them, reserve capacity for the best one that still has some and offer it
 * the order, or mark the order UNROUTABLE. The offer's Order.routing holds the
 * holders and the eligible by score; the excluded rows, which take a scan of the
 * whole category, are written right after the commit by RoutingExplainerService.
 */
@Injectable()
export class RouterService {
  constructor(
    private readonly candidates: CandidateFinderService,
    private readonly health: SupplierHealthSource,
    private readonly terms: TermsService,
    private readonly outbox: OutboxService,
    private readonly clock: Clock,
  ) {}

  async route(em: EntityManager, order: OrderEntity, opts: RouteOptions): Promise<OrderEntity> {
    if (order.status !== 'ROUTING') throw new Error(`route() needs an order in ROUTING, got ${order.status}`);
    // The network's weights and the suppliers that passed, in one read for the whole pass (RoutePassRepository.context).
    const context = await RoutePassRepository.context(em, order.networkId, order.id);
    const policy = policyFrom(context.policy);
    const day = capacityDay(order.deliverBy);
    if (opts.onlySupplierId) return this.assign(em, order, opts, opts.onlySupplierId, policy, day, context.passed);

    // The fast path: the index's cheapest eligible first; a page whose every reservation fails is full, so ask again.
    const full: Candidate[] = [];
    for (let page = 0; page < MAX_PAGES; page++) {
      const shortlist = await this.candidates.shortlist(em, order, opts.now);
      const ranked = await this.rank(em, order.networkId, shortlist, policy);
      // The excluded rows come right after the commit (RoutingExplainerService), off the offer's path: the offer queues them.
      const offered = await this.offerFirst(em, order, opts, {
        ranked,
        tries: ranked,
        day,
        full,
        passed: context.passed,
        excluded: [],
        queueExplanation: true,
      });
      if (offered) return offered;
      if (shortlist.length < SHORTLIST) break;
    }
    // Nobody can take it: the full pass explains why, in this transaction (an UNROUTABLE order has nothing else to show).
    const pass = await this.candidates.find(em, order.id, opts.now);
    return this.unroutable(em, order, opts, holderRows(context.passed, null), pass.excluded);
  }

  /**
   * Offers the order to the first of `tries` that still has a unit on the day;
   * those without go to `full`. Order.routing lists `ranked` and the excluded
   * (`excluded`, then `full`).
   * The unit is taken by the offer's own statement, the last before the commit,
   * so the capacity row stays locked only from that statement to the commit:
   * the best supplier of a burst of orders alike is the same row for all of
   * them, and reserving first held it across the whole pass, one routing job at
   * a time (the 50 orders/s bench queued behind it). Without a unit the
   * statement writes nothing, and the next candidate is tried.
   */
  private async offerFirst(
    em: EntityManager,
    order: OrderEntity,
    opts: RouteOptions,
    p: {
      ranked: ScoredCandidate[];
      tries: ScoredCandidate[];
      day: string;
      full: Candidate[];
      passed: readonly PassedRow[];
      excluded: Candidate[];
      queueExplanation: boolean;
    },
  ): Promise<OrderEntity | undefined> {
    for (const chosen of p.tries) {
      const holders = holderRows(p.passed, { supplierId: chosen.supplierId, score: chosen.score });
      const routing = this.routingRows(holders, p.ranked, chosen, [...p.excluded, ...p.full]);
      const offered = await this.offer(em, order, opts, chosen, p.day, routing, p.queueExplanation);
      if (offered) return offered;
      p.full.push({ ...chosen, reason: 'CAPACITY' });
    }
    return undefined;
  }

  /** assignOrder: the operator's choice, with the whole explanation at once (an operator's request, not the offer's path). */
  private async assign(
    em: EntityManager,
    order: OrderEntity,
    opts: RouteOptions,
    supplierId: string,
    policy: RoutingPolicy,
    day: string,
    passed: readonly PassedRow[],
  ): Promise<OrderEntity> {
    const pass = await this.candidates.find(em, order.id, opts.now);
    const ranked = await this.rank(em, order.networkId, pass.eligible, policy);
    const tries = ranked.filter((c) => c.supplierId === supplierId);
    if (tries.length === 0) throw badInput('that supplier is not eligible for this order', 'supplierId');
    const offered = await this.offerFirst(em, order, opts, { ranked, tries, day, full: [], passed, excluded: pass.excluded, queueExplanation: false });
    if (!offered) throw badInput('that supplier has no capacity left on the delivery day', 'supplierId');
    return offered;
  }

  /** The eligible with their standing (health's), scored and sorted best first. */
  private async rank(em: EntityManager, networkId: string, eligible: EligibleCandidate[], policy: RoutingPolicy): Promise<ScoredCandidate[]> {
    const standings = await this.health.standingsOf(
      em,
      networkId,
      eligible.map((c) => c.supplierId),
    );
    return rankCandidates(
      eligible.map((c) => ({ ...c, ...(standings.get(c.supplierId) ?? NEUTRAL_STANDING) })),
      policy,
    );
  }

  /** Order.routing: the holders, the other eligible by score, then the excluded in their fixed order; at most 100 rows. */
  private routingRows(holders: RoutingRow[], ranked: ScoredCandidate[], chosen: ScoredCandidate | undefined, excluded: Candidate[]): RoutingRow[] {
    const full = new Set(excluded.filter((c) => c.reason === 'CAPACITY').map((c) => c.supplierId));
    const held = new Set(holders.map((h) => h.supplierId));
    const stillEligible = ranked.filter((c) => c !== chosen && !full.has(c.supplierId) && !held.has(c.supplierId));
    return [
      ...holders,
      ...stillEligible.map((c) => ({ supplierId: c.supplierId, eligible: true, reason: null, score: c.score })),
      ...[...excluded]
        .sort(compareExcluded)
        .filter((c) => !held.has(c.supplierId))
        .map((c) => ({ supplierId: c.supplierId, eligible: false, reason: c.reason, score: null })),
    ].slice(0, MAX_ROUTING_ROWS);
  }

  private async unroutable(em: EntityManager, order: OrderEntity, opts: RouteOptions, holders: RoutingRow[], excluded: Candidate[]): Promise<OrderEntity> {
    const routing = this.routingRows(holders, [], undefined, excluded);
    Object.assign(order, { status: 'UNROUTABLE', routing, updatedAt: opts.now });
    await em.update(OrderEntity, { id: order.id }, { status: 'UNROUTABLE', routing, updatedAt: opts.now });
    await recordOrderEvent(em, order, 'unroutable', opts.actor, { at: this.clock.simulatedNow() });
    return order;
  }

  /**
   * Offers the order to the chosen supplier if a unit of its day is left, and
   * schedules the offer's expiry; with `queueExplanation`, the explanation too.
   * One statement (RoutePassRepository.offerStatement: the unit, the offer, the
   * order, its history event and the due explanation, with the outbox rows of
   * the published event, the expiry job and the explain-routing job). The
   * conditional upsert there is the real capacity check; the pass's CAPACITY
   * reason is only a first filter. Undefined, with nothing written, when the
   * day is full. The event's time, in the history and as published, is the
   * clock's just before the statement, as intake's placed event is.
   */
  private async offer(
    em: EntityManager,
    order: OrderEntity,
    opts: RouteOptions,
    chosen: ScoredCandidate,
    day: string,
    routing: RoutingRow[],
    queueExplanation: boolean,
  ): Promise<OrderEntity | undefined> {
    const { now } = opts;
    const { offerTimeoutSeconds } = await this.terms.termsFor(em, chosen.supplierId);
    const expiresAt = new Date(now.getTime() + offerTimeoutSeconds * 1000);
    const offerId = randomUUID();
    const change: OfferedChange = {
      supplierId: chosen.supplierId,
      capabilityId: chosen.capabilityId,
      priceMinor: chosen.priceMinor,
      offerExpiresAt: expiresAt,
      currentOfferId: offerId,
      routing,
      updatedAt: now,
    };
    const at = this.clock.now();
    const reach = { status: 'OFFERED', clientId: order.clientId, supplierId: chosen.supplierId, acceptedAt: order.acceptedAt };
    const jobs: OutboxJob[] = [
      ...orderEventJobs(order, 'offered', reach, at),
      { name: 'expire-offer', payload: { orderId: order.id, offerId }, options: { runAt: this.clock.realTimeOf(expiresAt) } },
      ...(queueExplanation ? [{ name: 'explain-routing' as const, payload: { orderId: order.id } }] : []),
    ];
    const offer = {
      id: offerId,
      orderId: order.id,
      networkId: order.networkId,
      supplierId: chosen.supplierId,
      capabilityId: chosen.capabilityId,
      capacityDay: day,
      priceMinor: chosen.priceMinor,
      offeredAt: now,
      expiresAt,
    };
    const written = await this.outbox.enqueueWithChange(
      em,
      RoutePassRepository.offerStatement(offer, change, { actor: opts.actor, at }, queueExplanation),
      jobs,
    );
    if (written.length === 0) return undefined;
    return Object.assign(order, { status: 'OFFERED' as const, ...change });
  }
}

type PassedRow = PassContext['passed'][number];

/**
 * Suppliers that held an offer on this order, in offer order: those that passed
 * (DECLINED, EXPIRED; RoutePassRepository.context) and the one holding it now. A
 * withdrawn offer was not the supplier's choice, so it does not count as passing.
 */
function holderRows(passed: readonly PassedRow[], current: { supplierId: string; score: number } | null): RoutingRow[] {
  const out: RoutingRow[] = passed.map((r) => ({ supplierId: r.supplier_id, eligible: false, reason: r.status, score: null }));
  if (current) out.push({ supplierId: current.supplierId, eligible: true, reason: null, score: current.score });
  return out;
}
