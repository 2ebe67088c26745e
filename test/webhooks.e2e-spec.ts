import { Queue } from 'bullmq';
import { Webhook } from 'standardwebhooks';
import { QUEUES, queueConnectionOptions } from '@tandem/jobs';
import { eventually } from '@tandem/testing';
import { MAX_IN_FLIGHT_PER_ENDPOINT } from '@tandem/webhooks';
import { Q, buildCircles, createNetwork } from './support/community';
import { probeSql } from './support/processes';
import { TandemHarness } from './support/tandem';
import { Received, WebhookReceiver } from './support/webhook-receiver';

const ENDPOINT = 'id url eventTypes enabled description createdAt';
const CREATE = `mutation($input: WebhookEndpointInput!) { createWebhookEndpoint(input: $input) { secret endpoint { ${ENDPOINT} } } }`;
const UPDATE = `mutation($id: ID!, $input: WebhookEndpointUpdateInput!) { updateWebhookEndpoint(id: $id, input: $input) { ${ENDPOINT} } }`;
const DELETE = `mutation($id: ID!) { deleteWebhookEndpoint(id: $id) }`;
const ROTATE = `mutation($id: ID!) { rotateWebhookSecret(id: $id) { secret endpoint { id } } }`;
const LIST = `{ webhookEndpoints { ${ENDPOINT} } }`;
const DELIVERY = 'id eventId eventType status attempts lastResponseStatus lastAttemptAt nextAttemptAt createdAt endpoint { id }';
const DELIVERIES = `query($id: ID!, $status: WebhookDeliveryStatus, $first: Int, $after: String) {
  webhookDeliveries(endpointId: $id, status: $status, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor } edges { cursor node { ${DELIVERY} } } } }`;
const REDELIVER = `mutation($id: ID!) { redeliverWebhook(deliveryId: $id) { ${DELIVERY} } }`;
const TEST = `mutation($id: ID!) { sendTestWebhook(endpointId: $id) { ${DELIVERY} } }`;
const PLACE = `mutation($input: OrderInput!) { placeOrder(input: $input) { id status } }`;
const ORDER = `query($id: ID!) { order(id: $id) { id status supplier { id } } }`;
const ACCEPT = `mutation($id: ID!) { acceptOrder(orderId: $id) { id status } }`;
const DECLINE = `mutation($id: ID!) { declineOrder(orderId: $id) { id status } }`;
const FULFIL = `mutation($id: ID!) { fulfilOrder(orderId: $id) { id status } }`;
const CANCEL = `mutation($id: ID!) { cancelOrder(orderId: $id) { id status } }`;
const REFUND = `mutation($id: ID!) { refundOrder(orderId: $id) { id status } }`;
const RUN = `mutation { runSettlement { statements { id status member { id } } } }`;
const PAY = `mutation($s: ID!) { markStatementPaid(statementId: $s) { id status } }`;
const LEAVE_FEEDBACK = `mutation($input: FeedbackInput!) { leaveFeedback(input: $input) { id } }`;
const HEALTH_SETTINGS = `mutation($input: HealthSettingsInput!) { updateHealthSettings(input: $input) { atRiskScore } }`;
const HEALTH_EVENTS = `{ healthEvents(first: 100) { edges { node { member { id } atRisk } } } }`;

const RETRY_SECONDS = [1, 2];
const inDays = (d: number) => new Date(Date.now() + d * 86_400_000).toISOString();
const NO_SUCH_ID = '00000000-0000-4000-8000-000000000000';
let keySeq = 0;

interface Body {
  type: string;
  timestamp: string;
  data: Record<string, string>;
}
const bodyOf = (r: Received) => JSON.parse(r.body) as Body;
const headersOf = (r: Received) => ({
  'webhook-id': String(r.headers['webhook-id']),
  'webhook-timestamp': String(r.headers['webhook-timestamp']),
  'webhook-signature': String(r.headers['webhook-signature']),
});

describe('webhooks: endpoints, fan-out by the access table, signatures, retries', () => {
  let t: TandemHarness;
  let c: Awaited<ReturnType<typeof buildCircles>>;
  let rx: WebhookReceiver;
  const secrets: Record<string, string> = {};
  const endpointIds: Record<string, string> = {};

  const create = async (key: string, path: string, eventTypes: string[] = ['*']) => {
    const made = (await t.ok(CREATE, { input: { url: rx.url(path), eventTypes, description: path } }, key)).createWebhookEndpoint;
    secrets[path] = made.secret;
    endpointIds[path] = made.endpoint.id;
    return made;
  };
  const place = async (over: Record<string, unknown> = {}, key = c.keys.client) =>
    (
      await t.ok(
        PLACE,
        {
          input: {
            category: 'gift-baskets',
            region: 'US-NY',
            quantity: 1,
            deliverBy: inDays(3),
            budget: { amount: '150', currency: 'USD' },
            idempotencyKey: `wh-${++keySeq}`,
            ...over,
          },
        },
        key,
      )
    ).placeOrder;
  const statusOf = async (id: string) => (await t.ok(ORDER, { id }, c.op)).order;
  const offered = (id: string) => eventually(async () => (await statusOf(id)).status === 'OFFERED');
  /** The (type, status) pairs a path received about one order. */
  const orderEvents = (path: string, orderId: string) =>
    rx
      .at(path)
      .map(bodyOf)
      .filter((b) => b.data.orderId === orderId)
      .map((b) => `${b.type}:${b.data.status}`);

  beforeAll(async () => {
    rx = await WebhookReceiver.start();
    t = await TandemHarness.start('webhooks', { config: { webhookRetrySeconds: RETRY_SECONDS } });
    c = await buildCircles(t);
    await t.ok(Q.updateCapability, { id: c.basket.id, input: { dailyCapacity: 100 } }, c.op);
    await create(c.op, '/operator');
    await create(c.keys.client, '/client');
    await create(c.keys.supplier, '/supplier');
    await create(c.keys.florist, '/florist');
    await create(c.keys.p1, '/partner');
    await create(c.keys.p2, '/partner-of-supplier');
    await create(c.op, '/operator-fulfilled-only', ['order.fulfilled']);
  });
  afterAll(async () => {
    await t?.stop();
    await rx?.stop();
  });

  it('sends each order event to the operator and to the members that may see it, and nobody else', async () => {
    const order = await place();
    await offered(order.id);
    await t.ok(ACCEPT, { id: order.id }, c.keys.supplier);
    await t.ok(FULFIL, { id: order.id }, c.keys.supplier);
    await t.ok(REFUND, { id: order.id }, c.op);
    const all = ['order.placed:ROUTING', 'order.offered:OFFERED', 'order.accepted:ACCEPTED', 'order.fulfilled:FULFILLED', 'order.refunded:REFUNDED'];
    // Every endpoint's delivery is its own job: wait for each receiver, not one of them.
    await eventually(
      async () =>
        orderEvents('/operator', order.id).length === all.length &&
        orderEvents('/client', order.id).length === all.length &&
        orderEvents('/supplier', order.id).length === 4 &&
        orderEvents('/operator-fulfilled-only', order.id).length === 1,
      10_000,
    );
    expect(orderEvents('/operator', order.id).sort()).toEqual([...all].sort());
    expect(orderEvents('/client', order.id).sort()).toEqual([...all].sort());
    // The supplier had no reach while the order was routing.
    expect(orderEvents('/supplier', order.id).sort()).toEqual(all.slice(1).sort());
    expect(orderEvents('/operator-fulfilled-only', order.id)).toEqual(['order.fulfilled:FULFILLED']);
    // Partners never get the orders of members they referred; another supplier never another's offer.
    expect(orderEvents('/partner', order.id)).toEqual([]);
    expect(orderEvents('/partner-of-supplier', order.id)).toEqual([]);
    expect(orderEvents('/florist', order.id)).toEqual([]);
  });

  it('sends thin bodies, the same webhook-id at every endpoint, signed so standardwebhooks verifies them', async () => {
    const order = await place();
    // Deliveries come in no guaranteed order: wait for the placed event itself at both.
    await eventually(async () => ['/client', '/operator'].every((path) => orderEvents(path, order.id).includes('order.placed:ROUTING')), 10_000);
    const atClient = rx.at('/client').find((r) => bodyOf(r).data.orderId === order.id && bodyOf(r).type === 'order.placed') as Received;
    const atOperator = rx.at('/operator').find((r) => bodyOf(r).data.orderId === order.id && bodyOf(r).type === 'order.placed') as Received;
    expect(bodyOf(atClient)).toEqual({
      type: 'order.placed',
      timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      data: { orderId: order.id, status: 'ROUTING' },
    });
    expect(atClient.headers['webhook-id']).toBe(atOperator.headers['webhook-id']);
    expect(new Webhook(secrets['/client']).verify(atClient.body, headersOf(atClient))).toEqual(bodyOf(atClient));
    expect(new Webhook(secrets['/operator']).verify(atOperator.body, headersOf(atOperator))).toEqual(bodyOf(atOperator));
    // A tampered body, or another endpoint's secret, does not verify.
    expect(() => new Webhook(secrets['/client']).verify(atClient.body.replace('ROUTING', 'OFFERED'), headersOf(atClient))).toThrow();
    expect(() => new Webhook(secrets['/operator']).verify(atClient.body, headersOf(atClient))).toThrow();
    await t.ok(CANCEL, { id: order.id }, c.keys.client);
  });

  it('tells a declining supplier nothing after its decline, and the operator of the decline and the unroutable order', async () => {
    const order = await place({ category: 'gift-baskets' }, c.keys.florist);
    await offered(order.id);
    await t.ok(DECLINE, { id: order.id }, c.keys.supplier);
    // Deliveries come in no guaranteed order: wait for every one expected, not for the last one made.
    const operatorHears = ['order.declined:ROUTING', 'order.unroutable:UNROUTABLE'];
    const floristHears = ['order.placed:ROUTING', ...operatorHears];
    await eventually(
      async () =>
        operatorHears.every((e) => orderEvents('/operator', order.id).includes(e)) &&
        floristHears.every((e) => orderEvents('/florist', order.id).includes(e)) &&
        orderEvents('/supplier', order.id).includes('order.offered:OFFERED'),
      10_000,
    );
    expect(orderEvents('/operator', order.id)).toEqual(expect.arrayContaining(operatorHears));
    expect(orderEvents('/florist', order.id)).toEqual(expect.arrayContaining(floristHears));
    expect(orderEvents('/supplier', order.id)).toEqual(['order.offered:OFFERED']);
    expect(orderEvents('/client', order.id)).toEqual([]);
  });

  it('sends order.expired when an offer runs out', async () => {
    await t.ok(Q.setMemberTerms, { memberId: c.supplier.id, input: { offerTimeoutSeconds: 1 } }, c.op);
    try {
      const order = await place();
      await eventually(async () => orderEvents('/operator', order.id).some((e) => e.startsWith('order.expired:')), 15_000);
      // Each endpoint's delivery is its own job: the client's may land after the operator's.
      await eventually(async () => orderEvents('/client', order.id).some((e) => e.startsWith('order.expired:')), 15_000);
      expect(orderEvents('/client', order.id).some((e) => e.startsWith('order.expired:'))).toBe(true);
      expect(orderEvents('/supplier', order.id).some((e) => e.startsWith('order.expired:'))).toBe(false);
    } finally {
      await t.ok(Q.setMemberTerms, { memberId: c.supplier.id, input: { offerTimeoutSeconds: 3600 } }, c.op);
    }
  }, 30_000);

  it('sends statement.issued and statement.paid to the member and the operator only', async () => {
    const { runSettlement } = await t.ok(RUN, {}, c.op);
    const st = runSettlement.statements.find((s: any) => s.member.id === c.supplier.id);
    expect(st).toBeDefined();
    await t.ok(PAY, { s: st.id }, c.op);
    const about = (path: string) =>
      rx
        .at(path)
        .map(bodyOf)
        .filter((b) => b.data.statementId === st.id)
        .map((b) => b.type)
        .sort();
    await eventually(async () => about('/supplier').length === 2 && about('/operator').length === 2, 10_000);
    expect(about('/supplier')).toEqual(['statement.issued', 'statement.paid']);
    const issued = rx
      .at('/supplier')
      .map(bodyOf)
      .find((b) => b.data.statementId === st.id) as Body;
    expect(issued.data).toEqual({ statementId: st.id, memberId: c.supplier.id });
    expect(about('/client')).toEqual([]);
    expect(about('/partner-of-supplier')).toEqual([]);
  });

  it('sends health.at_risk about a member to that member and the operator only', async () => {
    // Every score is below a threshold of 100: each member turns at risk at the next snapshot.
    await t.ok(HEALTH_SETTINGS, { input: { atRiskScore: 100 } }, c.op);
    const queue = new Queue(QUEUES.health, queueConnectionOptions(t.config));
    try {
      await queue.add('snapshot-health', { networkId: c.networkId });
      const atRisk = await eventually(async () => {
        const edges = (await t.ok(HEALTH_EVENTS, {}, c.op)).healthEvents.edges as { node: { member: { id: string }; atRisk: boolean } }[];
        return edges.length > 0 && edges.filter((e) => e.node.atRisk).map((e) => e.node.member.id);
      }, 15_000);
      const members = [c.client, c.supplier, c.florist, c.p1, c.p2].map((m) => m.id);
      expect(atRisk).toEqual(expect.arrayContaining(members));
      const about = (path: string) =>
        rx
          .at(path)
          .map(bodyOf)
          .filter((b) => b.type === 'health.at_risk')
          .map((b) => b.data);
      await eventually(async () => about('/operator').length === atRisk.length && about('/supplier').length === 1 && about('/partner').length === 1, 10_000);
      expect(
        about('/operator')
          .map((d) => d.memberId)
          .sort(),
      ).toEqual([...atRisk].sort());
      expect(about('/supplier')).toEqual([{ memberId: c.supplier.id }]);
      expect(about('/partner')).toEqual([{ memberId: c.p1.id }]);
      await eventually(async () => about('/client').length === 1 && about('/florist').length === 1, 10_000);
      expect(about('/client')).toEqual([{ memberId: c.client.id }]);
      expect(about('/florist')).toEqual([{ memberId: c.florist.id }]);
      // The fulfilled-only endpoint subscribed to nothing of the kind.
      expect(about('/operator-fulfilled-only')).toEqual([]);
    } finally {
      await queue.close();
      await t.ok(HEALTH_SETTINGS, { input: { atRiskScore: 40 } }, c.op);
    }
  }, 30_000);

  it('sends feedback.received to the other party of the order and the operator, never back to its author', async () => {
    const order = await place();
    await offered(order.id);
    await t.ok(ACCEPT, { id: order.id }, c.keys.supplier);
    await t.ok(FULFIL, { id: order.id }, c.keys.supplier);
    const byClient = (await t.ok(LEAVE_FEEDBACK, { input: { orderId: order.id, subject: 'SUPPLIER', rating: 5 } }, c.keys.client)).leaveFeedback.id;
    const bySupplier = (await t.ok(LEAVE_FEEDBACK, { input: { orderId: order.id, subject: 'CLIENT', rating: 4 } }, c.keys.supplier)).leaveFeedback.id;
    const received = (path: string) =>
      rx
        .at(path)
        .map(bodyOf)
        .filter((b) => b.type === 'feedback.received' && b.data.orderId === order.id)
        .map((b) => b.data);
    await eventually(async () => received('/operator').length === 2 && received('/client').length === 1 && received('/supplier').length === 1, 10_000);
    expect(
      received('/operator')
        .map((d) => d.feedbackId)
        .sort(),
    ).toEqual([byClient, bySupplier].sort());
    expect(received('/operator').every((d) => d.orderId === order.id && Object.keys(d).length === 2)).toBe(true);
    expect(received('/client')).toEqual([{ feedbackId: bySupplier, orderId: order.id }]);
    expect(received('/supplier')).toEqual([{ feedbackId: byClient, orderId: order.id }]);
    // Both fan-outs have committed (the operator got both): the deliveries they made are all there are, so an
    // author's own endpoint, or an endpoint of someone else, was never given one still on its way.
    const made = await probeSql<{ description: string; feedbackId: string }>(
      t.config.databaseUrl,
      `SELECT e.description, d.body::jsonb->'data'->>'feedbackId' AS "feedbackId"
         FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id
        WHERE d.event_type = 'feedback.received' AND d.body::jsonb->'data'->>'orderId' = $1`,
      [order.id],
    );
    expect(made.map((m) => `${m.description} ${m.feedbackId === byClient ? 'by client' : 'by supplier'}`).sort()).toEqual([
      '/client by supplier',
      '/operator by client',
      '/operator by supplier',
      '/supplier by client',
    ]);
  });

  it('retries a receiver answering 500 twice with the same webhook-id at the configured delays, then SUCCEEDED', async () => {
    const path = '/flaky';
    await create(c.op, path);
    rx.answer = (p, n) => (p === path && n <= 2 ? 500 : 200);
    const { sendTestWebhook: d } = await t.ok(TEST, { id: endpointIds[path] }, c.op);
    expect(d).toMatchObject({ eventType: 'webhook.test', status: 'PENDING', attempts: 0, endpoint: { id: endpointIds[path] } });
    const done = await eventually(async () => {
      const page = (await t.ok(DELIVERIES, { id: endpointIds[path] }, c.op)).webhookDeliveries;
      return page.edges[0]?.node.status === 'SUCCEEDED' && page.edges[0].node;
    }, 15_000);
    expect(done).toMatchObject({ id: d.id, eventId: d.eventId, attempts: 3, lastResponseStatus: 200, nextAttemptAt: null });
    const got = rx.at(path);
    expect(got).toHaveLength(3);
    expect(new Set(got.map((r) => r.headers['webhook-id']))).toEqual(new Set([d.eventId]));
    // Each retry waits at least its configured delay after the attempt before it.
    expect(got[1].at - got[0].at).toBeGreaterThanOrEqual(RETRY_SECONDS[0] * 1000 - 50);
    expect(got[2].at - got[1].at).toBeGreaterThanOrEqual(RETRY_SECONDS[1] * 1000 - 50);
    for (const r of got)
      expect(new Webhook(secrets[path]).verify(r.body, headersOf(r))).toEqual({
        type: 'webhook.test',
        timestamp: expect.any(String),
        data: { endpointId: endpointIds[path] },
      });

    // A redelivery sends the same event id again at once.
    const again = (await t.ok(REDELIVER, { id: d.id }, c.op)).redeliverWebhook;
    expect(again).toMatchObject({ id: d.id, eventId: d.eventId, status: 'PENDING' });
    await eventually(async () => rx.at(path).length === 4);
    expect(rx.at(path)[3].headers['webhook-id']).toBe(d.eventId);
    rx.answer = () => 200;
  }, 30_000);

  it('follows no redirect: a 3xx is a failed attempt, retried at the endpoint URL itself', async () => {
    const path = '/moved';
    await create(c.op, path);
    rx.redirectTo = (p) => (p === path ? rx.url('/moved-here') : undefined);
    rx.answer = (p, n) => (p === path && n === 1 ? 307 : 200);
    const { sendTestWebhook: d } = await t.ok(TEST, { id: endpointIds[path] }, c.op);
    const delivery = async () => (await t.ok(DELIVERIES, { id: endpointIds[path] }, c.op)).webhookDeliveries.edges[0]?.node;
    // The retry waits RETRY_SECONDS[0]: time enough to see the first attempt's outcome.
    expect(await eventually(async () => (await delivery())?.attempts === 1 && (await delivery()))).toMatchObject({
      status: 'PENDING',
      lastResponseStatus: 307,
    });
    const done = await eventually(async () => (await delivery())?.status === 'SUCCEEDED' && (await delivery()), 15_000);
    expect(done).toMatchObject({ id: d.id, attempts: 2, lastResponseStatus: 200 });
    expect(rx.at(path)).toHaveLength(2);
    expect(rx.at('/moved-here')).toHaveLength(0);
    rx.answer = () => 200;
    rx.redirectTo = () => undefined;
  }, 30_000);

  it('ends FAILED after the last attempt when the receiver never answers', async () => {
    const path = '/dead';
    await create(c.op, path);
    rx.answer = (p) => (p === path ? 'hang' : 200);
    const { sendTestWebhook: d } = await t.ok(TEST, { id: endpointIds[path] }, c.op);
    const failed = await eventually(
      async () => {
        const page = (await t.ok(DELIVERIES, { id: endpointIds[path], status: 'FAILED' }, c.op)).webhookDeliveries;
        return page.totalCount === 1 && page.edges[0].node;
      },
      50_000,
      250,
    );
    expect(failed).toMatchObject({ id: d.id, attempts: RETRY_SECONDS.length + 1, lastResponseStatus: null, nextAttemptAt: null });
    expect(rx.at(path)).toHaveLength(RETRY_SECONDS.length + 1);
    rx.answer = () => 200;
  }, 60_000);

  it('signs with both the new and the old secret after a rotation', async () => {
    const path = '/rotated';
    const old = (await create(c.op, path)).secret;
    const { rotateWebhookSecret } = await t.ok(ROTATE, { id: endpointIds[path] }, c.op);
    expect(rotateWebhookSecret.secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    expect(rotateWebhookSecret.secret).not.toBe(old);
    await t.ok(TEST, { id: endpointIds[path] }, c.op);
    await eventually(async () => rx.at(path).length === 1);
    const r = rx.at(path)[0];
    expect(String(r.headers['webhook-signature']).split(' ')).toHaveLength(2);
    expect(new Webhook(rotateWebhookSecret.secret).verify(r.body, headersOf(r))).toMatchObject({ type: 'webhook.test' });
    expect(new Webhook(old).verify(r.body, headersOf(r))).toMatchObject({ type: 'webhook.test' });
  });

  it('loses no event while the worker is down', async () => {
    await t.stopWorker();
    const order = await place();
    await t.startWorker();
    // Deliveries come in no guaranteed order (the contract): wait for each event, not for the last one made.
    const both = ['order.placed:ROUTING', 'order.offered:OFFERED'];
    await eventually(
      async () => orderEvents('/client', order.id).includes('order.offered:OFFERED') && both.every((e) => orderEvents('/operator', order.id).includes(e)),
      15_000,
    );
    expect(orderEvents('/operator', order.id)).toEqual(expect.arrayContaining(both));
    await t.ok(CANCEL, { id: order.id }, c.keys.client);
  }, 30_000);

  it('counts every attempt by outcome, times each one, and shows no pending delivery once all are done', async () => {
    const sql = (text: string) => probeSql(t.config.databaseUrl, text);
    const read = async () => {
      const [{ attempts, failed, pending }] = await sql(
        `SELECT sum(attempts)::int AS attempts, count(*) FILTER (WHERE status = 'FAILED')::int AS failed,
                count(*) FILTER (WHERE status = 'PENDING')::int AS pending FROM webhook_deliveries`,
      );
      // The API and the worker share this process's registry: the API's /metrics shows the worker's counts.
      const text = await (await fetch(`${t.url}/metrics`)).text();
      const value = (name: string) => Number(new RegExp(`^${name.replace(/[{}]/g, '\\$&')} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);
      const byOutcome = Object.fromEntries(
        ['succeeded', 'retrying', 'failed', 'refused'].map((o) => [o, value(`tandem_webhook_attempts_total{outcome="${o}"}`) || 0]),
      );
      return { attempts, failed, pending, byOutcome, value };
    };
    // Events of the tests before may still be fanning out, and an attempt is counted just after its row
    // commits: read until nothing is pending and both sides agree, then check that state.
    let seen = await read();
    await eventually(async () => {
      seen = await read();
      const counted = seen.byOutcome.succeeded + seen.byOutcome.retrying + seen.byOutcome.failed;
      return seen.pending === 0 && counted === seen.attempts && seen.value('tandem_webhook_oldest_pending_age_seconds') === 0;
    }, 20_000).catch(() => undefined);
    const { attempts, failed, pending, byOutcome, value } = seen;
    expect(pending).toBe(0);
    // The dead receiver's delivery is the one that failed, after its retries; nothing was refused here.
    expect([failed, byOutcome.failed, byOutcome.refused]).toEqual([1, 1, 0]);
    expect(byOutcome.retrying).toBeGreaterThanOrEqual(2 + RETRY_SECONDS.length);
    expect(byOutcome.succeeded + byOutcome.retrying + byOutcome.failed).toBe(attempts);
    expect(value('tandem_webhook_attempt_duration_seconds_count')).toBe(attempts);
    expect(value('tandem_webhook_oldest_pending_age_seconds')).toBe(0);
  });

  it('lets a receiver that never answers hold only its own slots while the deliveries to another endpoint all complete', async () => {
    const [slow, fast] = ['/slow', '/fast'];
    await create(c.op, slow, ['webhook.test']);
    await create(c.op, fast, ['webhook.test']);
    rx.answer = (p) => (p === slow ? 'hang' : 200);
    const slowSent = MAX_IN_FLIGHT_PER_ENDPOINT + 4;
    const fastSent = 24;
    try {
      for (let i = 0; i < slowSent; i++) await t.ok(TEST, { id: endpointIds[slow] }, c.op);
      // The slow receiver holds every attempt the bound lets it have before the other endpoint's are queued.
      await eventually(async () => rx.openAt(slow) === MAX_IN_FLIGHT_PER_ENDPOINT, 10_000);
      for (let i = 0; i < fastSent; i++) await t.ok(TEST, { id: endpointIds[fast] }, c.op);
      await eventually(
        async () => (await t.ok(DELIVERIES, { id: endpointIds[fast], status: 'SUCCEEDED' }, c.op)).webhookDeliveries.totalCount === fastSent,
        20_000,
      );
      expect(rx.at(fast)).toHaveLength(fastSent);
      // Never more than the bound at once; the attempts over it were put back, not sent.
      expect(rx.mostOpenAt(slow)).toBe(MAX_IN_FLIGHT_PER_ENDPOINT);
      expect((await t.ok(DELIVERIES, { id: endpointIds[slow], status: 'SUCCEEDED' }, c.op)).webhookDeliveries.totalCount).toBe(0);
    } finally {
      rx.answer = () => 200;
      // Its deliveries go with it: their attempts still hanging find nothing to record.
      await t.ok(DELETE, { id: endpointIds[slow] }, c.op);
    }
  }, 60_000);

  it('lists the event types an endpoint may ask for, each of them accepted by createWebhookEndpoint', async () => {
    const types: string[] = (await t.ok(`{ webhookEventTypes }`, {}, c.keys.client)).webhookEventTypes;
    expect(types).toEqual(expect.arrayContaining(['order.placed', 'order.fulfilled', 'order.partially_refunded', 'statement.paid', 'health.at_risk']));
    expect(types).not.toContain('webhook.test');
    expect(types).not.toContain('*');
    expect(new Set(types).size).toBe(types.length);
    const made = (await t.ok(CREATE, { input: { url: 'https://example.com/every-type', eventTypes: types } }, c.op)).createWebhookEndpoint.endpoint;
    expect(made.eventTypes).toEqual(types);
    await t.ok(DELETE, { id: made.id }, c.op);
  });

  it('refuses bad input with the contract codes and stores nothing', async () => {
    const before = (await t.ok(LIST, {}, c.keys.client)).webhookEndpoints.length;
    const code = (input: Record<string, unknown>, key = c.keys.client) => t.code(CREATE, { input: { eventTypes: ['*'], ...input } }, key);
    expect(await code({ url: 'not a url' })).toBe('BAD_USER_INPUT');
    expect(await code({ url: 'ftp://example.com/hook' })).toBe('BAD_USER_INPUT');
    expect(await code({ url: `https://example.com/${'a'.repeat(3000)}` })).toBe('BAD_USER_INPUT');
    expect(await code({ url: 'https://example.com/hook', eventTypes: ['order.exploded'] })).toBe('BAD_USER_INPUT');
    expect(await code({ url: 'https://example.com/hook' }, t.adminKey)).toBe('FORBIDDEN');
    expect((await t.ok(LIST, {}, c.keys.client)).webhookEndpoints).toHaveLength(before);

    // A 21st endpoint of one owner.
    for (let i = before; i < 20; i++) await t.ok(CREATE, { input: { url: `https://example.com/${i}`, eventTypes: ['order.placed'] } }, c.keys.client);
    expect(await code({ url: 'https://example.com/21' })).toBe('BAD_USER_INPUT');
    expect((await t.ok(LIST, {}, c.keys.client)).webhookEndpoints).toHaveLength(20);

    // Someone else's endpoint: the operator does not reach a member's own either.
    const theirs = endpointIds['/client'];
    for (const key of [c.keys.florist, c.op]) {
      expect(await t.code(UPDATE, { id: theirs, input: { enabled: false } }, key)).toBe('NOT_FOUND');
      expect(await t.code(DELETE, { id: theirs }, key)).toBe('NOT_FOUND');
      expect(await t.code(ROTATE, { id: theirs }, key)).toBe('NOT_FOUND');
      expect(await t.code(TEST, { id: theirs }, key)).toBe('NOT_FOUND');
      expect(await t.code(DELIVERIES, { id: theirs }, key)).toBe('NOT_FOUND');
    }
    expect(await t.code(UPDATE, { id: NO_SUCH_ID, input: { enabled: false } }, c.keys.client)).toBe('NOT_FOUND');
    expect(await t.code(REDELIVER, { id: NO_SUCH_ID }, c.keys.client)).toBe('NOT_FOUND');
    const mine = (await t.ok(LIST, {}, c.keys.client)).webhookEndpoints.find((e: any) => e.id === theirs);
    expect(mine).toMatchObject({ enabled: true, url: rx.url('/client') });
    // An update with a bad URL changes nothing either.
    expect(await t.code(UPDATE, { id: theirs, input: { url: 'ftp://x', enabled: false } }, c.keys.client)).toBe('BAD_USER_INPUT');
    expect((await t.ok(LIST, {}, c.keys.client)).webhookEndpoints.find((e: any) => e.id === theirs)).toEqual(mine);
  });

  it('updates and deletes an endpoint for its owner', async () => {
    const made = await create(c.keys.florist, '/florist-2', ['order.placed']);
    const updated = (
      await t.ok(UPDATE, { id: made.endpoint.id, input: { eventTypes: ['order.fulfilled', '*'], enabled: false, description: null } }, c.keys.florist)
    ).updateWebhookEndpoint;
    expect(updated).toMatchObject({ id: made.endpoint.id, eventTypes: ['order.fulfilled', '*'], enabled: false, description: null });
    expect((await t.ok(DELETE, { id: made.endpoint.id }, c.keys.florist)).deleteWebhookEndpoint).toBe(true);
    expect(await t.code(DELETE, { id: made.endpoint.id }, c.keys.florist)).toBe('NOT_FOUND');
  });
});

/**
 * The SSRF guard where it is on: production (NODE_ENV=production) without
 * TANDEM_WEBHOOK_ALLOW_PRIVATE. Loopback receivers stand for the private
 * network an attacker would aim at.
 */
describe('webhooks in production: private, loopback and link-local targets', () => {
  let rx: WebhookReceiver;
  let guarded: TandemHarness;
  let allowed: TandemHarness;

  beforeAll(async () => {
    rx = await WebhookReceiver.start();
    guarded = await TandemHarness.start('webhooks-ssrf', { config: { production: true, webhookAllowPrivate: false, webhookRetrySeconds: RETRY_SECONDS } });
    allowed = await TandemHarness.start('webhooks-ssrf-allowed', {
      config: { production: true, webhookAllowPrivate: true, webhookRetrySeconds: RETRY_SECONDS },
    });
  }, 60_000);
  afterAll(async () => {
    await guarded?.stop();
    await allowed?.stop();
    await rx?.stop();
  });

  const deliveriesOf = async (t: TandemHarness, op: string, endpointId: string) =>
    (await t.ok(DELIVERIES, { id: endpointId }, op)).webhookDeliveries.edges.map((e: any) => e.node);

  it('refuses a private, loopback or link-local URL, and plain http, when an endpoint is made or changed', async () => {
    const { op } = await createNetwork(guarded, 'Guarded');
    const code = (url: string) => guarded.code(CREATE, { input: { url, eventTypes: ['*'] } }, op);
    for (const url of [
      rx.url('/plain-http'),
      'https://127.0.0.1/hook',
      'https://10.1.2.3/hook',
      'https://192.168.0.10/hook',
      'https://169.254.169.254/latest/meta-data',
      'https://[::1]/hook',
      'https://[fd00::1]/hook',
      'https://localhost/hook',
    ])
      expect([url, await code(url)]).toEqual([url, 'BAD_USER_INPUT']);
    expect((await guarded.ok(LIST, {}, op)).webhookEndpoints).toEqual([]);
    // A public address is accepted (no DNS needed for a literal), and cannot be changed to a private one.
    const made = (await guarded.ok(CREATE, { input: { url: 'https://93.184.215.14/hook', eventTypes: ['*'] } }, op)).createWebhookEndpoint;
    expect(made.endpoint.url).toBe('https://93.184.215.14/hook');
    expect(await guarded.code(UPDATE, { id: made.endpoint.id, input: { url: 'https://127.0.0.1/hook' } }, op)).toBe('BAD_USER_INPUT');
    expect((await guarded.ok(LIST, {}, op)).webhookEndpoints.map((e: any) => e.url)).toEqual(['https://93.184.215.14/hook']);
  });

  it('refuses at delivery a target that now points inside the network: FAILED at once, the receiver never reached', async () => {
    const { op } = await createNetwork(guarded, 'Rebound');
    // Accepted while public; then it points at loopback, as a DNS record changed after the check would
    // (written in the table directly: no API path may store it). An IP literal, and a name resolved at the attempt.
    const ids: Record<string, string> = {};
    for (const [path, target] of [
      ['/rebound-literal', rx.url('/rebound-literal')],
      ['/rebound-dns', rx.url('/rebound-dns').replace('127.0.0.1', 'localhost')],
    ]) {
      const made = (await guarded.ok(CREATE, { input: { url: 'https://93.184.215.14/hook', eventTypes: ['*'] } }, op)).createWebhookEndpoint;
      await probeSql(guarded.config.databaseUrl, `UPDATE webhook_endpoints SET url = $2 WHERE id = $1`, [made.endpoint.id, target]);
      ids[path] = made.endpoint.id;
    }
    for (const [path, id] of Object.entries(ids)) {
      const { sendTestWebhook: d } = await guarded.ok(TEST, { id }, op);
      const failed = await eventually(async () => {
        const [latest] = await deliveriesOf(guarded, op, id);
        return latest?.status === 'FAILED' && latest;
      }, 15_000);
      // One attempt, no response, no retry due: the guard's refusal is final (the worker logs why).
      expect([path, failed]).toEqual([path, expect.objectContaining({ id: d.id, attempts: 1, lastResponseStatus: null, nextAttemptAt: null })]);
      expect(rx.at(path)).toEqual([]);
    }
  });
});

describe('webhooks in production with TANDEM_WEBHOOK_ALLOW_PRIVATE=true', () => {
  let rx: WebhookReceiver;
  let allowed: TandemHarness;

  beforeAll(async () => {
    rx = await WebhookReceiver.start();
    allowed = await TandemHarness.start('webhooks-ssrf-allowed', {
      config: { production: true, webhookAllowPrivate: true, webhookRetrySeconds: RETRY_SECONDS },
    });
  }, 60_000);
  afterAll(async () => {
    await allowed?.stop();
    await rx?.stop();
  });

  it('accepts a plain-http loopback URL and delivers to it', async () => {
    const { op } = await createNetwork(allowed, 'Allowed');
    const made = (await allowed.ok(CREATE, { input: { url: rx.url('/allowed'), eventTypes: ['*'] } }, op)).createWebhookEndpoint;
    const { sendTestWebhook: d } = await allowed.ok(TEST, { id: made.endpoint.id }, op);
    const done = await eventually(async () => {
      const [latest] = (await allowed.ok(DELIVERIES, { id: made.endpoint.id }, op)).webhookDeliveries.edges.map((e: any) => e.node);
      return latest?.status === 'SUCCEEDED' && latest;
    }, 15_000);
    expect(done).toMatchObject({ id: d.id, attempts: 1, lastResponseStatus: 200 });
    expect(rx.at('/allowed')).toHaveLength(1);
    expect(new Webhook(made.secret).verify(rx.at('/allowed')[0].body, headersOf(rx.at('/allowed')[0]))).toMatchObject({ type: 'webhook.test' });
  });
});
