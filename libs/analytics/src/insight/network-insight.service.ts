import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock, DAY_MS, Role, requireIntInRange } from '@tandem/common';
import { NetworkStatsService } from '@tandem/health';
import { MEMBER_BUSINESS_LINES } from '@tandem/ledger';
import { InjectReadDataSource } from '@tandem/persistence';
import {
  AcquisitionRetention,
  CategoryPowerBalance,
  MemberLife,
  MembershipMonth,
  RetentionCohort,
  acquisitionVsRetention,
  lastMonths,
  membershipByMonth,
  powerBalance,
  retentionByCohort,
} from './network-insight';

export const DEFAULT_INSIGHT_MONTHS = 12;
export const MAX_INSIGHT_MONTHS = 36;

interface Lives {
  lives: MemberLife[];
  idleDays: number;
}

export interface InsightContext {
  networkId: string;
  months: number;
  now: Date;
  lives: () => Promise<Lives>;
}

/** Reads what the insight functions need (from DATABASE_READ_URL when set: insight may lag); each part is computed only when asked for. */
@Injectable()
export class NetworkInsightService {
  constructor(
    @InjectReadDataSource() private readonly dataSource: DataSource,
    private readonly networks: NetworkStatsService,
    private readonly clock: Clock,
  ) {}

  /**
   * One insight request: the member history is read at most once, however many
   * of membership, cohorts and acquisitionVsRetention the caller asks for.
   */
  context(networkId: string, months: number | null | undefined, now = this.clock.now()): InsightContext {
    const n = months === null || months === undefined ? DEFAULT_INSIGHT_MONTHS : requireIntInRange(months, 'months', 1, MAX_INSIGHT_MONTHS);
    let lives: Promise<Lives> | undefined;
    return { networkId, months: n, now, lives: () => (lives ??= this.lives(networkId)) };
  }

  async membership(ctx: InsightContext): Promise<MembershipMonth[]> {
    const { lives, idleDays } = await ctx.lives();
    return membershipByMonth(lives, lastMonths(ctx.now, ctx.months), idleDays, ctx.now);
  }

  async cohorts(ctx: InsightContext): Promise<RetentionCohort[]> {
    const { lives, idleDays } = await ctx.lives();
    return retentionByCohort(lives, lastMonths(ctx.now, ctx.months), idleDays, ctx.now);
  }

  async acquisitionVsRetention(ctx: InsightContext): Promise<AcquisitionRetention> {
    const { lives, idleDays } = await ctx.lives();
    return acquisitionVsRetention(lives, lastMonths(ctx.now, ctx.months)[0].start, idleDays, ctx.now);
  }

  /**
   * Fulfilled business of the health window in the network's currency, per category and supplier,
   * net of refunds: fully refunded orders are left out, partially refunded ones count at what remains
   * (settlement's order_refund_facts).
   */
  async powerBalance(networkId: string, top: number | null | undefined, now = this.clock.now()): Promise<{ currency: string; rows: CategoryPowerBalance[] }> {
    const n = top === null || top === undefined ? 3 : requireIntInRange(top, 'top', 1, 20);
    const network = await this.networks.network(this.dataSource.manager, networkId);
    const from = new Date(now.getTime() - network.settings.windowDays * DAY_MS);
    const rows: { category: string; supplier_id: string; orders: number; business: string }[] = await this.dataSource.query(
      `SELECT o.category, o.supplier_id, count(*)::int AS orders,
              sum(f.price_minor - coalesce((SELECT sum(x.amount_minor) FROM order_refund_facts x WHERE x.order_id = o.id), 0))::text AS business
         FROM order_facts o JOIN order_fee_facts f ON f.order_id = o.id
        WHERE o.network_id = $1 AND o.fulfilled_at >= $2 AND o.fulfilled_at <= $3 AND o.refunded_at IS NULL
          AND o.currency = $4 AND o.supplier_id IS NOT NULL
        GROUP BY o.category, o.supplier_id`,
      [networkId, from, now, network.currency],
    );
    return {
      currency: network.currency,
      rows: powerBalance(
        rows.map((r) => ({ category: r.category, supplierId: r.supplier_id, orders: r.orders, business: BigInt(r.business) })),
        n,
      ),
    };
  }

  /**
   * Each member's join, revocation and latest business, read from the owners'
   * public views (network's member_facts and vetting_facts, routing's
   * order_facts, the ledger's member_postings). The latest business is three
   * index probes per member (orders_client_created,
   * health_orders_supplier_accepted, health_postings_account_created).
   */
  private async lives(networkId: string): Promise<Lives> {
    const network = await this.networks.network(this.dataSource.manager, networkId);
    const rows: { id: string; roles: Role[]; joined_at: Date; revoked_at: Date | null; last_active: Date }[] = await this.dataSource.query(
      `SELECT m.id, m.roles, m.joined_at,
              CASE WHEN m.vetting_status = 'REVOKED' THEN
                (SELECT max(v.created_at) FROM vetting_facts v WHERE v.member_id = m.id AND v.to_status = 'REVOKED')
              END AS revoked_at,
              GREATEST(
                m.joined_at,
                (SELECT max(o.created_at) FROM order_facts o WHERE o.client_id = m.id),
                (SELECT max(o.accepted_at) FROM order_facts o WHERE o.supplier_id = m.id AND o.accepted_at IS NOT NULL),
                (SELECT max(l.at) FROM member_accounts a
                   CROSS JOIN LATERAL (
                     -- Business lines only: a statement closing the account is not business.
                     SELECT p.created_at AS at FROM member_postings p
                      WHERE p.account_id = a.id AND p.line = ANY($2::text[])
                      ORDER BY p.created_at DESC LIMIT 1) l
                  WHERE a.member_id = m.id)
              ) AS last_active
         FROM member_facts m WHERE m.network_id = $1`,
      [networkId, MEMBER_BUSINESS_LINES],
    );
    return {
      idleDays: network.settings.idleDays,
      lives: rows.map((r) => ({ id: r.id, roles: r.roles, joinedAt: r.joined_at, revokedAt: r.revoked_at, lastActiveAt: r.last_active })),
    };
  }
}
