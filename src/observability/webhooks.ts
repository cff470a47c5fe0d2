import type { IncomingMessage, ServerResponse } from 'node:http';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import type { GatewayMetrics, WebhookOutcome } from './metrics.js';
import { currentRequestContext, newRequestId, runWithRequestContext } from './request-context.js';
import type { Tracing } from './tracing.js';

export type WebhookRoute = (request: IncomingMessage, response: ServerResponse, url: URL) => Promise<void>;

/** The answers server/webhooks.ts gives (CONTRACT §5), as outcomes. */
const OUTCOMES: Record<number, WebhookOutcome> = {
  200: 'accepted',
  400: 'bad_request',
  401: 'rejected',
  404: 'not_found',
  405: 'method_not_allowed',
  413: 'too_large',
  429: 'throttled',
  503: 'failed',
};

/**
 * Counts each callback's outcome per provider and, with tracing, wraps its handling in a span.
 * Read from the answer the handler gave, so the handler itself knows nothing of metrics. The
 * provider label is the route's name only when the route exists (anything else is answered 404
 * and counted as `unknown`): a caller cannot invent label values.
 */
export function observeWebhooks(route: WebhookRoute, options: { owner: object; metrics: GatewayMetrics; tracing: Tracing | null }): WebhookRoute {
  return async (request, response, url) => {
    const name = url.pathname.slice('/webhooks/'.length);
    const context = currentRequestContext() ?? { requestId: newRequestId(), owner: options.owner };
    const span = options.tracing?.startSpan(`webhook ${/^[a-z]{1,20}$/.test(name) ? name : 'unknown'}`, { kind: SpanKind.INTERNAL, parent: context.span });
    let outcome: WebhookOutcome | undefined;
    try {
      await runWithRequestContext({ ...context, ...(span ? { span } : {}) }, () => route(request, response, url));
      outcome = OUTCOMES[response.statusCode] ?? 'other';
    } catch (error) {
      outcome = 'failed';
      throw error;
    } finally {
      const provider = outcome === 'not_found' || !/^[a-z]{1,20}$/.test(name) ? 'unknown' : name;
      options.metrics.webhook(provider, outcome ?? 'failed');
      if (span) {
        span.setAttribute('http.response.status_code', response.statusCode);
        if (outcome !== 'accepted') span.setStatus({ code: SpanStatusCode.ERROR, message: outcome ?? 'failed' });
        span.end();
      }
    }
  };
}
