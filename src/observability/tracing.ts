import { ROOT_CONTEXT, SpanKind, trace, type Attributes, type Span, type SpanContext } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import type { TracingConfig } from '../config.js';


export interface SpanOptions {
  kind?: SpanKind;
  attributes?: Attributes;
  /** The parent: a span of this process, or a caller's span from its `traceparent`. Default: a new trace. */
  parent?: Span | SpanContext | undefined;
}

/** One gateway's traces: spans go to the configured OTLP/HTTP endpoint in batches. */
export interface Tracing {
  startSpan(name: string, options?: SpanOptions): Span;
  /** Sends what is buffered and stops (at gateway close). */
  shutdown(): Promise<void>;
}

/**
 * A tracer provider per gateway, never registered as OpenTelemetry's global: tests run several
 * gateways in one process, each with its own exporter or none. Parents travel in the request
 * context (observability/request-context.ts) rather than OTel's context manager, so nothing
 * global is installed and, with no exporter configured, this module is not even loaded.
 */
export function startTracing(config: TracingConfig): Tracing {
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: config.serviceName }),
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: config.tracesUrl }))],
  });
  const tracer = provider.getTracer(config.serviceName);
  return {
    startSpan(name, options = {}) {
      const parent = options.parent;
      const context =
        parent === undefined ? ROOT_CONTEXT : 'spanContext' in parent ? trace.setSpan(ROOT_CONTEXT, parent) : trace.setSpanContext(ROOT_CONTEXT, parent);
      return tracer.startSpan(name, { kind: options.kind ?? SpanKind.INTERNAL, ...(options.attributes ? { attributes: options.attributes } : {}) }, context);
    },
    shutdown: () => provider.shutdown(),
  };
}
