import { DAY_MS, HOUR_MS } from '@tandem/common';
import { parseAmount } from '@tandem/money';
import { GraphqlClient, GraphqlError, pool } from './graphql-client';
import { Progress } from './hub-day';
import { Random } from './random';

/**
 * `npm run demo -- --days N`: N simulated days at a concierge hub, driven only
 * through the public GraphQL API while the simulated clock (libs/common/src/clock.ts)
 * moves a day at a time. Members join over time, some suppliers grow more reliable
 * and some decline, one client drifts away, one partner's referrals churn, the
 * fees change once, and both sides rate and dispute. Health is snapshotted each
 * simulated day by the worker's own snapshot service, so its trends are real.
 */
export interface QuarterOptions {
  days: number;
  ordersPerDay: number;
  seed: number;
  /** Real seconds: simulated time flows at the real rate within a day, so expiries happen while the day runs. */
  offerTimeoutSeconds: number;
  concurrency: number;
  /** The first simulated day (its midnight, UTC). */
  start: Date;
}

/** What the simulation needs from the processes besides the API: the clock, and the daily snapshot. */
export interface QuarterHooks {
  /** Moves the simulated clock of every process to `at` and returns once they follow. */
  advanceTo(at: Date): Promise<void>;
  /** The worker's health snapshot of the network, taken at the simulated now. */
  snapshot(networkId: string): Promise<void>;
}

export type Trajectory = 'steady' | 'improving' | 'declining';

interface Member {
  id: string;
  name: string;
  roles: string[];
  key: string;
  joinDay: number;
  trajectory?: Trajectory;
  /** Clients: how often they order, relative to the others. */
  weight: number;
  drifter?: boolean;
  referredBy?: string;
}

interface Placed {
  id: string;
  day: number;
  client: Member;
  /** The supplier decided, at acceptance, to deliver after the deadline (the next simulated day). */
  late?: boolean;
  supplierId?: string;
}

export interface QuarterReport {
  network: { id: string; operatorKey: string };
  days: number;
  start: string;
  feeChangeDay: number;
  statusCounts: Record<string, number>;
  /** Per 30-day month: members who joined, were active, kept from the month before, and went quiet. */
  months: { month: number; joined: number; active: number; retained: number; lost: number; orders: number }[];
  /** Members health flagged at risk, with the signal, the day, and their last order day. */
  eroded: { member: string; roles: string[]; flaggedDay: number; reason: string; score: number; lastOrderDay: number | null; stoppedOrdering: boolean }[];
  acquisition: { supplier: string; trajectory: string; orders: number; costPerOrder: string | null; baseline: string | null }[];
  trends: { member: string; roles: string[]; story: string; scores: number[] }[];
  trialBalance: { debits: string; credits: string; balanced: boolean };
  expectedClientTotal: bigint;
  statementClientTotal: bigint;
  statements: number;
  disputes: number;
  ratings: number;
  keys: { operator: string; supplier: { name: string; key: string }; client: { name: string; key: string }; partner: { name: string; key: string } };
  elapsedSeconds: number;
}

const M = {
  createNetwork: `mutation($input: NetworkInput!) { createNetwork(input: $input) { operatorKey network { id } } }`,
  register: `mutation($input: MemberInput!) { registerMember(input: $input) { id } }`,
  key: `mutation($id: ID!) { issueApiKey(memberId: $id) }`,
  capability: `mutation($input: CapabilityInput!) { addCapability(input: $input) { id } }`,
  vet: `mutation($id: ID!) { setVettingStatus(supplierId: $id, status: VETTED, note: "references checked") { id } }`,
  baseline: `mutation($id: ID!, $amount: MoneyInput!) { setAcquisitionBaseline(memberId: $id, amount: $amount) { score } }`,
  fees: `mutation($input: FeeScheduleInput!) { updateFeeSchedule(input: $input) { id } }`,
  healthSettings: `mutation($input: HealthSettingsInput!) { updateHealthSettings(input: $input) { windowDays } }`,
  place: `mutation($input: OrderInput!) { placeOrder(input: $input) { id } }`,
  accept: `mutation($id: ID!) { acceptOrder(orderId: $id) { id } }`,
  decline: `mutation($id: ID!) { declineOrder(orderId: $id, reason: "fully booked") { id } }`,
  fulfil: `mutation($id: ID!) { fulfilOrder(orderId: $id) { id } }`,
  feedback: `mutation($input: FeedbackInput!) { leaveFeedback(input: $input) { id } }`,
  open: `mutation($id: ID!, $reason: String!) { openDispute(orderId: $id, reason: $reason) { id } }`,
  respond: `mutation($id: ID!, $response: String!) { respondToDispute(disputeId: $id, response: $response) { id } }`,
  resolve: `mutation($id: ID!, $refund: MoneyInput, $note: String) { resolveDispute(disputeId: $id, refund: $refund, note: $note) { id } }`,
  settle: `mutation { runSettlement { statements { purchases { amount } clientFees { amount } } } }`,
};
const Q = {
  orders: `query($status: OrderStatus, $after: String) { orders(status: $status, first: 100, after: $after) {
    pageInfo { hasNextPage endCursor } edges { node { id status supplier { id } } } } }`,
  finalOrders: `query($after: String) { orders(first: 100, after: $after) { pageInfo { hasNextPage endCursor }
    edges { node { id status client { id } fees { clientPays { amount } price { amount } } refunds { reversed { clientPays { amount } } } } } } }`,
  status: `query($id: ID!) { order(id: $id) { status } }`,
  balance: `query($id: ID!) { balance(memberId: $id, currency: "USD") { owedToHub { amount } } }`,
  trial: `{ trialBalance(currency: "USD") { debits { amount } credits { amount } balanced } }`,
  events: `query($after: String) { healthEvents(first: 100, after: $after) { pageInfo { hasNextPage endCursor }
    edges { node { at atRisk reason score member { id } } } } }`,
  history: `query($id: ID!, $first: Int) { healthHistory(memberId: $id, first: $first) { score computedAt } }`,
  health: `query($id: ID!) { relationshipHealth(memberId: $id) { acquisitionCostPerOrder { amount } acquisitionBaseline { amount } measures { ordersFulfilled } } }`,
};

const CATEGORIES: Record<string, [number, number]> = { flowers: [30, 90], 'gift-baskets': [60, 150], wine: [20, 80] };
const REGIONS = ['NYC', 'LDN'];
const usd = (amount: string) => parseAmount(amount, 'USD', 'amount', { allowNegative: true });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const POSTED = new Set(['FULFILLED', 'PARTIALLY_REFUNDED', 'DISPUTED', 'REFUNDED']);
const FINAL = new Set(['FULFILLED', 'PARTIALLY_REFUNDED', 'DISPUTED', 'REFUNDED', 'CANCELLED', 'UNROUTABLE']);

/** The supplier's quality on day d, 0 to 1: how often it accepts, delivers on time, and pleases. */
function quality(t: Trajectory, d: number, days: number): number {
  const x = d / Math.max(1, days - 1);
  if (t === 'improving') return 0.45 + 0.5 * x;
  if (t === 'declining') return x < 0.3 ? 0.95 : Math.max(0.3, 0.95 - (x - 0.3) * 1.3);
  return 0.85;
}

export async function runHubQuarter(
  api: GraphqlClient,
  adminKey: string,
  opts: QuarterOptions,
  hooks: QuarterHooks,
  progress: Progress,
): Promise<QuarterReport> {
  const started = Date.now();
  const rnd = new Random(opts.seed);
  const days = opts.days;
  const dayStart = (d: number) => new Date(opts.start.getTime() + d * DAY_MS + 9 * HOUR_MS);
  // The story's turning points, as shares of the run.
  const driftFrom = Math.floor(days * 0.35);
  const driftGoneBy = Math.floor(days * 0.7);
  const churnFrom = Math.floor(days * 0.55);
  const feeChangeDay = Math.floor(days / 2);

  await hooks.advanceTo(dayStart(0));
  const { createNetwork } = await api.request(
    M.createNetwork,
    { input: { name: 'Circles Concierge', currency: 'USD', feeSchedule: { offerTimeoutSeconds: opts.offerTimeoutSeconds } } },
    adminKey,
  );
  const op: string = createNetwork.operatorKey;
  const networkId: string = createNetwork.network.id;
  // Trends need a window shorter than the run (a month at most, a week at least); a fall of 10 points within two weeks flags a member.
  await api.request(M.healthSettings, { input: { windowDays: Math.min(30, Math.max(7, Math.round(days / 3))), sharpDrop: 10, dropLookbackDays: 14 } }, op);

  const register = async (name: string, roles: string[], joinDay: number, referredById?: string): Promise<Member> => {
    const id: string = (await api.request(M.register, { input: { name, roles, referredById } }, op)).registerMember.id;
    const key: string = (await api.request(M.key, { id }, op)).issueApiKey;
    return { id, name, roles, key, joinDay, weight: 1, referredBy: referredById };
  };

  progress.phase('The founding members', 3);
  const partners: Member[] = [];
  for (const name of ['Northstar Referrals', 'Atlas Partners', 'Harbor & Co']) {
    partners.push(await register(name, ['PARTNER'], 0));
    progress.tick();
  }
  progress.done();
  const churningPartner = partners[2];

  // Who joins when: a founding core on day 0, then newcomers through the first two thirds of the run.
  const joinDayOf = (i: number, founders: number, total: number) =>
    i < founders ? 0 : Math.floor(((i - founders + 1) / (total - founders + 1)) * days * 0.66);
  const supplierPlans = Array.from({ length: 14 }, (_, i) => ({
    name: `${['Golden', 'Blue', 'Silver', 'Green', 'Grand', 'Urban', 'Royal', 'Bright', 'Quiet', 'Swift', 'Noble', 'Maple', 'Harbor', 'Little'][i]} ${
      ['Petal', 'Basket', 'Cellar', 'Ribbon', 'Garden', 'Pantry', 'Vine', 'Bloom', 'Orchard', 'Atelier', 'Table', 'Lane', 'Kitchen', 'Carriage'][i]
    }`,
    joinDay: joinDayOf(i, 8, 14),
    trajectory: (i % 4 === 1 ? 'improving' : i % 4 === 2 ? 'declining' : 'steady') as Trajectory,
    category: Object.keys(CATEGORIES)[i % 3],
    referrer: i % 3 === 0 ? partners[0] : i % 3 === 1 ? partners[1] : undefined,
  }));
  const clientPlans = Array.from({ length: 12 }, (_, i) => ({
    name:
      i === 0
        ? 'Maison Hotel Group'
        : `${['Blue', 'Grand', 'Urban', 'Royal', 'Bright', 'Swift', 'Noble', 'Maple', 'Harbor', 'Golden', 'Silver'][i - 1]} ${['Hotel', 'Bank', 'Law Firm', 'Studio', 'Capital', 'Resorts'][i % 6]}`,
    joinDay: joinDayOf(i, 6, 12),
    // The drifter is a big client; the churning partner referred three of them.
    weight: i === 0 ? 3 : 1 + (i % 3) * 0.5,
    referrer: i % 4 === 3 ? churningPartner : i % 4 === 1 ? partners[0] : undefined,
  }));

  const suppliers: Member[] = [];
  const clients: Member[] = [];
  const joinToday = async (d: number) => {
    for (const p of supplierPlans.filter((s) => s.joinDay === d)) {
      const s = await register(p.name, ['SUPPLIER'], d, p.referrer?.id);
      s.trajectory = p.trajectory;
      const [lo, hi] = CATEGORIES[p.category];
      const price = `${rnd.int(lo, hi)}.00`;
      await api.request(
        M.capability,
        {
          input: {
            supplierId: s.id,
            category: p.category,
            regions: REGIONS,
            dailyCapacity: 60,
            leadTimeHours: 0,
            unitPrice: { amount: price, currency: 'USD' },
          },
        },
        op,
      );
      await api.request(M.vet, { id: s.id }, op);
      await api.request(M.baseline, { id: s.id, amount: { amount: `${rnd.int(40, 120)}.00`, currency: 'USD' } }, op);
      suppliers.push(s);
    }
    for (const [i, p] of clientPlans.entries()) {
      if (p.joinDay !== d) continue;
      const c = await register(p.name, ['CLIENT'], d, p.referrer?.id);
      c.weight = p.weight;
      c.drifter = i === 0;
      clients.push(c);
    }
  };

  const placed: Placed[] = [];
  const byId = new Map<string, Placed>();
  const lastOrderDay = new Map<string, number>();
  const activeByMonth = new Map<number, Set<string>>();
  const joinedByMonth = new Map<number, number>();
  const ordersByMonth = new Map<number, number>();
  const monthOf = (d: number) => Math.floor(d / 30);
  const markActive = (memberId: string, d: number) => {
    lastOrderDay.set(memberId, d);
    const set = activeByMonth.get(monthOf(d)) ?? new Set<string>();
    set.add(memberId);
    activeByMonth.set(monthOf(d), set);
  };
  let lateCarry: Placed[] = [];
  let disputes = 0;
  let ratings = 0;

  /** How much a client orders on day d: the drifter fades out, the churning partner's referrals stop. */
  const weightOn = (c: Member, d: number) => {
    if (c.drifter && d >= driftFrom) return c.weight * Math.max(0, (driftGoneBy - d) / (driftGoneBy - driftFrom));
    if (c.referredBy === churningPartner.id && d >= churnFrom) return 0;
    return c.weight;
  };
  const supplierOf = (id: string) => {
    const s = suppliers.find((x) => x.id === id);
    if (!s) throw new Error(`supplier ${id} is not part of this demo`);
    return s;
  };

  progress.phase(`Simulating ${days} days`, days);
  for (let d = 0; d < days; d++) {
    await hooks.advanceTo(dayStart(d));
    const before = suppliers.length + clients.length;
    await joinToday(d);
    joinedByMonth.set(monthOf(d), (joinedByMonth.get(monthOf(d)) ?? 0) + suppliers.length + clients.length - before + (d === 0 ? partners.length : 0));
    if (d === feeChangeDay && d > 0) await api.request(M.fees, { input: { clientFeeBps: 1200 } }, op);

    // Yesterday's late deliveries arrive first, after their deadline.
    const fulfilledToday: Placed[] = [];
    await pool(lateCarry, opts.concurrency, async (p) => {
      await tolerate(api.request(M.fulfil, { id: p.id }, supplierOf(p.supplierId as string).key));
      fulfilledToday.push(p);
    });
    lateCarry = [];

    // The day's orders, spread over the clients by how much each orders today.
    const weights = clients.map((c) => weightOn(c, d));
    const total = weights.reduce((a, b) => a + b, 0);
    const today: Placed[] = [];
    const inputs = Array.from({ length: total > 0 ? opts.ordersPerDay : 0 }, (_, n) => {
      let r = rnd.next() * total;
      let ci = 0;
      while (r >= weights[ci] && ci < clients.length - 1) r -= weights[ci++];
      const category = rnd.pick(Object.keys(CATEGORIES));
      const [, hi] = CATEGORIES[category];
      const quantity = rnd.int(1, 3);
      return {
        client: clients[ci],
        input: {
          category,
          region: rnd.pick(REGIONS),
          quantity,
          // Due later today: a delivery held over to tomorrow is late.
          deliverBy: new Date(dayStart(d).getTime() + rnd.int(6, 12) * HOUR_MS).toISOString(),
          budget: { amount: `${hi * quantity * 2}.00`, currency: 'USD' },
          idempotencyKey: `quarter-${opts.seed}-${d}-${n}`,
        },
      };
    });
    await pool(inputs, opts.concurrency, async (x) => {
      const id: string = (await api.request(M.place, { input: x.input }, x.client.key)).placeOrder.id;
      const p: Placed = { id, day: d, client: x.client };
      today.push(p);
      byId.set(id, p);
      markActive(x.client.id, d);
    });
    placed.push(...today);
    ordersByMonth.set(monthOf(d), (ordersByMonth.get(monthOf(d)) ?? 0) + today.length);

    // Offers are answered by each supplier's quality today; an ignored one expires (real seconds) and routes on.
    const answered = new Set<string>();
    const open = new Set(today.map((p) => p.id));
    for (const until = Date.now() + Math.max(60_000, opts.ordersPerDay * 1_000); open.size > 0; await sleep(100)) {
      if (Date.now() > until) throw new Error(`day ${d + 1}: ${open.size} orders did not settle`);
      const offered = (await listOrders('OFFERED')).filter((o) => open.has(o.id));
      // Drawn in listing order before any request, so the answers do not depend on which request returns first.
      const answers = offered
        .filter((o) => !answered.has(`${o.id}:${o.supplier.id}`))
        .map((o) => {
          answered.add(`${o.id}:${o.supplier.id}`);
          const s = supplierOf(o.supplier.id);
          const q = quality(s.trajectory ?? 'steady', d, days);
          const r = rnd.next();
          return { o, s, answer: r < q ? M.accept : r < q + (1 - q) * 0.2 ? null : M.decline }; // null: ignored, it expires
        });
      await pool(answers, opts.concurrency, async ({ o, s, answer }) => {
        if (answer) await tolerate(api.request(answer, { id: o.id }, s.key));
      });
      const accepted = (await listOrders('ACCEPTED')).filter((o) => open.has(o.id));
      const seen = new Set([...offered.map((o) => o.id), ...accepted.map((o) => o.id)]);
      const toFulfil: Placed[] = [];
      for (const o of accepted) {
        const p = byId.get(o.id) as Placed;
        open.delete(o.id);
        p.supplierId = o.supplier.id;
        const q = quality(supplierOf(o.supplier.id).trajectory ?? 'steady', d, days);
        if (rnd.next() < (1 - q) * 0.6) {
          p.late = true;
          lateCarry.push(p);
        } else toFulfil.push(p);
      }
      await pool(toFulfil, opts.concurrency, async (p) => {
        await tolerate(api.request(M.fulfil, { id: p.id }, supplierOf(p.supplierId as string).key));
        fulfilledToday.push(p);
      });
      // Neither offered nor accepted: still routing, or no supplier could take it.
      const unseen = [...open].filter((id) => !seen.has(id));
      await pool(unseen, opts.concurrency, async (id) => {
        if ((await api.request(Q.status, { id }, op)).order.status === 'UNROUTABLE') open.delete(id);
      });
    }

    // Both sides have their say on what was delivered today.
    await pool(fulfilledToday, opts.concurrency, async (p) => {
      const s = supplierOf(p.supplierId as string);
      markActive(s.id, d);
      const q = quality(s.trajectory ?? 'steady', d, days);
      const drifting = p.client.drifter && d >= driftFrom;
      if (rnd.chance(0.5)) {
        const rating = Math.min(5, Math.max(1, Math.round(1 + 4 * q + (rnd.next() - 0.5) - (p.late ? 1.5 : 0) - (drifting ? 1 : 0))));
        await api.request(M.feedback, { input: { orderId: p.id, subject: 'SUPPLIER', rating } }, p.client.key);
        ratings++;
      }
      // The drifting client tells the hub what it thinks before it goes quiet.
      if (drifting || rnd.chance(0.12)) {
        const rating = drifting ? rnd.int(1, 2) : rnd.int(3, 5);
        await api.request(
          M.feedback,
          { input: { orderId: p.id, subject: 'HUB', rating, comment: drifting ? 'we expected more for the fee' : null } },
          p.client.key,
        );
        ratings++;
      }
      if (rnd.chance(0.2)) {
        await api.request(M.feedback, { input: { orderId: p.id, subject: 'CLIENT', rating: rnd.int(3, 5) } }, s.key);
        ratings++;
      }
      if (rnd.chance(drifting ? 0.25 : p.late ? 0.15 : (1 - q) * 0.04)) {
        const dispute = (await api.request(M.open, { id: p.id, reason: p.late ? 'arrived after the event' : 'not what was ordered' }, p.client.key))
          .openDispute;
        disputes++;
        await api.request(M.respond, { id: dispute.id, response: 'we are sorry; happy to make it right' }, s.key);
        const refund = disputes % 2 === 1 ? { amount: '10.00', currency: 'USD' } : null;
        await api.request(M.resolve, { id: dispute.id, refund, note: refund ? 'part refunded' : 'delivered as ordered' }, op);
      }
    });

    await hooks.snapshot(networkId);
    progress.tick();
  }
  // The last day's late deliveries arrive the morning after.
  if (lateCarry.length) {
    await hooks.advanceTo(dayStart(days));
    await pool(lateCarry, opts.concurrency, async (p) => {
      await tolerate(api.request(M.fulfil, { id: p.id }, supplierOf(p.supplierId as string).key));
      markActive(supplierOf(p.supplierId as string).id, days - 1);
    });
  }
  progress.done();

  // Every fulfilment and refund posted, then one settlement run closes the quarter into statements.
  progress.phase('Postings and settlement', clients.length + 1);
  const finalOrders = await listAll(Q.finalOrders);
  const expectedByClient = new Map<string, bigint>();
  let expectedClientTotal = 0n;
  const statusCounts: Record<string, number> = {};
  for (const o of finalOrders) {
    statusCounts[o.status] = (statusCounts[o.status] ?? 0) + 1;
    if (!FINAL.has(o.status)) throw new Error(`order ${o.id} ended the run ${o.status}`);
    if (!POSTED.has(o.status)) continue;
    const givenBack = (o.refunds as any[]).reduce((sum: bigint, r: any) => sum + usd(r.reversed.clientPays.amount), 0n);
    const amount = usd(o.fees.clientPays.amount) - givenBack;
    expectedClientTotal += amount;
    expectedByClient.set(o.client.id, (expectedByClient.get(o.client.id) ?? 0n) + amount);
  }
  for (const c of clients) {
    const want = expectedByClient.get(c.id) ?? 0n;
    for (const until = Date.now() + 60_000; usd((await api.request(Q.balance, { id: c.id }, op)).balance.owedToHub.amount) !== want; await sleep(100)) {
      if (Date.now() > until) throw new Error(`postings for ${c.name} did not arrive within 60 s`);
    }
    progress.tick();
  }
  const run = (await api.request(M.settle, {}, op)).runSettlement;
  const statementClientTotal = run.statements.reduce((sum: bigint, s: any) => sum + usd(s.purchases.amount) + usd(s.clientFees.amount), 0n);
  const trialBalance = (await api.request(Q.trial, {}, op)).trialBalance;
  progress.tick();
  progress.done();

  progress.phase('Health over the run', suppliers.length + clients.length + 1);
  const everyone = [...partners, ...suppliers, ...clients];
  const memberById = new Map(everyone.map((m) => [m.id, m]));
  const dayOf = (at: string) => Math.floor((new Date(at).getTime() - opts.start.getTime()) / DAY_MS);
  const events = (await listAll(Q.events)).filter((e: any) => e.atRisk);
  progress.tick();
  const firstFlag = new Map<string, any>();
  for (const e of [...events].sort((a: any, b: any) => a.at.localeCompare(b.at))) if (!firstFlag.has(e.member.id)) firstFlag.set(e.member.id, e);
  const eroded: QuarterReport['eroded'] = [...firstFlag.values()]
    .filter((e: any) => memberById.has(e.member.id))
    .map((e: any) => {
      const m = memberById.get(e.member.id) as Member;
      const last = lastOrderDay.get(m.id) ?? null;
      return {
        member: m.name,
        roles: m.roles,
        flaggedDay: dayOf(e.at),
        reason: e.reason,
        score: e.score,
        lastOrderDay: last,
        // Quiet for the last tenth of the run (a week at least): it stopped.
        stoppedOrdering: last !== null && last < days - Math.max(7, Math.round(days / 10)),
      };
    })
    .sort((a, b) => a.flaggedDay - b.flaggedDay);

  const trends: QuarterReport['trends'] = [];
  const acquisition: QuarterReport['acquisition'] = [];
  await pool([...suppliers, ...clients], opts.concurrency, async (m) => {
    const history: { score: number; computedAt: string }[] = (await api.request(Q.history, { id: m.id, first: days + 1 }, op)).healthHistory;
    const story = m.trajectory
      ? m.trajectory
      : m.drifter
        ? 'drifts away'
        : m.referredBy === churningPartner.id
          ? `referred by ${churningPartner.name}, churns`
          : 'steady';
    // A snapshot is stored when something moved; each day shows the latest one taken by then.
    const oldestFirst = [...history].reverse();
    const scores: number[] = [];
    for (let d = m.joinDay, i = -1; d < days; d++) {
      while (i + 1 < oldestFirst.length && dayOf(oldestFirst[i + 1].computedAt) <= d) i++;
      if (i >= 0) scores.push(oldestFirst[i].score);
    }
    trends.push({ member: m.name, roles: m.roles, story, scores });
    if (m.roles.includes('SUPPLIER')) {
      const h = (await api.request(Q.health, { id: m.id }, op)).relationshipHealth;
      acquisition.push({
        supplier: m.name,
        trajectory: m.trajectory ?? 'steady',
        orders: h.measures.ordersFulfilled,
        costPerOrder: h.acquisitionCostPerOrder?.amount ?? null,
        baseline: h.acquisitionBaseline?.amount ?? null,
      });
    }
    progress.tick();
  });
  progress.done();

  const months: QuarterReport['months'] = [];
  for (let m = 0; m <= monthOf(days - 1); m++) {
    const active = activeByMonth.get(m) ?? new Set<string>();
    const prev = activeByMonth.get(m - 1) ?? new Set<string>();
    months.push({
      month: m + 1,
      joined: joinedByMonth.get(m) ?? 0,
      active: active.size,
      retained: [...active].filter((id) => prev.has(id)).length,
      lost: [...prev].filter((id) => !active.has(id)).length,
      orders: ordersByMonth.get(m) ?? 0,
    });
  }

  const ordersOf = (id: string) => acquisition.find((a) => a.supplier === memberById.get(id)?.name)?.orders ?? 0;
  const improving = [...suppliers].sort(
    (a, b) => Number(b.trajectory === 'improving') - Number(a.trajectory === 'improving') || ordersOf(b.id) - ordersOf(a.id),
  )[0];
  const steadyClient = clients.find((c) => !c.drifter && c.referredBy !== churningPartner.id) ?? clients[0];
  return {
    network: { id: networkId, operatorKey: op },
    days,
    start: opts.start.toISOString(),
    feeChangeDay,
    statusCounts,
    months,
    eroded,
    acquisition,
    trends,
    trialBalance: { debits: trialBalance.debits.amount, credits: trialBalance.credits.amount, balanced: trialBalance.balanced },
    expectedClientTotal,
    statementClientTotal,
    statements: run.statements.length,
    disputes,
    ratings,
    keys: {
      operator: op,
      supplier: { name: improving.name, key: improving.key },
      client: { name: steadyClient.name, key: steadyClient.key },
      partner: { name: partners[0].name, key: partners[0].key },
    },
    elapsedSeconds: (Date.now() - started) / 1000,
  };

  async function listOrders(status: string): Promise<any[]> {
    const out: any[] = [];
    let after: string | null = null;
    do {
      const page: any = (await api.request(Q.orders, { status, after }, op)).orders;
      out.push(...page.edges.map((e: any) => e.node));
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
    } while (after);
    return out;
  }

  async function listAll(query: string): Promise<any[]> {
    const out: any[] = [];
    let after: string | null = null;
    do {
      const data: any = await api.request(query, { after }, op);
      const page: any = Object.values(data)[0];
      out.push(...page.edges.map((e: any) => e.node));
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
    } while (after);
    return out;
  }
}

/** An offer can expire or move on between listing and answering: that is the day's normal churn. */
async function tolerate(p: Promise<unknown>): Promise<void> {
  try {
    await p;
  } catch (e) {
    if (!(e instanceof GraphqlError && (e.code === 'BAD_USER_INPUT' || e.code === 'NOT_FOUND'))) throw e;
  }
}
