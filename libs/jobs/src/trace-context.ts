import { context, propagation } from '@opentelemetry/api';

/**
 * The W3C trace context (traceparent, tracestate) of the span that wrote an
 * outbox row, carried through the relay to the job it becomes.
 */
export type TraceCarrier = Record<string, string>;

/**
 * The active trace context, or null when there is none. While tracing is off
 * (libs/observability/src/tracing.ts never started the SDK) the global
 * propagator is OpenTelemetry's no-op and this writes nothing.
 */
export function currentTraceCarrier(): TraceCarrier | null {
  const carrier: TraceCarrier = {};
  propagation.inject(context.active(), carrier);
  return carrier.traceparent ? carrier : null;
}

/** BullMQ's own job option for a propagated context, opts.telemetry.metadata, holds the carrier as JSON. */
export function traceJobOptions(carrier: TraceCarrier | null | undefined): { telemetry?: { metadata: string } } {
  return carrier ? { telemetry: { metadata: JSON.stringify(carrier) } } : {};
}

/** The carrier a job was given by traceJobOptions, or null. */
export function traceCarrierOf(job: { opts?: { telemetry?: { metadata?: string } } }): TraceCarrier | null {
  const metadata = job.opts?.telemetry?.metadata;
  if (!metadata) return null;
  try {
    const parsed = JSON.parse(metadata) as unknown;
    return parsed && typeof parsed === 'object' && typeof (parsed as TraceCarrier).traceparent === 'string' ? (parsed as TraceCarrier) : null;
  } catch {
    return null;
  }
}
