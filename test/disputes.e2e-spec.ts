import { DataSource } from 'typeorm';
import { eventually } from '@tandem/testing';
import { Circles, auditedCircles } from './support/audited-circles';
import { TandemHarness } from './support/tandem';

const MONEY = 'amount currency';
const FEEDBACK = `id subject rating comment createdAt author { id } order { id }`;
const DISPUTE = `id status reason supplierResponse resolution refund { ${MONEY} } createdAt resolvedAt openedBy { id } order { id status }`;
const ORDER = `query($id: ID!) { order(id: $id) { id status refundedAmount { ${MONEY} } feedback { ${FEEDBACK} } dispute { ${DISPUTE} }
  refunds { amount { ${MONEY} } reversed { clientFee { ${MONEY} } supplierFee { ${MONEY} } partnerShares { amount { ${MONEY} } } } } events { type } } }`;
const LEAVE = `mutation($input: FeedbackInput!) { leaveFeedback(input: $input) { ${FEEDBACK} } }`;
const OPEN = `mutation($id: ID!, $reason: String!) { openDispute(orderId: $id, reason: $reason) { ${DISPUTE} } }`;
const RESPOND = `mutation($id: ID!, $response: String!) { respondToDispute(disputeId: $id, response: $response) { ${DISPUTE} } }`;
const RESOLVE = `mutation($id: ID!, $refund: MoneyInput, $note: String) { resolveDispute(disputeId: $id, refund: $refund, note: $note) { ${DISPUTE} } }`;
const PLACE = `mutation($input: OrderInput!) { placeOrder(input: $input) { id status } }`;
const ACCEPT = `mutation($id: ID!) { acceptOrder(orderId: $id) { id status } }`;
const FULFIL = `mutation($id: ID!) { fulfilOrder(orderId: $id) { id status } }`;
const REFUND = `mutation($id: ID!) { refundOrder(orderId: $id) { id status } }`;
const PARTIAL = `mutation($id: ID!, $amount: MoneyInput!) { refundOrderPartially(orderId: $id, amount: $amount) { id status } }`;
const HEALTH = `query($id: ID!) { relationshipHealth(memberId: $id) { ratingReceived ratingOfHub disputes credibility selfOrientation atRisk signals } }`;
const BALANCE = `query($m: ID!) { balance(memberId: $m, currency: "USD") { owedToHub { ${MONEY} } owedByHub { ${MONEY} } } }`;

const DISPUTES = `query($status: DisputeStatus, $first: Int, $after: String) { disputes(status: $status, first: $first, after: $after) {
  totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { id status reason order { id } openedBy { id } } } } }`;
const ORDERS_PAGE = `query { orders(first: 1) { edges { cursor } } }`;

const usd = (amount: string) => ({ amount, currency: 'USD' });
const inDays = (d: number) => new Date(Date.now() + d * 86_400_000).toISOString();

let seq = 0;

describe('feedback and disputes over HTTP (libs/disputes/README.md, "Rules")', () => {
  let t: TandemHarness;
  const db = () => t.api.get(DataSource);

  beforeAll(async () => {
    t = await TandemHarness.start('disputes');
  });
  afterAll(() => t.stop());

  // After every scenario: the trial balance is balanced, caches match, open balances agree with statements.
  const { circles } = auditedCircles(() => t);

  async function accepted(c: Circles, clientKey = c.keys.client): Promise<string> {
    const { placeOrder } = await t.ok(
      PLACE,
      { input: { category: 'gift-baskets', region: 'US-NY', quantity: 1, deliverBy: inDays(3), budget: usd('150'), idempotencyKey: `k-${++seq}` } },
      clientKey,
    );
    await eventually(async () => (await t.ok(ORDER, { id: placeOrder.id }, c.op)).order.status === 'OFFERED', 5000);
    await t.ok(ACCEPT, { id: placeOrder.id }, c.keys.supplier);
    return placeOrder.id;
  }

  async function fulfilled(c: Circles, clientKey = c.keys.client): Promise<string> {
    const id = await accepted(c, clientKey);
    await t.ok(FULFIL, { id }, c.keys.supplier);
    return id;
  }

  const order = async (key: string, id: string) => (await t.ok(ORDER, { id }, key)).order;
  const feedbackCount = async (id: string) => Number((await db().query(`SELECT count(*) AS n FROM feedback WHERE order_id = $1`, [id]))[0].n);
  const published = async (type: string) =>
    (await db().query(`SELECT payload FROM outbox WHERE name = 'publish-event' AND payload->>'type' = $1 ORDER BY id`, [type])).map((r: any) => r.payload);
  const backdateFulfilment = (id: string, days: number) =>
    db().query(`UPDATE orders SET fulfilled_at = now() - make_interval(days => $2) WHERE id = $1`, [id, days]);

  describe('feedback', () => {
    it('lets the client rate the supplier and the hub, the supplier the client and the hub; both parties and the operator see all of it', async () => {
      const c = await circles();
      const id = await fulfilled(c);
      const a = (await t.ok(LEAVE, { input: { orderId: id, subject: 'SUPPLIER', rating: 5, comment: 'lovely basket' } }, c.keys.client)).leaveFeedback;
      expect(a).toMatchObject({ subject: 'SUPPLIER', rating: 5, comment: 'lovely basket', author: { id: c.client.id }, order: { id } });
      await t.ok(LEAVE, { input: { orderId: id, subject: 'HUB', rating: 2 } }, c.keys.client);
      await t.ok(LEAVE, { input: { orderId: id, subject: 'CLIENT', rating: 4, comment: null } }, c.keys.supplier);
      await t.ok(LEAVE, { input: { orderId: id, subject: 'HUB', rating: 3 } }, c.keys.supplier);
      for (const key of [c.keys.client, c.keys.supplier, c.op]) {
        const seen = (await order(key, id)).feedback.map((f: any) => `${f.author.id === c.client.id ? 'client' : 'supplier'}:${f.subject}:${f.rating}`);
        expect(seen).toEqual(['client:SUPPLIER:5', 'client:HUB:2', 'supplier:CLIENT:4', 'supplier:HUB:3']);
      }
      // feedback.received, once per feedback; the author rides along for the webhooks' reach (never back to its author), not for receivers.
      const events = (await published('feedback.received')).filter((e: any) => e.data.orderId === id);
      const authors = new Map((await order(c.op, id)).feedback.map((f: any) => [f.id, f.author.id]));
      expect(events.map((e: any) => [e.data.feedbackId, e.data.authorId]).sort()).toEqual([...authors.entries()].sort());
    });

    it('refuses what the rules do not allow, with the contract code, and changes nothing', async () => {
      const c = await circles();
      const id = await fulfilled(c);
      await t.ok(LEAVE, { input: { orderId: id, subject: 'SUPPLIER', rating: 4 } }, c.keys.client);
      const unfulfilled = await accepted(c);
      const late = await fulfilled(c);
      await backdateFulfilment(late, 31);
      const rate = (orderId: string, subject: string, rating: number, comment?: string) => ({ input: { orderId, subject, rating, comment } });
      const cases: [string, Record<string, unknown>, string, string][] = [
        ['a stranger (a member not party to the order)', rate(id, 'SUPPLIER', 4), c.keys.florist, 'NOT_FOUND'],
        ['a partner of the parties', rate(id, 'HUB', 4), c.keys.p1, 'NOT_FOUND'],
        ['another network', rate(id, 'HUB', 4), (await circles()).keys.client, 'NOT_FOUND'],
        ['an operator', rate(id, 'SUPPLIER', 4), c.op, 'FORBIDDEN'],
        // The README's precedence: the kind of key first, then reach, then the input.
        ['an operator with a rating of 0', rate(id, 'HUB', 0), c.op, 'FORBIDDEN'],
        ["another network's operator", rate(id, 'HUB', 4), (await circles()).op, 'FORBIDDEN'],
        ['the admin key', rate(id, 'HUB', 4), t.adminKey, 'FORBIDDEN'],
        ['a stranger with a rating of 0', rate(id, 'HUB', 0), c.keys.florist, 'NOT_FOUND'],
        ['a stranger rating CLIENT', rate(id, 'CLIENT', 4), c.keys.newcomer, 'NOT_FOUND'],
        ['the client rating CLIENT', rate(id, 'CLIENT', 4), c.keys.client, 'BAD_USER_INPUT'],
        ['the supplier rating SUPPLIER', rate(id, 'SUPPLIER', 4), c.keys.supplier, 'BAD_USER_INPUT'],
        ['a rating of 0', rate(id, 'HUB', 0), c.keys.client, 'BAD_USER_INPUT'],
        ['a rating of 6', rate(id, 'HUB', 6), c.keys.client, 'BAD_USER_INPUT'],
        ['a second rating of the same subject', rate(id, 'SUPPLIER', 2), c.keys.client, 'BAD_USER_INPUT'],
        ['a comment over 2,000 code points', rate(id, 'HUB', 3, '😀'.repeat(2001)), c.keys.client, 'BAD_USER_INPUT'],
        ['an unfulfilled order', rate(unfulfilled, 'SUPPLIER', 4), c.keys.client, 'BAD_USER_INPUT'],
        ['31 days after fulfilment', rate(late, 'SUPPLIER', 4), c.keys.client, 'BAD_USER_INPUT'],
      ];
      for (const [why, vars, key, code] of cases) expect([why, await t.code(LEAVE, vars, key)]).toEqual([why, code]);
      expect([await feedbackCount(id), await feedbackCount(unfulfilled), await feedbackCount(late)]).toEqual([1, 0, 0]);
      expect((await order(c.op, id)).feedback.map((f: any) => f.rating)).toEqual([4]);
      // 2,000 code points is the most a comment may have; 29 days after fulfilment is still in time.
      await backdateFulfilment(late, 29);
      await t.ok(LEAVE, rate(late, 'HUB', 3, '😀'.repeat(2000)), c.keys.client);
    });

    it('accepts feedback on an order PARTIALLY_REFUNDED, DISPUTED or REFUNDED, as on a FULFILLED one', async () => {
      const c = await circles();
      const partly = await fulfilled(c);
      await t.ok(PARTIAL, { id: partly, amount: usd('20') }, c.op);
      const disputed = await fulfilled(c);
      await t.ok(OPEN, { id: disputed, reason: 'late' }, c.keys.client);
      const refunded = await fulfilled(c);
      await t.ok(REFUND, { id: refunded }, c.op);
      for (const [id, status] of [
        [partly, 'PARTIALLY_REFUNDED'],
        [disputed, 'DISPUTED'],
        [refunded, 'REFUNDED'],
      ]) {
        await t.ok(LEAVE, { input: { orderId: id, subject: 'SUPPLIER', rating: 3 } }, c.keys.client);
        await t.ok(LEAVE, { input: { orderId: id, subject: 'HUB', rating: 4 } }, c.keys.supplier);
        const o = await order(c.op, id);
        expect([o.status, o.feedback.map((f: any) => `${f.subject}:${f.rating}`)]).toEqual([status, ['SUPPLIER:3', 'HUB:4']]);
      }
    });

    it('keeps one of several concurrent ratings of the same subject by the same author', async () => {
      const c = await circles();
      const id = await fulfilled(c);
      const results = await Promise.all(
        Array.from({ length: 5 }, (_, i) => t.gql(LEAVE, { input: { orderId: id, subject: 'SUPPLIER', rating: 1 + i } }, c.keys.client)),
      );
      expect(results.map((r) => r.errors?.[0]?.extensions?.code ?? 'OK').sort()).toEqual([
        'BAD_USER_INPUT',
        'BAD_USER_INPUT',
        'BAD_USER_INPUT',
        'BAD_USER_INPUT',
        'OK',
      ]);
      const kept = results.find((r) => !r.errors)?.data?.leaveFeedback.rating;
      expect((await order(c.op, id)).feedback.map((f: any) => f.rating)).toEqual([kept]);
    });
  });

  describe('disputes', () => {
    it('opens, answers and resolves with a partial refund exactly as refundOrderPartially does', async () => {
      const c = await circles();
      const id = await fulfilled(c);
      await eventually(async () => (await t.ok(BALANCE, { m: c.client.id }, c.op)).balance.owedToHub.amount === '132.00', 2000);
      const opened = (await t.ok(OPEN, { id, reason: 'two of the six items were missing' }, c.keys.client)).openDispute;
      expect(opened).toMatchObject({ status: 'OPEN', reason: 'two of the six items were missing', supplierResponse: null, refund: null, resolvedAt: null });
      expect(opened.openedBy.id).toBe(c.client.id);
      expect(opened.order.status).toBe('DISPUTED');
      // While disputed: no refund of either kind; feedback is still welcome; a dispute holds no money.
      expect(await t.code(REFUND, { id }, c.op)).toBe('BAD_USER_INPUT');
      expect(await t.code(PARTIAL, { id, amount: usd('10') }, c.op)).toBe('BAD_USER_INPUT');
      await t.ok(LEAVE, { input: { orderId: id, subject: 'SUPPLIER', rating: 2 } }, c.keys.client);
      expect((await t.ok(BALANCE, { m: c.client.id }, c.op)).balance.owedToHub.amount).toBe('132.00');

      const answered = (await t.ok(RESPOND, { id: opened.id, response: 'the courier lost a box' }, c.keys.supplier)).respondToDispute;
      expect(answered.supplierResponse).toBe('the courier lost a box');
      expect(await t.code(RESPOND, { id: opened.id, response: 'again' }, c.keys.supplier)).toBe('BAD_USER_INPUT');

      const resolved = (await t.ok(RESOLVE, { id: opened.id, refund: usd('30'), note: 'a quarter back' }, c.op)).resolveDispute;
      expect(resolved).toMatchObject({ status: 'RESOLVED', resolution: 'a quarter back', refund: usd('30.00'), order: { status: 'PARTIALLY_REFUNDED' } });
      expect(resolved.resolvedAt).not.toBeNull();
      const o = await order(c.keys.client, id);
      expect(o.dispute.status).toBe('RESOLVED');
      expect(o.refundedAmount).toEqual(usd('30.00'));
      expect(o.refunds[0].reversed).toEqual({
        clientFee: usd('3.00'),
        supplierFee: usd('1.50'),
        partnerShares: [{ amount: usd('0.60') }, { amount: usd('0.30') }],
      });
      expect(o.events.map((e: any) => e.type)).toEqual(['placed', 'offered', 'accepted', 'fulfilled', 'disputed', 'partially_refunded']);
      await eventually(async () => (await t.ok(BALANCE, { m: c.client.id }, c.op)).balance.owedToHub.amount === '99.00', 2000);
      expect(await t.code(RESOLVE, { id: opened.id }, c.op)).toBe('BAD_USER_INPUT');
      expect((await published('dispute.resolved')).filter((e: any) => e.data.disputeId === opened.id).map((e: any) => e.data)).toEqual([
        { disputeId: opened.id, orderId: id, status: 'RESOLVED' },
      ]);
      // The order's own events, each with the status right after it.
      for (const [type, status] of [
        ['order.disputed', 'DISPUTED'],
        ['order.partially_refunded', 'PARTIALLY_REFUNDED'],
      ]) {
        expect([type, (await published(type)).filter((e: any) => e.data.orderId === id).map((e: any) => e.data.status)]).toEqual([type, [status]]);
      }
    });

    it('a rejected dispute returns the order to the status it had; a second dispute is refused', async () => {
      const c = await circles();
      const id = await fulfilled(c);
      await t.ok(PARTIAL, { id, amount: usd('20') }, c.op);
      const d = (await t.ok(OPEN, { id, reason: 'late' }, c.keys.client)).openDispute;
      expect(await t.code(OPEN, { id, reason: 'again' }, c.keys.client)).toBe('BAD_USER_INPUT');
      const rejected = (await t.ok(RESOLVE, { id: d.id, note: 'delivered on time' }, c.op)).resolveDispute;
      expect(rejected).toMatchObject({ status: 'REJECTED', refund: null, resolution: 'delivered on time', order: { status: 'PARTIALLY_REFUNDED' } });
      expect(await t.code(OPEN, { id, reason: 'again' }, c.keys.client)).toBe('BAD_USER_INPUT');
      expect(await t.code(RESPOND, { id: d.id, response: 'too late' }, c.keys.supplier)).toBe('BAD_USER_INPUT');
      expect((await order(c.op, id)).events.map((e: any) => e.type).slice(-3)).toEqual(['partially_refunded', 'disputed', 'dispute_rejected']);
      expect((await published('dispute.resolved')).filter((e: any) => e.data.disputeId === d.id).map((e: any) => e.data.status)).toEqual(['REJECTED']);
      // A refund of the whole remainder by resolution makes the order REFUNDED.
      const other = await fulfilled(c);
      const d2 = (await t.ok(OPEN, { id: other, reason: 'never arrived' }, c.keys.client)).openDispute;
      expect((await t.ok(RESOLVE, { id: d2.id, refund: usd('120') }, c.op)).resolveDispute.order.status).toBe('REFUNDED');
      // The supplier keeps the first order less what its partial refund took back (20.00 - 1.00 of fee): 114.00 - 19.00.
      await eventually(async () => (await t.ok(BALANCE, { m: c.supplier.id }, c.op)).balance.owedByHub.amount === '95.00', 2000);
    });

    it('refuses what the rules do not allow, with the contract code, and changes nothing', async () => {
      const c = await circles();
      const id = await fulfilled(c);
      const unfulfilled = await accepted(c);
      const late = await fulfilled(c);
      await backdateFulfilment(late, 31);
      const cases: [string, string, Record<string, unknown>, string, string][] = [
        ['a supplier-only member', OPEN, { id, reason: 'x' }, c.keys.supplier, 'FORBIDDEN'],
        ['an operator', OPEN, { id, reason: 'x' }, c.op, 'FORBIDDEN'],
        ['a client not party to the order', OPEN, { id, reason: 'x' }, c.keys.florist, 'NOT_FOUND'],
        ['an empty reason', OPEN, { id, reason: '' }, c.keys.client, 'BAD_USER_INPUT'],
        ['a reason over 2,000 code points', OPEN, { id, reason: 'x'.repeat(2001) }, c.keys.client, 'BAD_USER_INPUT'],
        ['an unfulfilled order', OPEN, { id: unfulfilled, reason: 'x' }, c.keys.client, 'BAD_USER_INPUT'],
        ['31 days after fulfilment', OPEN, { id: late, reason: 'x' }, c.keys.client, 'BAD_USER_INPUT'],
        ['an unknown order', OPEN, { id: '00000000-0000-4000-8000-000000000000', reason: 'x' }, c.keys.client, 'NOT_FOUND'],
        // The README's precedence: the kind of key first, then reach, then the input.
        ['a supplier-only member, on an order it does not reach', OPEN, { id, reason: 'x' }, c.keys.newcomer, 'FORBIDDEN'],
        ['an operator with an empty reason', OPEN, { id, reason: '' }, c.op, 'FORBIDDEN'],
        ['a client not party to the order, with an empty reason', OPEN, { id, reason: '' }, c.keys.florist, 'NOT_FOUND'],
        ["another network's client", OPEN, { id, reason: 'x' }, (await circles()).keys.client, 'NOT_FOUND'],
      ];
      for (const [why, q, vars, key, code] of cases) expect([why, await t.code(q, vars, key)]).toEqual([why, code]);
      for (const o of [id, unfulfilled, late]) expect((await order(c.op, o)).dispute).toBeNull();
      expect((await order(c.op, id)).status).toBe('FULFILLED');

      const d = (await t.ok(OPEN, { id, reason: 'broken' }, c.keys.client)).openDispute;
      const more: [string, string, Record<string, unknown>, string, string][] = [
        ['a client answering', RESPOND, { id: d.id, response: 'x' }, c.keys.client, 'FORBIDDEN'],
        ['a supplier not party to the order', RESPOND, { id: d.id, response: 'x' }, c.keys.newcomer, 'NOT_FOUND'],
        ['a member resolving', RESOLVE, { id: d.id }, c.keys.florist, 'FORBIDDEN'],
        ['another network resolving', RESOLVE, { id: d.id }, (await circles()).op, 'NOT_FOUND'],
        ['a refund above the price', RESOLVE, { id: d.id, refund: usd('120.01') }, c.op, 'BAD_USER_INPUT'],
        ['a refund in another currency', RESOLVE, { id: d.id, refund: { amount: '1', currency: 'EUR' } }, c.op, 'BAD_USER_INPUT'],
        ['a refund with too many decimals', RESOLVE, { id: d.id, refund: usd('1.001') }, c.op, 'BAD_USER_INPUT'],
        ['a refund of zero', RESOLVE, { id: d.id, refund: usd('0') }, c.op, 'BAD_USER_INPUT'],
        ['a negative refund', RESOLVE, { id: d.id, refund: usd('-5') }, c.op, 'BAD_USER_INPUT'],
        ['a note over 2,000 code points', RESOLVE, { id: d.id, note: 'x'.repeat(2001) }, c.op, 'BAD_USER_INPUT'],
        ['an empty response', RESPOND, { id: d.id, response: '' }, c.keys.supplier, 'BAD_USER_INPUT'],
        ['a member resolving with a bad refund', RESOLVE, { id: d.id, refund: usd('1.001') }, c.keys.client, 'FORBIDDEN'],
        ["another network's operator with a bad refund", RESOLVE, { id: d.id, refund: usd('0') }, (await circles()).op, 'NOT_FOUND'],
        ['an unknown dispute', RESOLVE, { id: '00000000-0000-4000-8000-000000000000' }, c.op, 'NOT_FOUND'],
      ];
      for (const [why, q, vars, key, code] of more) expect([why, await t.code(q, vars, key)]).toEqual([why, code]);
      const o = await order(c.op, id);
      expect([o.status, o.dispute.status, o.dispute.supplierResponse, o.refunds.length]).toEqual(['DISPUTED', 'OPEN', null, 0]);
    });

    it('refuses a dispute of a REFUNDED order, and a resolution above what remains after a partial refund, changing nothing', async () => {
      const c = await circles();
      const refunded = await fulfilled(c);
      await t.ok(REFUND, { id: refunded }, c.op);
      expect(await t.code(OPEN, { id: refunded, reason: 'x' }, c.keys.client)).toBe('BAD_USER_INPUT');
      expect((await order(c.op, refunded)).dispute).toBeNull();

      const id = await fulfilled(c);
      await t.ok(PARTIAL, { id, amount: usd('100') }, c.op);
      // 2,000 code points is the longest reason.
      const d = (await t.ok(OPEN, { id, reason: '😀'.repeat(2000) }, c.keys.client)).openDispute;
      expect(await t.code(RESOLVE, { id: d.id, refund: usd('20.01') }, c.op)).toBe('BAD_USER_INPUT');
      let o = await order(c.op, id);
      expect([o.status, o.dispute.status, o.refundedAmount, o.refunds.length]).toEqual(['DISPUTED', 'OPEN', usd('100.00'), 1]);
      // The whole remainder is allowed, and ends the order REFUNDED.
      await t.ok(RESOLVE, { id: d.id, refund: usd('20') }, c.op);
      o = await order(c.op, id);
      expect([o.status, o.dispute.status, o.dispute.refund, o.refundedAmount]).toEqual(['REFUNDED', 'RESOLVED', usd('20.00'), usd('120.00')]);
      await eventually(async () => (await t.ok(BALANCE, { m: c.client.id }, c.op)).balance.owedToHub.amount === '0.00', 2000);
    });

    it('opens one dispute of several concurrent ones', async () => {
      const c = await circles();
      const id = await fulfilled(c);
      const results = await Promise.all(Array.from({ length: 5 }, (_, i) => t.gql(OPEN, { id, reason: `reason ${i}` }, c.keys.client)));
      expect(results.map((r) => r.errors?.[0]?.extensions?.code ?? 'OK').sort()).toEqual([
        'BAD_USER_INPUT',
        'BAD_USER_INPUT',
        'BAD_USER_INPUT',
        'BAD_USER_INPUT',
        'OK',
      ]);
      const o = await order(c.op, id);
      expect([o.status, o.dispute.id, o.events.filter((e: any) => e.type === 'disputed').length]).toEqual([
        'DISPUTED',
        results.find((r) => !r.errors)?.data?.openDispute.id,
        1,
      ]);
    });

    it('a resolution racing refunds and other resolutions refunds once', async () => {
      const c = await circles();
      const id = await fulfilled(c);
      const d = (await t.ok(OPEN, { id, reason: 'never arrived' }, c.keys.client)).openDispute;
      const calls = [
        ...Array.from({ length: 3 }, () => t.gql(RESOLVE, { id: d.id, refund: usd('120') }, c.op)),
        ...Array.from({ length: 3 }, () => t.gql(REFUND, { id }, c.op)),
        ...Array.from({ length: 3 }, () => t.gql(PARTIAL, { id, amount: usd('50') }, c.op)),
      ];
      const results = await Promise.all(calls);
      expect(results.filter((r) => !r.errors).length).toBe(1);
      expect(results.filter((r) => r.errors).every((r) => r.errors?.[0]?.extensions?.code === 'BAD_USER_INPUT')).toBe(true);
      const o = await order(c.op, id);
      expect([o.status, o.refundedAmount, o.refunds.length, o.dispute.status]).toEqual(['REFUNDED', usd('120.00'), 1, 'RESOLVED']);
      await eventually(async () => (await t.ok(BALANCE, { m: c.client.id }, c.op)).balance.owedToHub.amount === '0.00', 2000);
    });
  });
  describe('ratings in relationship health (docs/health.md, "Ratings")', () => {
    it('shows ratingReceived, ratingOfHub and disputes exactly after real feedback and a dispute, and flags low ratings of the hub', async () => {
      const c = await circles();
      const [first, second, third] = [await fulfilled(c), await fulfilled(c), await fulfilled(c)];
      const rate = (key: string, orderId: string, subject: string, rating: number) => t.ok(LEAVE, { input: { orderId, subject, rating } }, key);
      await rate(c.keys.client, first, 'SUPPLIER', 5);
      await rate(c.keys.client, first, 'HUB', 2);
      await rate(c.keys.supplier, first, 'CLIENT', 4);
      await rate(c.keys.supplier, first, 'HUB', 1);
      await rate(c.keys.client, second, 'SUPPLIER', 2);
      await rate(c.keys.client, second, 'HUB', 2);
      await rate(c.keys.supplier, second, 'HUB', 2);
      const d = (await t.ok(OPEN, { id: third, reason: 'crushed' }, c.keys.client)).openDispute;
      await rate(c.keys.client, third, 'SUPPLIER', 3);
      await t.ok(RESOLVE, { id: d.id, refund: usd('30') }, c.op);
      // Health is computed from the postings, which jobs write: wait for all of them (3 x 132.00 less the 33.00 refunded).
      await eventually(async () => (await t.ok(BALANCE, { m: c.client.id }, c.op)).balance.owedToHub.amount === '363.00', 5000);
      const health = async (memberId: string, key = c.op) => (await t.ok(HEALTH, { id: memberId }, key)).relationshipHealth;

      // The supplier: rated 5, 2 and 3 (3.33); it rated the hub 1, then 2 (1.5); one dispute on its orders.
      const supplier = await health(c.supplier.id);
      expect([supplier.ratingReceived, supplier.ratingOfHub, supplier.disputes]).toEqual([3.33, 1.5, 1]);
      // Vetted, nothing refunded in full: 9, blended with (1 + 9 x 2.33/4) = 6.25 at weight 0.5 x 3/6: 8.31.
      expect(supplier.credibility).toBe(8.31);
      expect(supplier.signals).toEqual(
        expect.arrayContaining([
          'Rated the hub 2 and 1 of 5 on its last two orders: self-orientation +0.9.',
          'The other side of its orders rated it 3.33 of 5 on average (3 ratings): credibility -0.69.',
          '1 dispute opened on its orders in the window.',
        ]),
      );
      // The member reads the same figures about itself.
      expect(await health(c.supplier.id, c.keys.supplier)).toEqual(supplier);

      // The client: rated 4 once; it rated the hub 2 twice (+1.5 x 1 x 2/5); the same dispute.
      const client = await health(c.client.id, c.keys.client);
      expect([client.ratingReceived, client.ratingOfHub, client.disputes]).toEqual([4, 2, 1]);
      expect(client.signals).toContain('Rated the hub 2 of 5 on its last two orders: self-orientation +0.6.');
      // A partner of the parties was not rated and opened nothing.
      expect(await health(c.p1.id)).toMatchObject({ ratingReceived: null, ratingOfHub: null, disputes: 0 });

      // A better rating of the hub since ends the run: no more signal, though the average still counts the low ones.
      await rate(c.keys.client, third, 'HUB', 4);
      const after = await health(c.client.id);
      expect([after.ratingReceived, after.ratingOfHub, after.disputes]).toEqual([4, 2.67, 1]);
      expect(after.signals.filter((x: string) => x.startsWith('Rated the hub'))).toEqual([]);
      expect(after.selfOrientation).toBeLessThan(client.selfOrientation);
    });
  });

  describe('the disputes list', () => {
    /** Four disputes, opened in this order: OPEN, REJECTED, OPEN (the florist's order, as client), RESOLVED with a full refund. */
    async function fourDisputes(c: Circles) {
      const open = async (key: string, id: string, reason: string) => (await t.ok(OPEN, { id, reason }, key)).openDispute;
      const orders = [await fulfilled(c), await fulfilled(c), await fulfilled(c, c.keys.florist), await fulfilled(c)];
      const first = await open(c.keys.client, orders[0], 'missing items');
      const rejected = await open(c.keys.client, orders[1], 'late');
      const floristOpen = await open(c.keys.florist, orders[2], 'wrong colour');
      const resolved = await open(c.keys.client, orders[3], 'never arrived');
      await t.ok(RESOLVE, { id: rejected.id, note: 'on time' }, c.op);
      await t.ok(RESOLVE, { id: resolved.id, refund: usd('120') }, c.op);
      return { first, rejected, floristOpen, resolved, orders };
    }
    const list = async (key: string, vars: Record<string, unknown> = {}) => (await t.ok(DISPUTES, vars, key)).disputes;
    const ids = (page: any) => page.edges.map((e: any) => e.node.id);

    it('lists the open disputes oldest first, then the others newest first, with exact nodes and totals, by status too', async () => {
      const c = await circles();
      const d = await fourDisputes(c);
      const all = await list(c.op);
      expect(ids(all)).toEqual([d.first.id, d.floristOpen.id, d.resolved.id, d.rejected.id]);
      expect(all.totalCount).toBe(4);
      expect(all.edges.map((e: any) => [e.node.status, e.node.reason, e.node.order.id, e.node.openedBy.id])).toEqual([
        ['OPEN', 'missing items', d.orders[0], c.client.id],
        ['OPEN', 'wrong colour', d.orders[2], c.florist.id],
        ['RESOLVED', 'never arrived', d.orders[3], c.client.id],
        ['REJECTED', 'late', d.orders[1], c.client.id],
      ]);
      expect(all.pageInfo).toEqual({ hasNextPage: false, hasPreviousPage: false, startCursor: all.edges[0].cursor, endCursor: all.edges[3].cursor });
      for (const [status, expected] of [
        ['OPEN', [d.first.id, d.floristOpen.id]],
        ['RESOLVED', [d.resolved.id]],
        ['REJECTED', [d.rejected.id]],
      ] as const) {
        const page = await list(c.op, { status });
        expect([status, ids(page), page.totalCount]).toEqual([status, expected, expected.length]);
      }
    });

    it('pages one at a time through the same order, with the whole PageInfo, and refuses what is not its cursor or page size', async () => {
      const c = await circles();
      const d = await fourDisputes(c);
      const seen: string[] = [];
      const pageInfos: [boolean, boolean][] = [];
      let after: string | null = null;
      do {
        const page: any = await list(c.op, { first: 1, after });
        expect(page.totalCount).toBe(4);
        seen.push(...ids(page));
        pageInfos.push([page.pageInfo.hasPreviousPage, page.pageInfo.hasNextPage]);
        after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
      } while (after);
      expect(seen).toEqual([d.first.id, d.floristOpen.id, d.resolved.id, d.rejected.id]);
      expect(pageInfos).toEqual([
        [false, true],
        [true, true],
        [true, true],
        [true, false],
      ]);
      // Past the last open one, only the closed ones follow, newest first.
      const afterOpen = await list(c.op, { first: 1, after: (await list(c.op, { first: 2 })).pageInfo.endCursor });
      expect(ids(afterOpen)).toEqual([d.resolved.id]);
      // first: 0 counts without edges.
      expect((await list(c.op, { first: 0 })).pageInfo).toEqual({ hasNextPage: true, hasPreviousPage: false, startCursor: null, endCursor: null });
      const orderCursor = (await t.ok(ORDERS_PAGE, {}, c.op)).orders.edges[0].cursor;
      for (const bad of ['not-a-cursor', orderCursor, Buffer.from('X2026-01-01T00:00:00.000Z|3f2b1c9e-8a7d-4e6f-9b0a-1c2d3e4f5a6b').toString('base64url')]) {
        expect((await t.gql(DISPUTES, { after: bad }, c.op)).errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'after' } });
      }
      for (const vars of [{ first: 101 }, { first: -1 }, { status: 'CLOSED' }]) expect(await t.code(DISPUTES, vars, c.op)).toBe('BAD_USER_INPUT');
    });

    it("shows a member only its own orders' disputes, as client or supplier; strangers, partners and other networks none", async () => {
      const c = await circles();
      const d = await fourDisputes(c);
      expect(ids(await list(c.keys.client))).toEqual([d.first.id, d.resolved.id, d.rejected.id]);
      expect(ids(await list(c.keys.florist))).toEqual([d.floristOpen.id]);
      expect(ids(await list(c.keys.supplier))).toEqual([d.first.id, d.floristOpen.id, d.resolved.id, d.rejected.id]);
      expect((await list(c.keys.client, { status: 'OPEN' })).totalCount).toBe(1);
      const other = await circles();
      const none = { totalCount: 0, edges: [], pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null } };
      for (const [who, key] of [
        ['a member that supplied nothing', c.keys.newcomer],
        ['a partner of both parties', c.keys.p1],
        ["another network's operator", other.op],
        ["another network's client", other.keys.client],
      ]) {
        expect([who, await list(key)]).toEqual([who, none]);
      }
      expect(await t.code(DISPUTES, {}, t.adminKey)).toBe('FORBIDDEN');
      expect(await t.code(DISPUTES, {})).toBe('UNAUTHENTICATED');
    });
  });
});
