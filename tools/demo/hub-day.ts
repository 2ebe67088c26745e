import { parseAmount } from '@tandem/money';
import { GraphqlClient, GraphqlError, pool } from './graphql-client';
import { Random } from './random';
import { FINAL_ORDER_SAY_FIELDS, FinalOrderSay, Profile, SayOrder, SaySummary, hubMoods, planSay, runSay, sayWork, summariseSay } from './both-sides';

/** One simulated day at a concierge hub, driven only through the public GraphQL API. */
export interface HubDayOptions {
  orders: number;
  seed: number;
  /** Short offer timeouts let expiries happen while you watch. */
  offerTimeoutSeconds: number;
  concurrency: number;
}

export interface Progress {
  phase(name: string, total: number): void;
  tick(n?: number, status?: string): void;
  done(): void;
}

const BEHAVIOUR: Record<Profile, { accept: number; ignore: number }> = {
  reliable: { accept: 0.94, ignore: 0.01 },
  average: { accept: 0.78, ignore: 0.06 },
  flaky: { accept: 0.45, ignore: 0.3 },
};

const CATEGORIES: Record<string, [number, number]> = {
  'gift-baskets': [60, 150],
  flowers: [30, 90],
  catering: [200, 600],
  wine: [20, 80],
  chauffeur: [80, 200],
};
const REGIONS = ['NYC', 'LDN', 'PAR', 'SFO'];
const WORDS_A = ['Golden', 'Blue', 'Silver', 'Green', 'Little', 'Grand', 'Urban', 'Royal', 'Bright', 'Quiet', 'Swift', 'Noble', 'Maple', 'Harbor'];
const WORDS_B = ['Petal', 'Basket', 'Cellar', 'Table', 'Ribbon', 'Garden', 'Kitchen', 'Carriage', 'Orchard', 'Atelier', 'Pantry', 'Vine', 'Bloom', 'Lane'];
const CLIENT_NAMES = ['Hotel', 'Bank', 'Law Firm', 'Studio', 'Capital', 'Resorts', 'Partners', 'Group', 'Foundation', 'Labs'];

export interface Party {
  id: string;
  name: string;
  roles: string[];
  key?: string;
  profile?: Profile;
}

interface OrderPlan {
  index: number;
  id?: string;
  client: Party;
  late: boolean;
  cancelWhen?: 'offered' | 'accepted';
  deliverBy: Date;
}

export interface DemoReport {
  network: { id: string; operatorKey: string };
  statusCounts: Record<string, number>;
  eventCounts: Record<string, number>;
  exclusionReasons: Record<string, number>;
  lateFulfilments: number;
  example: { orderId: string; fees: any };
  statements: {
    member: string;
    roles: string[];
    net: string;
    purchases: string;
    clientFees: string;
    earnedBusiness: string;
    supplierFees: string;
    partnerShares: string;
  }[];
  trialBalance: { debits: string; credits: string; balanced: boolean };
  /** What clients owe for the day: each posted order's clientPays (its frozen fees) less what its refunds gave back, from the API. */
  expectedClientTotal: bigint;
  /** Sum of purchases + client fees over all statements, from the ledger. */
  statementClientTotal: bigint;
  acquisition: { supplier: string; orders: number; costPerOrder: string | null; baseline: string | null }[];
  health: {
    member: string;
    roles: string[];
    score: number;
    trust: number;
    atRisk: boolean;
    signals: string[];
    ratingReceived: number | null;
    ratingOfHub: number | null;
    disputes: number;
  }[];
  /** Ratings, disputes and refunds of the day, from the final orders (tools/demo/both-sides.ts). */
  say: SaySummary;
  elapsedSeconds: number;
}

const M = {
  createNetwork: `mutation($input: NetworkInput!) { createNetwork(input: $input) { operatorKey network { id } } }`,
  register: `mutation($input: MemberInput!) { registerMember(input: $input) { id name roles } }`,
  key: `mutation($id: ID!) { issueApiKey(memberId: $id) }`,
  capability: `mutation($input: CapabilityInput!) { addCapability(input: $input) { id } }`,
  vet: `mutation($id: ID!, $status: VettingStatus!, $note: String) { setVettingStatus(supplierId: $id, status: $status, note: $note) { id } }`,
  baseline: `mutation($id: ID!, $amount: MoneyInput!) { setAcquisitionBaseline(memberId: $id, amount: $amount) { score } }`,
  place: `mutation($input: OrderInput!) { placeOrder(input: $input) { id status } }`,
  accept: `mutation($id: ID!) { acceptOrder(orderId: $id) { id status } }`,
  decline: `mutation($id: ID!) { declineOrder(orderId: $id, reason: "fully booked") { id status } }`,
  fulfil: `mutation($id: ID!) { fulfilOrder(orderId: $id) { id status } }`,
  cancel: `mutation($id: ID!) { cancelOrder(orderId: $id, reason: "plans changed") { id status } }`,
  refund: `mutation($id: ID!) { refundOrder(orderId: $id) { id status } }`,
  settle: `mutation { runSettlement { id statements { member { name roles } net { amount } purchases { amount } clientFees { amount } earnedBusiness { amount } supplierFees { amount } partnerShares { amount } } } }`,
};
const Q = {
  orders: `query($status: OrderStatus, $after: String) { orders(status: $status, first: 100, after: $after) {
    pageInfo { hasNextPage endCursor } edges { node { id status deliverBy supplier { id } } } } }`,
  finalOrders: `query($after: String) { orders(first: 50, after: $after) {
    pageInfo { hasNextPage endCursor }
    edges { node { id status deliverBy fees { clientPays { amount } } routing { eligible reason } events { type at } ${FINAL_ORDER_SAY_FIELDS} } } } }`,
  order: `query($id: ID!) { order(id: $id) { id status fees { price { amount currency } clientFee { amount } supplierFee { amount } clientPays { amount } supplierReceives { amount } hubNet { amount }
    partnerShares { partner { name } referred { name } amount { amount } } } } }`,
  balance: `query($id: ID!) { balance(memberId: $id, currency: "USD") { owedToHub { amount } } }`,
  trial: `{ trialBalance(currency: "USD") { debits { amount } credits { amount } balanced } }`,
  health: `query($id: ID!) { relationshipHealth(memberId: $id) { score trust atRisk signals ratingReceived ratingOfHub disputes
    acquisitionCostPerOrder { amount } acquisitionBaseline { amount } measures { ordersFulfilled } } }`,
};

/** Statuses of an order whose fulfilment is in the ledger (refunds, if any, are entries of their own). */
const POSTED_STATUSES = new Set(['FULFILLED', 'PARTIALLY_REFUNDED', 'DISPUTED', 'REFUNDED']);
const usd = (amount: string) => parseAmount(amount, 'USD', 'amount', { allowNegative: true });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Deterministic per order and supplier, so a seed replays the same answers. */
function answerFor(seed: number, orderIndex: number, supplierIndex: number, profile: Profile): 'accept' | 'decline' | 'ignore' {
  const r = new Random(seed * 7919 + orderIndex * 104729 + supplierIndex * 1299709).next();
  const b = BEHAVIOUR[profile];
  return r < b.accept ? 'accept' : r < b.accept + b.ignore ? 'ignore' : 'decline';
}

export async function runHubDay(api: GraphqlClient, adminKey: string, opts: HubDayOptions, progress: Progress): Promise<DemoReport> {
  const started = Date.now();
  const rnd = new Random(opts.seed);
  const { createNetwork } = await api.request(
    M.createNetwork,
    { input: { name: 'Circles Concierge', currency: 'USD', feeSchedule: { offerTimeoutSeconds: opts.offerTimeoutSeconds } } },
    adminKey,
  );
  const op: string = createNetwork.operatorKey;
  const register = async (name: string, roles: string[], referredById?: string): Promise<Party> => {
    const { registerMember } = await api.request(M.register, { input: { name, roles, referredById } }, op);
    return { id: registerMember.id, name, roles };
  };

  // The community: partners first, since they refer the others.
  progress.phase('Building the community', 5 + 50 + 20 + 2);
  const partners: Party[] = [];
  for (const name of ['Northstar Referrals', 'Concierge Collective', 'Atlas Partners', 'Meridian Network', 'Harbor & Co']) {
    partners.push(await register(name, ['PARTNER']));
    progress.tick();
  }
  const exampleClient = await register('Maison Hotel Group', ['CLIENT'], partners[0].id);
  const exampleSupplier = await register('Basket & Bow', ['SUPPLIER'], partners[1].id);
  progress.tick(2);
  // Names, roles and referrers are drawn in order, so a seed replays the same community.
  const usedNames = new Set<string>();
  const supplierDrafts = Array.from({ length: 50 }, (_, i) => {
    let name: string;
    do name = `${rnd.pick(WORDS_A)} ${rnd.pick(WORDS_B)}`;
    while (usedNames.has(name));
    usedNames.add(name);
    const roles = i % 17 === 3 ? ['SUPPLIER', 'CLIENT'] : ['SUPPLIER'];
    const profile: Profile = i % 10 < 5 ? 'reliable' : i % 10 < 8 ? 'average' : 'flaky';
    return { name, roles, referrer: rnd.chance(0.6) ? rnd.pick(partners).id : undefined, profile };
  });
  const clientDrafts = Array.from({ length: 19 }, (_, i) => ({
    name: `${rnd.pick(WORDS_A)} ${rnd.pick(CLIENT_NAMES)} ${i + 1}`,
    referrer: rnd.chance(0.5) ? rnd.pick(partners).id : undefined,
  }));
  const suppliers: Party[] = new Array(supplierDrafts.length);
  await pool(supplierDrafts, opts.concurrency, async (d, i) => {
    suppliers[i] = { ...(await register(d.name, d.roles, d.referrer)), profile: d.profile };
    progress.tick();
  });
  const clients: Party[] = [exampleClient, ...new Array<Party>(clientDrafts.length)];
  await pool(clientDrafts, opts.concurrency, async (d, i) => {
    clients[i + 1] = await register(d.name, ['CLIENT'], d.referrer);
    progress.tick();
  });
  // Dual-role suppliers also buy.
  clients.push(...suppliers.filter((s) => s.roles.includes('CLIENT')));
  progress.done();

  progress.phase('Vetting suppliers and their capabilities', suppliers.length + 1);
  await setUpSupplier(exampleSupplier, [['hotel-gift-basket', ['NYC'], 50, 0, '120.00']], 'VETTED', '100.00');
  progress.tick();
  const supplierSetups = suppliers.map((_, i) => {
    const categories = rnd.sample(Object.keys(CATEGORIES), 1 + (i % 2));
    const caps = categories.map((c): [string, string[], number, number, string] => {
      const [lo, hi] = CATEGORIES[c];
      return [c, rnd.sample(REGIONS, rnd.int(1, 3)), rnd.int(15, 120), rnd.pick([0, 0, 4, 12, 24, 48]), `${rnd.int(lo, hi)}.${rnd.pick(['00', '50', '95'])}`];
    });
    const status = i < 44 ? 'VETTED' : i < 46 ? 'UNDER_REVIEW' : i < 49 ? 'APPLIED' : 'SUSPENDED';
    return { caps, status, baseline: `${rnd.int(60, 140)}.00` };
  });
  await pool(suppliers, opts.concurrency, async (s, i) => {
    const { caps, status, baseline } = supplierSetups[i];
    await setUpSupplier(s, caps, status, baseline);
    progress.tick();
  });
  progress.done();

  async function setUpSupplier(s: Party, caps: [string, string[], number, number, string][], status: string, baseline: string) {
    for (const [category, regions, dailyCapacity, leadTimeHours, price] of caps) {
      await api.request(
        M.capability,
        { input: { supplierId: s.id, category, regions, dailyCapacity, leadTimeHours, unitPrice: { amount: price, currency: 'USD' } } },
        op,
      );
    }
    if (status !== 'APPLIED') await api.request(M.vet, { id: s.id, status, note: status === 'VETTED' ? 'references checked' : null }, op);
    await api.request(M.baseline, { id: s.id, amount: { amount: baseline, currency: 'USD' } }, op);
    s.key = (await api.request(M.key, { id: s.id }, op)).issueApiKey;
  }
  exampleSupplier.profile = 'reliable';
  const supplierById = new Map([...suppliers, exampleSupplier].map((s, i) => [s.id, { party: s, index: i }]));
  await pool(clients, opts.concurrency, async (c) => {
    if (!c.key) c.key = (await api.request(M.key, { id: c.id }, op)).issueApiKey;
  });

  // The worked example of docs/api.md: one basket at 120.00, both sides referred.
  const example = await api.request(
    M.place,
    {
      input: {
        category: 'hotel-gift-basket',
        region: 'NYC',
        quantity: 1,
        deliverBy: new Date(Date.now() + 2 * 86400_000).toISOString(),
        budget: { amount: '150.00', currency: 'USD' },
        idempotencyKey: 'worked-example',
        notes: 'For our best customer, room 1204',
      },
    },
    keyOf(exampleClient),
  );
  const exampleId: string = example.placeOrder.id;
  // Basket & Bow answers at once, so short offer timeouts cannot take the example away.
  for (let until = Date.now() + 10_000; ; await sleep(50)) {
    const { order } = await api.request(`query($id: ID!) { order(id: $id) { status } }`, { id: exampleId }, op);
    if (order.status === 'OFFERED') break;
    if (order.status !== 'ROUTING' || Date.now() > until) throw new Error(`the worked example was not offered (${order.status})`);
  }
  await api.request(M.accept, { id: exampleId }, keyOf(exampleSupplier));

  progress.phase('Placing orders', opts.orders);
  const plans: OrderPlan[] = Array.from({ length: opts.orders }, (_, index) => {
    const late = rnd.chance(0.03);
    const cancel = rnd.chance(0.04);
    return {
      index,
      client: rnd.pick(clients),
      late,
      cancelWhen: cancel ? rnd.pick(['offered', 'accepted'] as const) : undefined,
      // A late order's deadline is set when it is placed (below), 20 s ahead.
      deliverBy: new Date(Date.now() + (late ? 20_000 : rnd.int(6, 168) * 3600_000)),
    };
  });
  const inputs = plans.map((p) => {
    const category = rnd.pick(Object.keys(CATEGORIES));
    const [lo, hi] = CATEGORIES[category];
    const quantity = rnd.int(1, 4);
    const budget = Math.round(((lo + hi) / 2) * quantity * (0.6 + rnd.next()));
    return {
      category,
      region: rnd.pick(REGIONS),
      quantity,
      deliverBy: p.deliverBy.toISOString(),
      budget: { amount: `${budget}.00`, currency: rnd.chance(0.03) ? 'EUR' : 'USD' },
      idempotencyKey: `demo-${opts.seed}-${p.index}`,
    };
  });
  await pool(plans, opts.concurrency, async (p, i) => {
    if (p.late) {
      p.deliverBy = new Date(Date.now() + 20_000);
      inputs[i].deliverBy = p.deliverBy.toISOString();
    }
    p.id = (await api.request(M.place, { input: inputs[i] }, keyOf(p.client))).placeOrder.id;
    progress.tick();
  });
  progress.done();
  const planById = new Map(plans.map((p) => [p.id as string, p]));
  const planOf = (id: string) => required(planById.get(id), `order ${id}`);
  const supplierOf = (id: string) => required(supplierById.get(id), `supplier ${id}`);
  planById.set(exampleId, { index: -1, id: exampleId, client: exampleClient, late: false, deliverBy: new Date() });

  // Suppliers answer offers, some let them expire; clients cancel a few; accepted orders are fulfilled.
  progress.phase('Running the day (offers, answers, expiries, fulfilment)', plans.length + 1);
  const answered = new Set<string>();
  const settled = new Set<string>();
  const deadline = Date.now() + Math.max(120_000, opts.orders * 200);
  while (settled.size < planById.size && Date.now() < deadline) {
    const offered = await listOrders('OFFERED');
    await pool(offered, opts.concurrency, async (o) => {
      const plan = planOf(o.id);
      const supplier = supplierOf(o.supplier.id);
      const pair = `${o.id}:${o.supplier.id}`;
      if (answered.has(pair)) return;
      answered.add(pair);
      if (plan.cancelWhen === 'offered') return void (await tolerate(api.request(M.cancel, { id: o.id }, keyOf(plan.client))));
      const answer = o.id === exampleId ? 'accept' : answerFor(opts.seed, plan.index, supplier.index, supplier.party.profile ?? 'average');
      if (answer === 'accept') await tolerate(api.request(M.accept, { id: o.id }, keyOf(supplier.party)));
      else if (answer === 'decline') await tolerate(api.request(M.decline, { id: o.id }, keyOf(supplier.party)));
    });
    const accepted = await listOrders('ACCEPTED');
    await pool(accepted, opts.concurrency, async (o) => {
      const plan = planOf(o.id);
      if (plan.cancelWhen === 'accepted') return void (await tolerate(api.request(M.cancel, { id: o.id }, keyOf(plan.client))));
      if (plan.late && Date.now() <= new Date(o.deliverBy).getTime()) return; // fulfilled after its deadline
      await tolerate(api.request(M.fulfil, { id: o.id }, keyOf(supplierOf(o.supplier.id).party)));
    });
    for (const status of ['FULFILLED', 'CANCELLED', 'UNROUTABLE']) {
      for (const o of await listOrders(status)) {
        if (!settled.has(o.id)) {
          settled.add(o.id);
          progress.tick();
        }
      }
    }
    if (settled.size < planById.size) await sleep(250);
  }
  progress.done();

  // A few full refunds, then both sides have their say: feedback, disputes and partial refunds.
  // Sorted by their place in the plan, so the seed picks the same orders whatever order the API listed them in.
  const fulfilled = (await listOrders('FULFILLED')).sort((a, b) => planOf(a.id).index - planOf(b.id).index);
  const toRefund = rnd.sample(
    fulfilled.filter((o) => o.id !== exampleId),
    Math.ceil(fulfilled.length * 0.015),
  );
  const refundedInFull = new Set(toRefund.map((o) => o.id));
  const sayOrders: SayOrder[] = fulfilled.map((o) => {
    const plan = planOf(o.id);
    return { id: o.id, index: plan.index, late: plan.late, client: plan.client, supplier: supplierOf(o.supplier.id).party };
  });
  // The worked example and the orders refunded in full keep their figures: no dispute or partial refund touches them.
  const sayPlan = planSay(
    rnd,
    opts.seed,
    sayOrders.filter((o) => o.id !== exampleId && !refundedInFull.has(o.id)),
  );
  const unhappyWithHub = hubMoods(opts.seed, uniqueById([exampleSupplier, ...suppliers, ...clients]));
  progress.phase('Refunds, feedback and disputes', toRefund.length + sayWork(sayOrders, sayPlan));
  for (const o of toRefund) {
    await api.request(M.refund, { id: o.id }, op);
    progress.tick();
  }
  await runSay({ api, operatorKey: op, seed: opts.seed, concurrency: opts.concurrency, tick: (n) => progress.tick(n) }, sayOrders, sayPlan, unhappyWithHub);
  progress.done();

  // Wait until every fulfilment and refund is posted.
  progress.phase('Postings', clients.length);
  const finalOrders = await listFinalOrders();
  const expectedByClient = new Map<string, bigint>();
  let expectedClientTotal = 0n;
  for (const o of finalOrders) {
    if (!POSTED_STATUSES.has(o.status)) continue;
    // A dispute holds no money; what refunds gave back is reversed in the ledger by entries of their own.
    const givenBack = (o.refunds as FinalOrderSay['refunds']).reduce((sum, r) => sum + usd(r.reversed.clientPays.amount), 0n);
    const amount = usd(o.fees.clientPays.amount) - givenBack;
    expectedClientTotal += amount;
    const client = planOf(o.id).client.id;
    expectedByClient.set(client, (expectedByClient.get(client) ?? 0n) + amount);
  }
  for (const c of clients) {
    const want = expectedByClient.get(c.id) ?? 0n;
    const until = Date.now() + 30_000;
    while (usd((await api.request(Q.balance, { id: c.id }, op)).balance.owedToHub.amount) !== want) {
      if (Date.now() > until) throw new Error(`postings for ${c.name} did not arrive within 30 s`);
      await sleep(100);
    }
    progress.tick();
  }
  progress.done();

  progress.phase('Settlement run', 1);
  const run = (await api.request(M.settle, {}, op)).runSettlement;
  const trialBalance = (await api.request(Q.trial, {}, op)).trialBalance;
  progress.tick();
  progress.done();

  progress.phase('Relationship health', suppliers.length + clients.length + partners.length + 1);
  const everyone = uniqueById([...partners, exampleSupplier, ...suppliers, ...clients]);
  const health: DemoReport['health'] = [];
  const acquisition: DemoReport['acquisition'] = [];
  await pool(everyone, opts.concurrency, async (m) => {
    const h = (await api.request(Q.health, { id: m.id }, op)).relationshipHealth;
    health.push({
      member: m.name,
      roles: m.roles,
      score: h.score,
      trust: h.trust,
      atRisk: h.atRisk,
      signals: h.signals,
      ratingReceived: h.ratingReceived,
      ratingOfHub: h.ratingOfHub,
      disputes: h.disputes,
    });
    if (m.roles.includes('SUPPLIER')) {
      acquisition.push({
        supplier: m.name,
        orders: h.measures.ordersFulfilled,
        costPerOrder: h.acquisitionCostPerOrder?.amount ?? null,
        baseline: h.acquisitionBaseline?.amount ?? null,
      });
    }
    progress.tick();
  });
  progress.done();

  const statusCounts: Record<string, number> = {};
  const eventCounts: Record<string, number> = {};
  const exclusionReasons: Record<string, number> = {};
  let lateFulfilments = 0;
  for (const o of finalOrders) {
    statusCounts[o.status] = (statusCounts[o.status] ?? 0) + 1;
    for (const e of o.events) eventCounts[e.type] = (eventCounts[e.type] ?? 0) + 1;
    for (const r of o.routing) if (!r.eligible && r.reason) exclusionReasons[r.reason] = (exclusionReasons[r.reason] ?? 0) + 1;
    const done = o.events.find((e: any) => e.type === 'fulfilled');
    if (done && new Date(done.at).getTime() > new Date(o.deliverBy).getTime()) lateFulfilments++;
  }
  const statements = run.statements.map((s: any) => ({
    member: s.member.name,
    roles: s.member.roles,
    net: s.net.amount,
    purchases: s.purchases.amount,
    clientFees: s.clientFees.amount,
    earnedBusiness: s.earnedBusiness.amount,
    supplierFees: s.supplierFees.amount,
    partnerShares: s.partnerShares.amount,
  }));
  const statementClientTotal = statements.reduce((sum: bigint, s: any) => sum + usd(s.purchases) + usd(s.clientFees), 0n);
  const exampleOrder = (await api.request(Q.order, { id: exampleId }, op)).order;

  return {
    network: { id: createNetwork.network.id, operatorKey: op },
    statusCounts,
    eventCounts,
    exclusionReasons,
    lateFulfilments,
    example: { orderId: exampleId, fees: exampleOrder.fees },
    statements,
    trialBalance: { debits: trialBalance.debits.amount, credits: trialBalance.credits.amount, balanced: trialBalance.balanced },
    expectedClientTotal,
    statementClientTotal,
    acquisition,
    health,
    say: summariseSay(finalOrders, (id) => planOf(id).client.id, new Map([...supplierById].map(([id, s]) => [id, s.party])), health),
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

  async function listFinalOrders(): Promise<any[]> {
    const out: any[] = [];
    let after: string | null = null;
    do {
      const page: any = (await api.request(Q.finalOrders, { after }, op)).orders;
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

function required<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`${what} is not part of this demo`);
  return value;
}

function keyOf(party: Party): string {
  return required(party.key, `${party.name}'s key`);
}

function uniqueById(parties: Party[]): Party[] {
  return [...new Map(parties.map((p) => [p.id, p])).values()];
}
