import { Context, ROOT_CONTEXT, SpanKind, SpanStatusCode, propagation, trace } from '@opentelemetry/api';
import type { IncomingMessage } from 'node:http';

/**
 * OpenTelemetry traces, exported by OTLP/HTTP (JSON) when an endpoint is set
 * and not even loaded otherwise. This file imports only @opentelemetry/api, so
 * the start-tracing entry can run it before any instrumented module loads
 * (start-tracing.ts). Everything else here is a no-op while tracing is off.
 */

/** The W3C trace context of a span, as carried in an outbox row and a BullMQ job (libs/jobs/src/trace-context.ts). */
type TraceCarrier = Record<string, string>;

let enabled = false;
let shutdown: (() => Promise<void>) | undefined;

/** Requests that are polled, not used: no trace for every scrape and health probe. */
const UNTRACED_PATHS = new Set(['/health', '/metrics']);

export function tracingEnabled(): boolean {
  return enabled;
}

/**
 * Starts the SDK once per process: HTTP, GraphQL, PostgreSQL and ioredis
 * instrumentation, spans batched to `${endpoint}/v1/traces`. Database and Redis
 * calls are traced only inside a trace (the relay's polls and BullMQ's
 * blocking waits start none). With no endpoint it does nothing at all.
 */
export function startTracing(service: string, endpoint: string | null | undefined): boolean {
  if (enabled || !endpoint) return enabled;
  // Loaded only when tracing is on: with it off, not one module of the SDK is read.
  const { NodeSDK } = require('@opentelemetry/sdk-node') as typeof import('@opentelemetry/sdk-node');
  const { OTLPTraceExporter } = require('@opentelemetry/exporter-trace-otlp-http') as typeof import('@opentelemetry/exporter-trace-otlp-http');
  const { HttpInstrumentation } = require('@opentelemetry/instrumentation-http') as typeof import('@opentelemetry/instrumentation-http');
  const { GraphQLInstrumentation } = require('@opentelemetry/instrumentation-graphql') as typeof import('@opentelemetry/instrumentation-graphql');
  const { PgInstrumentation } = require('@opentelemetry/instrumentation-pg') as typeof import('@opentelemetry/instrumentation-pg');
  const { IORedisInstrumentation } = require('@opentelemetry/instrumentation-ioredis') as typeof import('@opentelemetry/instrumentation-ioredis');
  const sdk = new NodeSDK({
    serviceName: process.env.OTEL_SERVICE_NAME || service,
    traceExporter: new OTLPTraceExporter({ url: `${endpoint.replace(/\/+$/, '')}/v1/traces` }),
    instrumentations: [
      new HttpInstrumentation({
        ignoreIncomingRequestHook: (req: IncomingMessage) => UNTRACED_PATHS.has((req.url ?? '').split('?')[0]),
        // Outgoing calls (webhook deliveries, OTLP itself) start no trace of their own.
        requireParentforOutgoingSpans: true,
      }),
      new GraphQLInstrumentation({ mergeItems: true, ignoreTrivialResolveSpans: true }),
      new PgInstrumentation({ requireParentSpan: true }),
      new IORedisInstrumentation({ requireParentSpan: true }),
    ],
  });
  sdk.start();
  enabled = true;
  shutdown = () => sdk.shutdown();
  return true;
}

/** Sends the spans still buffered; call on shutdown. */
export async function stopTracing(): Promise<void> {
  await shutdown?.().catch(() => undefined);
}

function contextFrom(carrier: TraceCarrier | null | undefined): Context {
  return carrier ? propagation.extract(ROOT_CONTEXT, carrier) : ROOT_CONTEXT;
}

/**
 * Runs a job inside a consumer span, a child of the span that wrote its outbox
 * row when the job carries one, so a request and the jobs it caused share one
 * trace id. A failed run marks the span as an error.
 */
export function inJobSpan<T>(
  job: { queue: string; name: string; id?: string; attempt: number; carrier?: TraceCarrier | null },
  work: () => Promise<T>,
): Promise<T> {
  if (!enabled) return work();
  const tracer = trace.getTracer('tandem-jobs');
  const attributes = {
    'messaging.system': 'bullmq',
    'messaging.operation.type': 'process',
    'messaging.destination.name': job.queue,
    'messaging.message.id': job.id ?? '',
    'tandem.job.name': job.name,
    'tandem.job.attempt': job.attempt,
  };
  return tracer.startActiveSpan(`${job.queue} process ${job.name}`, { kind: SpanKind.CONSUMER, attributes }, contextFrom(job.carrier), async (span) => {
    try {
      return await work();
    } catch (e) {
      span.recordException(e as Error);
      span.setStatus({ code: SpanStatusCode.ERROR, message: (e as Error).message });
      throw e;
    } finally {
      span.end();
    }
  });
}
