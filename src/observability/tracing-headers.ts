import { TraceFlags, type Span, type SpanContext } from '@opentelemetry/api';

/**
 * W3C trace-context headers, read and written by hand: two short formats do not justify loading
 * the SDK's propagator when tracing is off (this file is on every request's path).
 */
const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

/** A caller's W3C `traceparent`, when it is one (all-zero ids are invalid by the spec). */
export function parseTraceparent(header: string | string[] | undefined): SpanContext | undefined {
  const match = typeof header === 'string' ? TRACEPARENT.exec(header.trim()) : null;
  if (!match?.[1] || !match[2] || !match[3] || /^0+$/.test(match[1]) || /^0+$/.test(match[2])) return undefined;
  return { traceId: match[1], spanId: match[2], traceFlags: parseInt(match[3], 16) & TraceFlags.SAMPLED, isRemote: true };
}

/** The W3C `traceparent` that makes a provider's spans (if it traces) children of `span`. */
export function traceparentOf(span: Span): string {
  const { traceId, spanId, traceFlags } = span.spanContext();
  return `00-${traceId}-${spanId}-${traceFlags & TraceFlags.SAMPLED ? '01' : '00'}`;
}
