import type { Plugin } from 'graphql-yoga';
import type { Config } from '../config.js';
import type { Logger } from '../log.js';
import type { Store } from '../store/types.js';
import { createRequestObserver, type AroundRequest } from './http-requests.js';
import { GatewayMetrics } from './metrics.js';
import { createMetricsRoute } from './metrics-route.js';
import { observeOwnProviderCalls } from './provider-calls.js';
import { observeOwnProviderOddities } from './provider-oddities.js';
import { bindAsyncIterable, newRequestId, runWithRequestContext, type RequestContext } from './request-context.js';
import type { Tracing } from './tracing.js';
import { useOperationMetrics } from './use-operation-metrics.js';
import { useOperationTracing } from './use-operation-tracing.js';
import { observeWebhooks, type WebhookRoute } from './webhooks.js';

/** Runs `run` in a fresh request context of its own (one graphql-ws operation, one reconciliation pass). */
export type InOwnContext = <T>(run: () => T) => T;

/** Everything one gateway observes itself with; `close` at gateway close. */
export interface Observability {
  metrics: GatewayMetrics;
  tracing: Tracing | null;
  /** The Yoga plugins, one per concern, for the end of server/yoga.ts's list. */
  plugins: Plugin[];
  /** Around every HTTP request (server/http-server.ts). */
  aroundRequest: AroundRequest;
  /** `/metrics`. */
  metricsRoute: ReturnType<typeof createMetricsRoute>;
  /** Wraps the `/webhooks/*` route: outcome counts and a span per callback. */
  observeWebhooks(route: WebhookRoute): WebhookRoute;
  /** Each graphql-ws operation: its own request id, and its stream's steps run under it too. */
  inOperationContext: InOwnContext;
  /** Each reconciliation pass (resolving to the orders it read): its own request id and span. */
  inReconcilePass: (pass: () => Promise<number>) => Promise<number>;
  close(): Promise<void>;
}

/** Promise-like and async-iterable results keep their context when they are consumed later. */
function bindResult<T>(context: RequestContext, result: T): T {
  if (result instanceof Promise) return result.then((value: unknown) => bindResult(context, value)) as T;
  if (typeof result === 'object' && result !== null && Symbol.asyncIterator in result) {
    return bindAsyncIterable(context, result as AsyncIterable<unknown>) as T;
  }
  return result;
}

/**
 * Metrics (always: a registry per gateway), traces (only with an OTLP endpoint configured: the
 * SDK is loaded then and not otherwise), request ids everywhere work is done.
 */
export async function startObservability(options: { config: Config; logger: Logger; store: Store }): Promise<Observability> {
  const owner = {};
  const metrics = new GatewayMetrics(options.store.schedule);
  const tracing = options.config.tracing ? (await import('./tracing.js')).startTracing(options.config.tracing) : null;
  const stopObservingCalls = observeOwnProviderCalls(owner, metrics, tracing, options.logger);
  const stopObservingOddities = observeOwnProviderOddities(owner, metrics, options.logger);
  const fresh = (span?: RequestContext['span']): RequestContext => ({ requestId: newRequestId(), owner, ...(span ? { span } : {}) });
  return {
    metrics,
    tracing,
    plugins: [useOperationMetrics(metrics), ...(tracing ? [useOperationTracing(tracing)] : [])],
    aroundRequest: createRequestObserver({ owner, logger: options.logger, tracing }),
    metricsRoute: createMetricsRoute(metrics, options.config.metricsToken),
    observeWebhooks: (route) => observeWebhooks(route, { owner, metrics, tracing }),
    inOperationContext: (run) => {
      const context = fresh();
      return runWithRequestContext(context, () => bindResult(context, run()));
    },
    inReconcilePass: async (pass) => {
      const span = tracing?.startSpan('reconcile pass');
      const read = await runWithRequestContext(fresh(span), pass);
      // Most passes find nothing due (one every half second): a span is exported only when
      // ended, so an idle pass's is left unended and dropped instead of flooding the traces.
      if (span && read > 0) span.setAttribute('gateway.reconcile.orders_read', read).end();
      return read;
    },
    close: async () => {
      stopObservingCalls();
      stopObservingOddities();
      await tracing?.shutdown().catch((error: unknown) => options.logger.log('warn', 'trace export failed at shutdown', { error }));
    },
  };
}
