import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { Caller } from '@tandem/auth';
import { Clock, DAY_MS, badInput, forbidden, notFound } from '@tandem/common';
import { money, toMoneyOutput } from '@tandem/money';
import { CapabilityService, MemberPolicy, findMember, validateCapabilityChange } from '@tandem/network';
import { selectRows } from '@tandem/persistence';
import { ExclusionShape, STATIC_REASONS, shapeParams } from '../router/candidate.repository';
import { EXCLUSION_REASONS, ExclusionReason } from '../router/exclusion-reason';
import { shapeOf } from '../router/routing-explainer.service';
import { CapabilityReachInput, CapabilityReachObject } from './capability-reach.object';

export const REACH_WINDOW_DAYS = 30;
/** Newest orders looked at: each distinct order shape costs one small statement. */
export const REACH_MAX_ORDERS = 500;

/** A capability as routing's rule reads it (the columns of capability_facts). */
interface TriedCapability {
  id: string;
  networkId: string;
  supplierId: string;
  category: string;
  regions: string[];
  unitPriceMinor: bigint;
  currency: string;
  leadTimeHours: number;
  dailyCapacity: number;
}

interface RecentOrderRow {
  id: string;
  network_id: string;
  client_id: string;
  category: string;
  currency: string;
  region: string;
  quantity: number;
  budget_minor: string;
  deliver_by: Date;
  created_at: Date;
  /** Whether the order holds a unit of the tried capability's capacity on its day. */
  holds_own: boolean;
}

/**
 * Routing's own rule (STATIC_REASONS of candidate.repository.ts, the explainer's
 * scan) asked about a capability that need not exist: the CTE named
 * capability_facts shadows the network's view for this one statement, so the
 * rule reads the tried values and nothing is written. Vetting and the day's
 * capacity use are the real ones ($8 is the capability's id, so an existing
 * capability meets its own capacity_usage rows), less the unit the order
 * itself holds there ($15: 1 or 0), which was not taken yet when it was routed.
 * (Inside a WITH that is not RECURSIVE, capacity_usage names the real table.)
 */
const REASON_OF_TRIED = `
  WITH capability_facts AS (
    SELECT $8::uuid AS id, $1::uuid AS network_id, $9::uuid AS supplier_id, $2::text AS category,
           $10::text[] AS regions, $11::bigint AS unit_price_minor, $12::bpchar AS currency,
           $13::int AS lead_time_hours, $14::int AS daily_capacity
  ),
  capacity_usage AS (
    SELECT capability_id, day, used - CASE WHEN capability_id = $8::uuid THEN $15::int ELSE 0 END AS used FROM capacity_usage
  )
  SELECT reason FROM (${STATIC_REASONS}) x`;

/** Orders that hold no unit of their capability's capacity: the rest (offered, accepted and after) hold one (offer.service.ts gives it back on a close or a cancel). */
const NOT_HOLDING = ['ROUTING', 'UNROUTABLE', 'CANCELLED'];

/**
 * capabilityReach: how many of the network's recent orders a capability (an
 * existing one, a proposed edit of it, or a new one) would have been eligible
 * for. Each order is judged as routing judged it when it was placed: its
 * region, budget per unit, delivery time against the lead time from its
 * placing, and its day's capacity as used now, without the order's own unit.
 * DECLINED and EXPIRED are about offers actually made, so they do not apply;
 * SELF does (the supplier's own orders).
 */
@Injectable()
export class CapabilityReachService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly capabilities: CapabilityService,
    private readonly members: MemberPolicy,
    private readonly clock: Clock,
  ) {}

  async reach(caller: Caller, memberId: string, input: CapabilityReachInput, now = this.clock.now()): Promise<CapabilityReachObject> {
    if (caller.kind === 'ADMIN') throw forbidden();
    const member = await findMember(this.dataSource.manager, caller.networkId, memberId);
    if (!this.members.isSelfOrOperator(caller, member)) throw notFound('Member');
    if (!member.roles.includes('SUPPLIER')) throw badInput('only suppliers offer capabilities', 'memberId');
    const tried = await this.tried(member.networkId, member.id, input);

    const since = new Date(now.getTime() - REACH_WINDOW_DAYS * DAY_MS);
    const orders = await selectRows<RecentOrderRow>(
      this.dataSource.manager,
      `SELECT id, network_id, client_id, category, currency, region, quantity, budget_minor::text AS budget_minor, deliver_by, created_at,
              coalesce(capability_id = $6 AND status <> ALL ($7::text[]), false) AS holds_own
         FROM orders
        WHERE network_id = $1 AND category = $2 AND created_at >= $3 AND created_at <= $4
        ORDER BY created_at DESC, id DESC
        LIMIT $5`,
      [tried.networkId, tried.category, since, now, REACH_MAX_ORDERS, tried.id, NOT_HOLDING],
    );

    const counts = new Map<ExclusionReason, number>();
    let eligible = 0;
    let eligibleAtAnyPrice = 0;
    const atPrice = new ReasonCache(this.dataSource, tried);
    const atAnyPrice = new ReasonCache(this.dataSource, { ...tried, unitPriceMinor: 0n });
    for (const order of orders) {
      // The lead time counts from when the order was routed first, that is placed.
      const shape = shapeOf({ ...order, offered_at: order.created_at });
      const reason = (await atPrice.reasonOf(shape, order.holds_own)) ?? (order.client_id === tried.supplierId ? 'SELF' : null);
      if (reason === null) {
        eligible++;
        eligibleAtAnyPrice++;
        continue;
      }
      counts.set(reason, (counts.get(reason) ?? 0) + 1);
      // Price zero passes the budget test of every order: what is left is what the price alone kept out.
      if (reason === 'OVER_BUDGET' && (await atAnyPrice.reasonOf(shape, order.holds_own)) === null && order.client_id !== tried.supplierId)
        eligibleAtAnyPrice++;
    }

    return {
      windowDays: REACH_WINDOW_DAYS,
      since,
      orders: orders.length,
      eligible,
      eligibleAtAnyPrice,
      excluded: EXCLUSION_REASONS.filter((r) => counts.has(r)).map((reason) => ({ reason, orders: counts.get(reason) as number })),
      unitPrice: toMoneyOutput(money(tried.unitPriceMinor, tried.currency)),
    };
  }

  /** The capability to try, validated as addCapability and updateCapability validate (BAD_USER_INPUT with the field). */
  private async tried(networkId: string, supplierId: string, input: CapabilityReachInput): Promise<TriedCapability> {
    const change = validateCapabilityChange(input);
    if (input.capabilityId != null) {
      const current = (await this.capabilities.forSuppliers([supplierId])).find((c) => c.id === input.capabilityId);
      if (!current) throw notFound('Capability');
      return { ...current, ...change };
    }
    for (const field of ['category', 'regions', 'dailyCapacity', 'leadTimeHours', 'unitPrice'] as const) {
      if (input[field] == null) throw badInput(`${field} is required for a new capability`, field);
    }
    const complete = change as Required<typeof change>;
    return { id: randomUUID(), networkId, supplierId, ...complete };
  }
}

/** Orders of one shape get the same answer: one statement per distinct shape. */
class ReasonCache {
  private readonly seen = new Map<string, ExclusionReason | null>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly tried: TriedCapability,
  ) {}

  async reasonOf(shape: ExclusionShape, holdsOwn: boolean): Promise<ExclusionReason | null> {
    const key = JSON.stringify([shape, holdsOwn], (_, v) => (typeof v === 'bigint' ? v.toString() : v));
    const known = this.seen.get(key);
    if (known !== undefined) return known;
    const t = this.tried;
    const rows = await selectRows<{ reason: ExclusionReason | null }>(this.dataSource.manager, REASON_OF_TRIED, [
      ...shapeParams(shape),
      t.id,
      t.supplierId,
      t.regions,
      t.unitPriceMinor.toString(),
      t.currency,
      t.leadTimeHours,
      t.dailyCapacity,
      holdsOwn ? 1 : 0,
    ]);
    // No row: the member is no supplier of this network any more (checked above, so only in a race): not eligible.
    const reason = rows.length === 0 ? 'NOT_VETTED' : rows[0].reason;
    this.seen.set(key, reason);
    return reason;
  }
}
