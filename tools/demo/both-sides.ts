import { formatAmount, parseAmount } from '@tandem/money';
import { GraphqlClient, pool } from './graphql-client';
import { Random } from './random';

/**
 * The part of the hub day where both sides have a say (docs/api.md, "Feedback,
 * disputes and partial refunds"): clients and suppliers rate each other and the
 * hub, a few clients dispute an order, the operator resolves or rejects those
 * disputes, and refunds part of a few other orders. Everything goes through the
 * public GraphQL API, like the rest of the demo.
 */

export type Profile = 'reliable' | 'average' | 'flaky';

export interface SayParty {
  id: string;
  name: string;
  key?: string;
  profile?: Profile;
}

/** A fulfilled order of the day, with what the simulation knows about it. */
export interface SayOrder {
  id: string;
  /** The order's place in the day's plan: what seeds its feedback, so a seed replays it whatever the listing order. */
  index: number;
  late: boolean;
  client: SayParty;
  supplier: SayParty;
}

/** How a dispute of the day ends; the cycle gives every outcome a place even in a small day. */
export type DisputeOutcome = 'refund-part' | 'rejected' | 'refund-all' | 'open';
const OUTCOMES: readonly DisputeOutcome[] = ['refund-part', 'rejected', 'refund-part', 'refund-all', 'open'];

/** What a day's say plans; the report reads the result back from the API, not from here. */
export interface SayPlan {
  disputes: { order: SayOrder; outcome: DisputeOutcome; supplierAnswers: boolean }[];
  /** Orders refunded in part outside any dispute, each with its refunds' shares of the price in basis points. */
  partialRefunds: { order: SayOrder; sharesBps: number[] }[];
}

/** Weights of ratings 1..5: what a client says of a supplier follows how the supplier behaves. */
const SUPPLIER_RATING: Record<Profile, number[]> = {
  reliable: [0, 0, 1, 4, 10],
  average: [0, 2, 5, 7, 3],
  flaky: [2, 5, 5, 2, 1],
};
/** A late delivery, or one the client goes on to dispute, rarely earns praise. */
const LATE_RATING = [3, 4, 2, 1, 0];
const DISPUTED_RATING = [6, 3, 1, 0, 0];
/** What suppliers say of their clients; a disputing client is a harder one. */
const CLIENT_RATING = [0, 1, 2, 7, 6];
const DISPUTING_CLIENT_RATING = [2, 4, 3, 1, 0];
/** Most members are content with the hub; a few feel it takes too much, and health should flag them. */
const CONTENT_WITH_HUB = [0, 0, 2, 6, 5];
const UNHAPPY_WITH_HUB = [3, 6, 2, 0, 0];
const UNHAPPY_SHARE = 0.1;

/** Shares of fulfilled orders on which each side rates; the feedback is most of this phase's requests, so they stay modest. */
const SHARE = { clientRatesSupplier: 0.4, clientRatesHub: 0.15, supplierRatesClient: 0.25, supplierRatesHub: 0.15, supplierAnswersDispute: 0.8 };
/** Of the fulfilled orders: this share is disputed, and this share refunded in part; at least a few of each. */
const DISPUTED_SHARE = 0.02;
const MIN_DISPUTES = OUTCOMES.length;
const PARTIALLY_REFUNDED_SHARE = 0.015;
const MIN_PARTIAL_REFUNDS = 3;

const COMMENTS: Record<number, string[]> = {
  1: ['arrived crushed', 'nobody answered the phone', 'not what was ordered'],
  2: ['late and incomplete', 'fine in the end, but stressful'],
  3: ['as expected', 'ok, a little late'],
  4: ['good work', 'smooth, thank you'],
  5: ['perfect, the guest loved it', 'exactly right, on time'],
};
const DISPUTE_REASONS = ['the basket arrived crushed', 'two bottles were missing', 'delivered to the wrong address', 'the flowers had wilted'];
const ANSWERS = [
  'the courier confirms delivery in good order',
  'we packed it with care; happy to send a replacement',
  'the address on the order was the old one',
];
const REFUND_REASONS = ['goodwill: delivered late', 'one item was out of stock', 'damaged in transit'];

const M = {
  open: `mutation($id: ID!, $reason: String!) { openDispute(orderId: $id, reason: $reason) { id } }`,
  respond: `mutation($id: ID!, $response: String!) { respondToDispute(disputeId: $id, response: $response) { id } }`,
  resolve: `mutation($id: ID!, $refund: MoneyInput, $note: String) { resolveDispute(disputeId: $id, refund: $refund, note: $note) { id status } }`,
  partial: `mutation($id: ID!, $amount: MoneyInput!, $reason: String) { refundOrderPartially(orderId: $id, amount: $amount, reason: $reason) { id status } }`,
};
const PRICE = `query($id: ID!) { order(id: $id) { fees { price { amount currency } } } }`;

/** A rating drawn from weights of 1..5. */
function weighted(r: Random, weights: readonly number[]): number {
  let x = r.next() * weights.reduce((a, b) => a + b, 0);
  for (let i = 0; i < weights.length; i++) {
    x -= weights[i];
    if (x < 0) return i + 1;
  }
  return weights.length;
}

/** Deterministic per order and purpose, like the suppliers' answers to offers (hub-day.ts): one choice never shifts another. */
const PURPOSES = { feedback: 1, dispute: 2, refund: 3 } as const;
const orderRandom = (seed: number, index: number, purpose: keyof typeof PURPOSES) =>
  new Random(seed * 7919 + (index + 2) * 15485863 + PURPOSES[purpose] * 40503);

/**
 * Which orders are disputed (and how each ends) and which are refunded in part:
 * drawn from `rnd` over the orders sorted by their place in the plan, so the
 * same fulfilled orders give the same choice whatever order the API listed them in.
 */
export function planSay(rnd: Random, seed: number, fulfilled: readonly SayOrder[]): SayPlan {
  const candidates = [...fulfilled].filter((o) => o.client.id !== o.supplier.id).sort((a, b) => a.index - b.index);
  const disputeCount = Math.min(candidates.length, Math.max(MIN_DISPUTES, Math.round(fulfilled.length * DISPUTED_SHARE)));
  const disputed = rnd.sample(candidates, disputeCount);
  const taken = new Set(disputed.map((o) => o.id));
  const rest = candidates.filter((o) => !taken.has(o.id));
  const partialCount = Math.min(rest.length, Math.max(MIN_PARTIAL_REFUNDS, Math.round(fulfilled.length * PARTIALLY_REFUNDED_SHARE)));
  return {
    disputes: disputed.map((order, k) => ({
      order,
      outcome: OUTCOMES[k % OUTCOMES.length],
      supplierAnswers: orderRandom(seed, order.index, 'dispute').chance(SHARE.supplierAnswersDispute),
    })),
    partialRefunds: rnd.sample(rest, partialCount).map((order) => {
      const r = orderRandom(seed, order.index, 'refund');
      // Two refunds on some orders; together at most 70% of the price, so the order stays PARTIALLY_REFUNDED.
      const first = r.int(1000, 4000);
      return { order, sharesBps: r.chance(0.3) ? [first, r.int(500, 3000)] : [first] };
    }),
  };
}

/** Whether each member is unhappy with the hub, drawn over the members in the order given (the community's, fixed by the seed). */
export function hubMoods(seed: number, members: readonly SayParty[]): Map<string, boolean> {
  const r = new Random(seed + 0x5eed);
  return new Map(members.map((m) => [m.id, r.chance(UNHAPPY_SHARE)]));
}

interface FeedbackInput {
  orderId: string;
  subject: 'SUPPLIER' | 'CLIENT' | 'HUB';
  rating: number;
  comment: string | null;
}

/** The feedback left on one order, by author (the client, then the supplier); a dispute colours it. */
function feedbackFor(seed: number, o: SayOrder, disputed: boolean, unhappy: Map<string, boolean>): { author: SayParty; inputs: FeedbackInput[] }[] {
  const r = orderRandom(seed, o.index, 'feedback');
  // Every draw is made whatever the branch, so one choice never shifts the next.
  const draws = {
    clientRatesSupplier: r.chance(SHARE.clientRatesSupplier),
    supplierRating: weighted(r, disputed ? DISPUTED_RATING : o.late ? LATE_RATING : SUPPLIER_RATING[o.supplier.profile ?? 'average']),
    clientRatesHub: r.chance(SHARE.clientRatesHub),
    clientHubRating: weighted(r, unhappy.get(o.client.id) ? UNHAPPY_WITH_HUB : CONTENT_WITH_HUB),
    supplierRatesClient: r.chance(SHARE.supplierRatesClient),
    clientRating: weighted(r, disputed ? DISPUTING_CLIENT_RATING : CLIENT_RATING),
    supplierRatesHub: r.chance(SHARE.supplierRatesHub),
    supplierHubRating: weighted(r, unhappy.get(o.supplier.id) ? UNHAPPY_WITH_HUB : CONTENT_WITH_HUB),
    comment: r.next(),
  };
  const comment = (rating: number) => COMMENTS[rating][Math.floor(draws.comment * COMMENTS[rating].length)];
  const input = (subject: FeedbackInput['subject'], rating: number, withComment = false): FeedbackInput => ({
    orderId: o.id,
    subject,
    rating,
    comment: withComment ? comment(rating) : null,
  });
  const byClient: FeedbackInput[] = [];
  const bySupplier: FeedbackInput[] = [];
  // A disputing client always says what it thinks of the supplier.
  if (disputed || draws.clientRatesSupplier) byClient.push(input('SUPPLIER', draws.supplierRating, true));
  if (draws.clientRatesHub) byClient.push(input('HUB', draws.clientHubRating));
  if (draws.supplierRatesClient) bySupplier.push(input('CLIENT', draws.clientRating, true));
  if (draws.supplierRatesHub) bySupplier.push(input('HUB', draws.supplierHubRating));
  return [
    { author: o.client, inputs: byClient },
    { author: o.supplier, inputs: bySupplier },
  ].filter((a) => a.inputs.length > 0);
}

/** One request for all an author says on an order: a field per feedback (mutation fields run one after the other). */
function leaveAll(api: GraphqlClient, author: SayParty, inputs: FeedbackInput[]): Promise<unknown> {
  const vars = inputs.map((_, i) => `$f${i}: FeedbackInput!`).join(', ');
  const fields = inputs.map((_, i) => `f${i}: leaveFeedback(input: $f${i}) { id }`).join(' ');
  return api.request(`mutation(${vars}) { ${fields} }`, Object.fromEntries(inputs.map((f, i) => [`f${i}`, f])), keyOf(author));
}

export interface SayContext {
  api: GraphqlClient;
  operatorKey: string;
  seed: number;
  concurrency: number;
  tick: (n?: number) => void;
}

/** Steps the day's say will take, for a progress bar. */
export const sayWork = (fulfilled: readonly SayOrder[], plan: SayPlan) => fulfilled.length + plan.disputes.length + plan.partialRefunds.length;

/** Feedback on the fulfilled orders, then the disputes and their endings, then the partial refunds. */
export async function runSay(ctx: SayContext, fulfilled: readonly SayOrder[], plan: SayPlan, unhappy: Map<string, boolean>): Promise<void> {
  const { api, operatorKey: op } = ctx;
  const disputedIds = new Set(plan.disputes.map((d) => d.order.id));
  await pool([...fulfilled], ctx.concurrency, async (o) => {
    if (o.client.id !== o.supplier.id) {
      for (const { author, inputs } of feedbackFor(ctx.seed, o, disputedIds.has(o.id), unhappy)) await leaveAll(api, author, inputs);
    }
    ctx.tick();
  });

  await pool(plan.disputes, ctx.concurrency, async ({ order, outcome, supplierAnswers }) => {
    const r = orderRandom(ctx.seed, order.index, 'dispute');
    r.next(); // the draw planSay made for the supplier's answer
    const { price } = await priceOf(api, op, order.id);
    const dispute = (await api.request(M.open, { id: order.id, reason: DISPUTE_REASONS[r.int(0, DISPUTE_REASONS.length - 1)] }, keyOf(order.client)))
      .openDispute;
    if (supplierAnswers) await api.request(M.respond, { id: dispute.id, response: ANSWERS[r.int(0, ANSWERS.length - 1)] }, keyOf(order.supplier));
    if (outcome === 'refund-part') {
      const amount = share(price.minor, r.int(2000, 6000));
      await api.request(M.resolve, { id: dispute.id, refund: money(amount, price.currency), note: 'part of the order was not as described' }, op);
    } else if (outcome === 'refund-all') {
      await api.request(M.resolve, { id: dispute.id, refund: money(price.minor, price.currency), note: 'refunded in full' }, op);
    } else if (outcome === 'rejected') {
      await api.request(M.resolve, { id: dispute.id, refund: null, note: 'the delivery record shows the order as agreed' }, op);
    }
    ctx.tick();
  });

  await pool(plan.partialRefunds, ctx.concurrency, async ({ order, sharesBps }) => {
    const { price } = await priceOf(api, op, order.id);
    for (const [n, bps] of sharesBps.entries()) {
      const reason = REFUND_REASONS[(order.index + n) % REFUND_REASONS.length];
      await api.request(M.partial, { id: order.id, amount: money(share(price.minor, bps), price.currency), reason }, op);
    }
    ctx.tick();
  });
}

async function priceOf(api: GraphqlClient, op: string, orderId: string): Promise<{ price: { minor: bigint; currency: string } }> {
  const { order } = await api.request(PRICE, { id: orderId }, op);
  const { amount, currency } = order.fees.price;
  return { price: { minor: parseAmount(amount, currency), currency } };
}

/** bps/10000 of an amount in minor units, rounded down, and never zero (a refund is more than nothing). */
function share(minor: bigint, bps: number): bigint {
  const part = (minor * BigInt(bps)) / 10_000n;
  return part > 0n ? part : 1n;
}

const money = (minor: bigint, currency: string) => ({ amount: formatAmount(minor, currency), currency });

function keyOf(party: SayParty): string {
  if (!party.key) throw new Error(`${party.name} has no key`);
  return party.key;
}

/** The report's view of the say, computed from what the API returns for the day's final orders. */
export interface SaySummary {
  ratings: {
    /** Ratings clients gave each supplier, with the behaviour the simulation gave it. */
    bySupplier: { memberId: string; supplier: string; profile: Profile | null; count: number; sum: number }[];
    /** Ratings of the hub, by the side of the order that gave them. */
    ofHub: { side: 'CLIENT' | 'SUPPLIER'; count: number; sum: number; histogram: number[] }[];
    ofClients: { count: number; sum: number };
    /** Members the hub's health flags for rating it low. */
    lowHubRaters: string[];
  };
  disputes: { opened: number; resolvedWithRefund: number; rejected: number; open: number; answered: number };
  refunds: { currency: string; count: number; orders: number; amount: string; clientGotBack: string }[];
}

export interface FinalOrderSay {
  id: string;
  status: string;
  supplier: { id: string } | null;
  feedback: { subject: string; rating: number; author: { id: string } }[];
  dispute: { status: string; supplierResponse: string | null } | null;
  refunds: { amount: { amount: string; currency: string }; reversed: { clientPays: { amount: string } } }[];
}

/** GraphQL fields of an order the summary needs. */
export const FINAL_ORDER_SAY_FIELDS = `supplier { id } feedback { subject rating author { id } }
  dispute { status supplierResponse } refunds { amount { amount currency } reversed { clientPays { amount } } }`;

export function summariseSay(
  orders: readonly FinalOrderSay[],
  clientOf: (orderId: string) => string,
  suppliers: ReadonlyMap<string, SayParty>,
  health: readonly { member: string; signals: string[] }[],
): SaySummary {
  const bySupplier = new Map<string, { count: number; sum: number }>();
  const ofHub = { CLIENT: { count: 0, sum: 0, histogram: [0, 0, 0, 0, 0] }, SUPPLIER: { count: 0, sum: 0, histogram: [0, 0, 0, 0, 0] } };
  const ofClients = { count: 0, sum: 0 };
  const disputes = { opened: 0, resolvedWithRefund: 0, rejected: 0, open: 0, answered: 0 };
  const refunds = new Map<string, { count: number; orders: number; amount: bigint; clientGotBack: bigint }>();
  for (const o of orders) {
    for (const f of o.feedback) {
      if (f.subject === 'SUPPLIER' && o.supplier) {
        const s = bySupplier.get(o.supplier.id) ?? { count: 0, sum: 0 };
        bySupplier.set(o.supplier.id, { count: s.count + 1, sum: s.sum + f.rating });
      } else if (f.subject === 'CLIENT') {
        ofClients.count++;
        ofClients.sum += f.rating;
      } else if (f.subject === 'HUB') {
        const h = ofHub[f.author.id === clientOf(o.id) ? 'CLIENT' : 'SUPPLIER'];
        h.count++;
        h.sum += f.rating;
        h.histogram[f.rating - 1]++;
      }
    }
    if (o.dispute) {
      disputes.opened++;
      if (o.dispute.supplierResponse !== null) disputes.answered++;
      if (o.dispute.status === 'RESOLVED') disputes.resolvedWithRefund++;
      else if (o.dispute.status === 'REJECTED') disputes.rejected++;
      else disputes.open++;
    }
    if (o.refunds.length > 0) {
      const currency = o.refunds[0].amount.currency;
      const r = refunds.get(currency) ?? { count: 0, orders: 0, amount: 0n, clientGotBack: 0n };
      r.orders++;
      for (const refund of o.refunds) {
        r.count++;
        r.amount += parseAmount(refund.amount.amount, currency);
        r.clientGotBack += parseAmount(refund.reversed.clientPays.amount, currency);
      }
      refunds.set(currency, r);
    }
  }
  return {
    ratings: {
      bySupplier: [...bySupplier].map(([memberId, s]) => {
        const party = suppliers.get(memberId);
        return { memberId, supplier: party?.name ?? memberId, profile: party?.profile ?? null, ...s };
      }),
      ofHub: (['CLIENT', 'SUPPLIER'] as const).map((side) => ({ side, ...ofHub[side] })),
      ofClients,
      // The signal relationship health raises for a member that rates the hub 2 or less (libs/health).
      lowHubRaters: health.filter((h) => h.signals.some((s) => /rated the hub/i.test(s))).map((h) => h.member),
    },
    disputes,
    refunds: [...refunds]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([currency, r]) => ({
        currency,
        count: r.count,
        orders: r.orders,
        amount: formatAmount(r.amount, currency),
        clientGotBack: formatAmount(r.clientGotBack, currency),
      })),
  };
}
