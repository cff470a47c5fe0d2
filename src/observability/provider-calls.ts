import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { observeProviderCalls, type ProviderCallEnd } from '../providers/call-observers.js';
import type { Logger } from '../log.js';
import type { GatewayMetrics, ProviderCallFailure } from './metrics.js';
import { currentRequestContext } from './request-context.js';
import type { Tracing } from './tracing.js';
import { traceparentOf } from './tracing-headers.js';

/** Why an attempt failed, from what `callProvider` saw. */
function failureOf(result: ProviderCallEnd): ProviderCallFailure | undefined {
  if (result.status !== undefined) return result.status >= 500 ? 'http_5xx' : undefined;
  if (result.error === undefined) return undefined;
  const name = result.error instanceof Error ? result.error.name : '';
  return name === 'TimeoutError' || name === 'AbortError' ? 'timeout' : 'network';
}

/** Where a call goes, without its query (which may carry ids a trace backend need not keep). */
function target(url: string): { host: string; path: string } {
  try {
    const parsed = new URL(url);
    return { host: parsed.host, path: parsed.pathname };
  } catch {
    return { host: 'unknown', path: '' };
  }
}

/**
 * One gateway's view of its provider calls: the request id (and W3C traceparent) goes out as a
 * header, the attempt is timed into the metrics, logged at debug level, and becomes a client span
 * under the operation that made it. The seam is process-wide; calls made for another gateway of the same process
 * (tests) are left to that gateway. Returns the unregister function.
 */
export function observeOwnProviderCalls(owner: object, metrics: GatewayMetrics, tracing: Tracing | null, logger: Logger): () => void {
  return observeProviderCalls({
    start(call, headers) {
      const context = currentRequestContext();
      if (context?.owner !== undefined && context.owner !== owner) return;
      if (context) headers['x-request-id'] = context.requestId;
      const { host, path } = target(call.url);
      const span = tracing?.startSpan(`${call.method} ${call.provider}`, {
        kind: SpanKind.CLIENT,
        parent: context?.span,
        attributes: { 'http.request.method': call.method, 'server.address': host, 'url.path': path, 'gateway.provider': call.provider },
      });
      if (span) headers.traceparent = traceparentOf(span);
      const started = performance.now();
      return {
        end(result) {
          const failure = failureOf(result);
          const seconds = (performance.now() - started) / 1000;
          metrics.providerCall(call.provider, { ...(result.status !== undefined ? { status: result.status } : {}), ...(failure ? { failure } : {}) }, seconds);
          // The path only: a query string may carry what a log need not keep.
          logger.log('debug', 'provider call', {
            provider: call.provider,
            method: call.method,
            path,
            ...(result.status !== undefined ? { status: result.status } : {}),
            ...(failure ? { failure } : {}),
            ms: Math.round(seconds * 1000),
          });
          if (!span) return;
          if (result.status !== undefined) span.setAttribute('http.response.status_code', result.status);
          if (failure) span.setStatus({ code: SpanStatusCode.ERROR, message: failure });
          span.end();
        },
      };
    },
  });
}
