import { Server, createServer } from 'node:http';
import { eventually } from '@tandem/testing';
import { ProcessStack } from './support/processes';

/**
 * One trace from a GraphQL request through the outbox to the job it caused
 * (issue 16): an API and a worker as processes, exporting by OTLP/HTTP (JSON)
 * to a receiver this suite runs on loopback. The job's span carries the trace
 * id of the request and is the child of one of the API's spans in it.
 */
interface ReceivedSpan {
  service: string;
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  kind: number;
  attributes: Record<string, unknown>;
}

/** OTLP's JSON encoding: ids as hex strings, attribute values wrapped by type. */
interface OtlpJson {
  resourceSpans?: {
    resource?: { attributes?: { key: string; value: Record<string, unknown> }[] };
    scopeSpans?: {
      spans?: {
        traceId: string;
        spanId: string;
        parentSpanId?: string;
        name: string;
        kind: number;
        attributes?: { key: string; value: Record<string, unknown> }[];
      }[];
    }[];
  }[];
}

const SPAN_KIND_CONSUMER = 5;

function attributes(list: { key: string; value: Record<string, unknown> }[] | undefined): Record<string, unknown> {
  return Object.fromEntries((list ?? []).map((a) => [a.key, Object.values(a.value)[0]]));
}

/** A plain OTLP/HTTP trace receiver: POST /v1/traces with a JSON body, spans kept in order of arrival. */
function startReceiver(spans: ReceivedSpan[]): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.method !== 'POST' || req.url !== '/v1/traces' || !String(req.headers['content-type']).startsWith('application/json')) {
        res.writeHead(415).end();
        return;
      }
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as OtlpJson;
      for (const rs of body.resourceSpans ?? []) {
        const service = String(attributes(rs.resource?.attributes)['service.name']);
        for (const ss of rs.scopeSpans ?? []) {
          for (const s of ss.spans ?? []) {
            spans.push({
              service,
              traceId: s.traceId,
              spanId: s.spanId,
              parentSpanId: s.parentSpanId ?? '',
              name: s.name,
              kind: s.kind,
              attributes: attributes(s.attributes),
            });
          }
        }
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as { port: number }).port}` })),
  );
}

describe('a trace from a GraphQL request to the job it caused', () => {
  const spans: ReceivedSpan[] = [];
  let receiver: Server;
  let stack: ProcessStack;
  const saved = { ...process.env };

  beforeAll(async () => {
    const started = await startReceiver(spans);
    receiver = started.server;
    // The API and the worker inherit these (test/support/processes.ts spawns them with this environment).
    process.env.OTEL_EXPORTER_OTLP_ENDPOINT = started.url;
    process.env.OTEL_BSP_SCHEDULE_DELAY = '100';
    stack = await ProcessStack.start('tracing');
    await stack.startWorker('worker');
  }, 180_000);

  afterAll(async () => {
    process.env = saved;
    await stack?.stop();
    await new Promise((resolve) => receiver?.close(resolve));
  });

  it("shares one trace id from the placeOrder request's span to the route-order job's span", async () => {
    const { createNetwork } = await stack.ok(
      `mutation CreateTraced($input: NetworkInput!) { createNetwork(input: $input) { operatorKey network { id } } }`,
      { input: { name: 'Traced', currency: 'USD' } },
      stack.adminKey,
    );
    const op = createNetwork.operatorKey;
    const { registerMember } = await stack.ok(
      `mutation($input: MemberInput!) { registerMember(input: $input) { id } }`,
      { input: { name: 'A client', roles: ['CLIENT'] } },
      op,
    );
    const key = (await stack.ok(`mutation($memberId: ID!) { issueApiKey(memberId: $memberId) }`, { memberId: registerMember.id }, op)).issueApiKey;
    const { placeOrder } = await stack.ok(
      `mutation PlaceTraced($input: OrderInput!) { placeOrder(input: $input) { id } }`,
      {
        input: {
          category: 'gift-baskets',
          region: 'US-NY',
          quantity: 1,
          deliverBy: new Date(Date.now() + 3 * 86_400_000).toISOString(),
          budget: { amount: '150', currency: 'USD' },
          idempotencyKey: 'traced-order',
        },
      },
      key,
    );
    expect(placeOrder.id).toEqual(expect.any(String));

    const request = await eventually(
      async () => spans.find((s) => s.service === 'tandem-api' && s.attributes['graphql.operation.name'] === 'PlaceTraced'),
      20_000,
    ).catch(() => {
      throw new Error(
        `no span of the PlaceTraced operation from tandem-api (services seen: ${[...new Set(spans.map((s) => s.service))].join(', ') || 'none'}); ` +
          `apps/api/src/main.ts must import '@tandem/observability/start-tracing' first`,
      );
    });
    const job = await eventually(
      async () => spans.find((s) => s.service === 'tandem-worker' && s.name === 'routing process route-order' && s.traceId === request.traceId),
      20_000,
    );
    expect(job.kind).toBe(SPAN_KIND_CONSUMER);
    expect(job.attributes).toMatchObject({
      'messaging.system': 'bullmq',
      'messaging.destination.name': 'routing',
      'tandem.job.name': 'route-order',
      'tandem.job.attempt': 1,
    });
    // Its parent is a span of the request itself (the one active when the outbox row was written).
    const requestSpans = spans.filter((s) => s.service === 'tandem-api' && s.traceId === request.traceId);
    expect(requestSpans.map((s) => s.spanId)).toContain(job.parentSpanId);
    // The job's own database work is in the same trace, under the job's span.
    await eventually(async () => spans.some((s) => s.service === 'tandem-worker' && s.traceId === request.traceId && s.parentSpanId === job.spanId), 20_000);
    // Another request is another trace: the id is the request's, not one shared by everything.
    const other = spans.find((s) => s.service === 'tandem-api' && s.attributes['graphql.operation.name'] === 'CreateTraced');
    expect(other?.traceId).toBeDefined();
    expect(other?.traceId).not.toBe(request.traceId);
  });
});
