import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { DAY_MS, HOUR_MS } from '@tandem/common';
import { bpsOf } from '@tandem/money';
import { SETTING_KEYS } from '../settings/health-settings';
import { HealthSettingsRepository } from '../settings/health-settings.repository';

/** Spelled short for the specs' timelines; the values are libs/common's. */
export const DAY = DAY_MS;
export const HOUR = HOUR_MS;
export const ago = (now: Date, ms: number) => new Date(now.getTime() - ms);

export interface OrderSpec {
  networkId: string;
  clientId: string;
  supplierId?: string | null;
  category?: string;
  currency?: string;
  price?: bigint;
  clientFeeBps?: number;
  supplierFeeBps?: number;
  /** Partners earning 20% of the client fee / of the supplier fee. */
  clientReferrerId?: string | null;
  supplierReferrerId?: string | null;
  createdAt: Date;
  acceptedAt?: Date | null;
  deliverBy: Date;
  fulfilledAt?: Date | null;
  refundedAt?: Date | null;
  cancelledAt?: Date | null;
  status?: string;
}

interface Line {
  code: string;
  memberId: string | null;
  amount: bigint;
  line: string;
}

/**
 * Constructed histories for health tests, written by SQL the way routing and
 * settlement leave them (orders with their frozen breakdown, offers, balanced
 * journal entries with the settlement lib's lines). Health must not import
 * those libs, so the few rules it needs are repeated here. Test code only.
 */
export class HealthHistory {
  constructor(private readonly ds: DataSource) {}

  async network(
    opts: { currency?: string; createdAt?: Date; settings?: Record<string, unknown>; clientFeeBps?: number; supplierFeeBps?: number } = {},
  ): Promise<string> {
    const id = randomUUID();
    const createdAt = opts.createdAt ?? ago(new Date(), 400 * DAY);
    const schedule = {
      clientFeeBps: opts.clientFeeBps ?? 1000,
      supplierFeeBps: opts.supplierFeeBps ?? 500,
      partnerShareBps: 2000,
      partnerShareMonths: 12,
      offerTimeoutSeconds: 900,
    };
    await this.ds.query(
      `INSERT INTO networks (id, name, currency, client_fee_bps, supplier_fee_bps, partner_share_bps, partner_share_months,
                             offer_timeout_seconds, created_at)
       VALUES ($1, 'Circles', $2, $3, $4, 2000, 12, 900, $5)`,
      [id, opts.currency ?? 'USD', schedule.clientFeeBps, schedule.supplierFeeBps, createdAt],
    );
    // Health's settings by their stored names (healthWindowDays...); other settings are not health's and are left out.
    const healthKeys: string[] = Object.values(SETTING_KEYS);
    const health = Object.fromEntries(Object.entries(opts.settings ?? {}).filter(([k]) => healthKeys.includes(k)));
    if (Object.keys(health).length > 0) await HealthSettingsRepository.merge(this.ds.manager, id, health);
    await this.feeChange(id, null, schedule, createdAt);
    return id;
  }

  async member(
    networkId: string,
    roles: string[],
    opts: { name?: string; joinedAt?: Date; referredById?: string | null; vetting?: string | null; baselineMinor?: bigint } = {},
  ): Promise<string> {
    const id = randomUUID();
    const joinedAt = opts.joinedAt ?? ago(new Date(), 300 * DAY);
    const vetting = roles.includes('SUPPLIER') ? (opts.vetting === undefined ? 'VETTED' : opts.vetting) : null;
    await this.ds.query(
      `INSERT INTO members (id, network_id, name, roles, vetting_status, referred_by_id, acquisition_baseline_minor, joined_at, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)`,
      [id, networkId, opts.name ?? roles.join('+'), roles, vetting, opts.referredById ?? null, opts.baselineMinor?.toString() ?? null, joinedAt],
    );
    return id;
  }

  async capability(networkId: string, supplierId: string, category: string, currency = 'USD'): Promise<void> {
    await this.ds.query(
      `INSERT INTO capabilities (id, network_id, supplier_id, category, regions, daily_capacity, lead_time_hours, unit_price_minor, currency)
       VALUES ($1, $2, $3, $4, '{NYC}', 100, 1, 12000, $5)`,
      [randomUUID(), networkId, supplierId, category, currency],
    );
  }

  async feeChange(networkId: string, memberId: string | null, terms: Record<string, number>, at: Date): Promise<void> {
    await this.ds.query(`INSERT INTO fee_term_changes (network_id, member_id, terms, effective_at) VALUES ($1, $2, $3, $4)`, [
      networkId,
      memberId,
      JSON.stringify(terms),
      at,
    ]);
  }

  async vetting(networkId: string, memberId: string, from: string | null, to: string, at: Date): Promise<void> {
    await this.ds.query(
      `INSERT INTO vetting_events (network_id, member_id, from_status, to_status, actor, created_at) VALUES ($1, $2, $3, $4, 'operator:test', $5)`,
      [networkId, memberId, from, to, at],
    );
    await this.ds.query(`UPDATE members SET vetting_status = $2 WHERE id = $1`, [memberId, to]);
  }

  async offer(networkId: string, orderId: string, supplierId: string, status: string, offeredAt: Date): Promise<void> {
    await this.ds.query(
      `INSERT INTO offers (id, order_id, network_id, supplier_id, capacity_day, price_minor, status, offered_at, expires_at, closed_at)
       VALUES ($1, $2, $3, $4, $7, 12000, $6, $5, $8, $9)`,
      [
        randomUUID(),
        orderId,
        networkId,
        supplierId,
        offeredAt,
        status,
        offeredAt.toISOString().slice(0, 10),
        new Date(offeredAt.getTime() + 15 * 60_000),
        status === 'OPEN' ? null : new Date(offeredAt.getTime() + 5 * 60_000),
      ],
    );
  }

  /**
   * An order with its frozen breakdown; posts the fulfilment entry at fulfilledAt
   * and the exact reverse at refundedAt, as settlement does.
   */
  async order(o: OrderSpec): Promise<string> {
    const id = randomUUID();
    const currency = o.currency ?? 'USD';
    const price = o.price ?? 12_000n;
    const clientFee = bpsOf(price, o.clientFeeBps ?? 1000);
    const supplierFee = bpsOf(price, o.supplierFeeBps ?? 500);
    const shares: { partnerId: string; referredId: string; side: string; bps: number; amount: string }[] = [];
    if (o.clientReferrerId)
      shares.push({ partnerId: o.clientReferrerId, referredId: o.clientId, side: 'CLIENT', bps: 2000, amount: bpsOf(clientFee, 2000).toString() });
    if (o.supplierReferrerId && o.supplierId) {
      shares.push({ partnerId: o.supplierReferrerId, referredId: o.supplierId, side: 'SUPPLIER', bps: 2000, amount: bpsOf(supplierFee, 2000).toString() });
    }
    const sharesTotal = shares.reduce((s, x) => s + BigInt(x.amount), 0n);
    const accepted = !!o.acceptedAt;
    const status = o.status ?? (o.refundedAt ? 'REFUNDED' : o.fulfilledAt ? 'FULFILLED' : o.cancelledAt ? 'CANCELLED' : accepted ? 'ACCEPTED' : 'OFFERED');
    await this.ds.query(
      `INSERT INTO orders (id, network_id, client_id, category, region, quantity, deliver_by, budget_minor, currency, status,
                           supplier_id, price_minor, idempotency_key, input_fingerprint, accepted_at, fulfilled_at,
                           cancelled_at, refunded_at, created_at, updated_at)
       VALUES ($1, $2, $3, $4, 'NYC', 1, $5, $6, $7, $8, $9, $6, $10, 'fp', $11, $12, $13, $14, $15, $15)`,
      [
        id,
        o.networkId,
        o.clientId,
        o.category ?? 'flowers',
        o.deliverBy,
        price.toString(),
        currency,
        status,
        o.supplierId ?? null,
        `k-${id}`,
        o.acceptedAt ?? null,
        o.fulfilledAt ?? null,
        o.cancelledAt ?? null,
        o.refundedAt ?? null,
        o.createdAt,
      ],
    );
    if (accepted) {
      // The breakdown settlement freezes at acceptance (libs/settlement/src/fees/order-fees.repository.ts).
      const side = (name: string) => shares.find((x) => x.side === name);
      const cs = side('CLIENT');
      const ss = side('SUPPLIER');
      await this.ds.query(
        `INSERT INTO order_fees (order_id, currency, price_minor, client_fee_bps, supplier_fee_bps, client_fee_minor, supplier_fee_minor,
                                 client_share_partner_id, client_share_referred_id, client_share_bps, client_share_minor,
                                 supplier_share_partner_id, supplier_share_referred_id, supplier_share_bps, supplier_share_minor)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`,
        [
          id,
          currency,
          price.toString(),
          o.clientFeeBps ?? 1000,
          o.supplierFeeBps ?? 500,
          clientFee.toString(),
          supplierFee.toString(),
          cs?.partnerId ?? null,
          cs?.referredId ?? null,
          cs?.bps ?? null,
          cs?.amount ?? null,
          ss?.partnerId ?? null,
          ss?.referredId ?? null,
          ss?.bps ?? null,
          ss?.amount ?? null,
        ],
      );
    }
    if (o.fulfilledAt && o.supplierId) {
      const lines: Line[] = [
        { code: `member:${o.clientId}:receivable`, memberId: o.clientId, amount: price, line: 'PURCHASE' },
        { code: `member:${o.clientId}:receivable`, memberId: o.clientId, amount: clientFee, line: 'CLIENT_FEE' },
        { code: `member:${o.supplierId}:payable`, memberId: o.supplierId, amount: -price, line: 'EARNED' },
        { code: `member:${o.supplierId}:payable`, memberId: o.supplierId, amount: supplierFee, line: 'SUPPLIER_FEE' },
        ...shares.map((s) => ({ code: `member:${s.partnerId}:payable`, memberId: s.partnerId, amount: -BigInt(s.amount), line: 'PARTNER_SHARE' })),
        { code: 'hub:fee-revenue', memberId: null, amount: -(clientFee + supplierFee), line: 'FEE_REVENUE' },
        { code: 'hub:partner-share-expense', memberId: null, amount: sharesTotal, line: 'PARTNER_SHARE_EXPENSE' },
      ].filter((l) => l.amount !== 0n);
      await this.post(o.networkId, currency, `order:${id}:fulfil`, 'ORDER_FULFILMENT', id, lines, o.fulfilledAt);
      if (o.refundedAt) {
        const reverse = lines.map((l) => ({ ...l, amount: -l.amount }));
        await this.post(o.networkId, currency, `order:${id}:refund`, 'ORDER_REFUND', id, reverse, o.refundedAt);
      }
    }
    return id;
  }

  /**
   * A partial refund of a fulfilled order at `at`, as settlement records and
   * posts it (libs/settlement/src/fees/refund-legs.ts): each leg reversed on the
   * cumulative refunded amount, half up; an order_refunds row and its own
   * entry, order:<id>:refund:<n>. The order becomes PARTIALLY_REFUNDED.
   */
  async partialRefund(orderId: string, amount: bigint, at: Date): Promise<void> {
    const [o] = await this.ds.query(
      `SELECT o.network_id, o.client_id, o.supplier_id, f.currency, f.price_minor, f.client_fee_minor, f.supplier_fee_minor,
              f.client_share_partner_id, coalesce(f.client_share_minor, 0) AS client_share_minor,
              f.supplier_share_partner_id, coalesce(f.supplier_share_minor, 0) AS supplier_share_minor,
              (SELECT coalesce(sum(amount_minor), 0) FROM order_refunds r WHERE r.order_id = o.id) AS refunded,
              (SELECT count(*) FROM order_refunds r WHERE r.order_id = o.id) AS n
         FROM orders o JOIN order_fees f ON f.order_id = o.id WHERE o.id = $1`,
      [orderId],
    );
    const price = BigInt(o.price_minor);
    const before = BigInt(o.refunded);
    const soFar = (leg: bigint, refunded: bigint) => (2n * leg * refunded + price) / (2n * price);
    const delta = (leg: string) => soFar(BigInt(leg), before + amount) - soFar(BigInt(leg), before);
    const [clientFee, supplierFee, clientShare, supplierShare] = [o.client_fee_minor, o.supplier_fee_minor, o.client_share_minor, o.supplier_share_minor].map(
      delta,
    );
    const seq = Number(o.n) + 1;
    const key = `order:${orderId}:refund:${seq}`;
    await this.ds.query(
      `INSERT INTO order_refunds (id, order_id, network_id, seq, currency, amount_minor, client_fee_minor, supplier_fee_minor,
                                  client_share_minor, supplier_share_minor, entry_key, created_at, posted_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12)`,
      [randomUUID(), orderId, o.network_id, seq, o.currency, amount, clientFee, supplierFee, clientShare, supplierShare, key, at],
    );
    await this.ds.query(`UPDATE orders SET status = 'PARTIALLY_REFUNDED', updated_at = $2 WHERE id = $1`, [orderId, at]);
    const receivable = `member:${o.client_id}:receivable`;
    const payable = (m: string) => `member:${m}:payable`;
    const lines: Line[] = [
      { code: receivable, memberId: o.client_id, amount: -amount, line: 'PURCHASE' },
      { code: receivable, memberId: o.client_id, amount: -clientFee, line: 'CLIENT_FEE' },
      { code: payable(o.supplier_id), memberId: o.supplier_id, amount, line: 'EARNED' },
      { code: payable(o.supplier_id), memberId: o.supplier_id, amount: -supplierFee, line: 'SUPPLIER_FEE' },
      ...(o.client_share_partner_id
        ? [{ code: payable(o.client_share_partner_id), memberId: o.client_share_partner_id, amount: clientShare, line: 'PARTNER_SHARE' }]
        : []),
      ...(o.supplier_share_partner_id
        ? [{ code: payable(o.supplier_share_partner_id), memberId: o.supplier_share_partner_id, amount: supplierShare, line: 'PARTNER_SHARE' }]
        : []),
      { code: 'hub:fee-revenue', memberId: null, amount: clientFee + supplierFee, line: 'FEE_REVENUE' },
      { code: 'hub:partner-share-expense', memberId: null, amount: -(clientShare + supplierShare), line: 'PARTNER_SHARE_EXPENSE' },
    ].filter((l) => l.amount !== 0n);
    await this.post(o.network_id, o.currency, key, 'ORDER_REFUND', orderId, lines, at);
  }

  /** Feedback on an order, as disputes records it: subject SUPPLIER or CLIENT names the order's party, HUB nobody. */
  async feedback(orderId: string, authorId: string, subject: 'SUPPLIER' | 'CLIENT' | 'HUB', rating: number, at: Date): Promise<void> {
    await this.ds.query(
      `INSERT INTO feedback (id, network_id, order_id, author_id, subject, subject_member_id, rating, created_at)
       SELECT $1, o.network_id, o.id, $3, $4::text, CASE $4::text WHEN 'SUPPLIER' THEN o.supplier_id WHEN 'CLIENT' THEN o.client_id END, $5, $6
         FROM orders o WHERE o.id = $2`,
      [randomUUID(), orderId, authorId, subject, rating, at],
    );
  }

  /** A dispute of an order opened by its client at `at`, already closed with `status` (the order keeps its status). */
  async dispute(orderId: string, status: 'OPEN' | 'RESOLVED' | 'REJECTED', at: Date): Promise<void> {
    await this.ds.query(
      `INSERT INTO disputes (id, network_id, order_id, opened_by_id, reason, status, order_status_before, currency, created_at, resolved_at)
       SELECT $1, o.network_id, o.id, o.client_id, 'test', $3::text, o.status, o.currency, $4, CASE WHEN $3::text = 'OPEN' THEN NULL ELSE $4::timestamptz END
         FROM orders o WHERE o.id = $2`,
      [randomUUID(), orderId, status, at],
    );
  }

  /** One balanced journal entry at `at`; its postings go in one statement, as the database's balance check wants. */
  async post(networkId: string, currency: string, key: string, kind: string, orderId: string | null, lines: Line[], at: Date): Promise<void> {
    await this.ds.transaction(async (em: EntityManager) => {
      const [entry]: { id: string }[] = await em.query(
        `INSERT INTO journal_entries (network_id, currency, idempotency_key, kind, order_id, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
        [networkId, currency, key, kind, orderId, at],
      );
      const accountIds: string[] = [];
      for (const l of lines) {
        await em.query(
          `INSERT INTO ledger_accounts (network_id, currency, code, member_id) VALUES ($1, $2, $3, $4) ON CONFLICT (network_id, currency, code) DO NOTHING`,
          [networkId, currency, l.code, l.memberId],
        );
        const [acc]: { id: string }[] = await em.query(`SELECT id FROM ledger_accounts WHERE network_id = $1 AND currency = $2 AND code = $3`, [
          networkId,
          currency,
          l.code,
        ]);
        accountIds.push(acc.id);
      }
      await em.query(
        `INSERT INTO postings (entry_id, account_id, amount_minor, line, order_id, created_at)
         SELECT $1, t.account_id, t.amount, t.line, $5, $6 FROM unnest($2::bigint[], $3::bigint[], $4::text[]) AS t(account_id, amount, line)`,
        [entry.id, accountIds, lines.map((l) => l.amount.toString()), lines.map((l) => l.line), orderId, at],
      );
    });
  }

  /** A snapshot as the job would have written it (for the sharp-drop rule and history). */
  async snapshot(networkId: string, memberId: string, score: number, at: Date, atRisk = false): Promise<void> {
    await this.ds.query(
      `INSERT INTO health_snapshots (member_id, network_id, computed_at, score, credibility, reliability, intimacy, self_orientation,
                                     trust, value_to_member_minor, value_to_hub_minor, currency, at_risk)
       VALUES ($1, $2, $3, $4, 5, 5, 5, 5, 3, 0, 0, 'USD', $5)`,
      [memberId, networkId, at, score, atRisk],
    );
  }
}
