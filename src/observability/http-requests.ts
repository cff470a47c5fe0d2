import type { IncomingMessage, ServerResponse } from 'node:http';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import type { Logger } from '../log.js';
import { requestIdFrom, runWithRequestContext } from './request-context.js';
import { pathnameOf } from './request-path.js';
import { parseTraceparent } from './tracing-headers.js';
import type { Tracing } from './tracing.js';

/**
 * Runs one request's handling: `handle` is the route dispatch of server/http-server.ts, given how
 * to enter the request's context. A route enters it for whatever may read it (Yoga, webhooks, the
 * demo); a cached `order(id)` hit reads none and does not (request-context.ts says why).
 */
export type AroundRequest = (request: IncomingMessage, response: ServerResponse, handle: (inContext: InRequestContext) => void) => void;

/** Runs a route in its request's context, kept until the route's promise settles and the response has closed. */
export type InRequestContext = (route: () => Promise<void>) => Promise<void>;

/** Resolves once `response` has closed (finished, or its connection gone). */
function closeOf(response: ServerResponse): Promise<void> {
  if (response.closed) return Promise.resolve();
  return new Promise((resolve) => response.once('close', () => resolve()));
}

/** A span name without ids in it: the path's first segment (and the provider for a webhook). */
function routeOf(pathname: string): string {
  if (pathname === '/graphql' || pathname === '/metrics' || pathname === '/') return pathname;
  const webhook = /^\/webhooks\/([a-z]{1,20})$/.exec(pathname);
  if (webhook) return `/webhooks/${webhook[1]}`;
  if (pathname.startsWith('/health/')) return pathname.slice(0, 32);
  return 'other';
}

/**
 * Every HTTP request in its own request context: the id (a well-formed `x-request-id` from the
 * client or proxy, else a new one) is echoed in the response, bound to each log line written
 * while handling it, and sent to providers; with tracing, a server span (continuing the caller's
 * `traceparent`) is the parent of everything the request does. One debug line per request.
 */
export function createRequestObserver(options: { owner: object; logger: Logger; tracing: Tracing | null }): AroundRequest {
  return (request, response, handle) => {
    const requestId = requestIdFrom(request.headers['x-request-id']);
    response.setHeader('x-request-id', requestId);
    const method = request.method ?? 'GET';
    const path = pathnameOf(request.url);
    // Nothing to tell at the end (no debug line, no span): no 'close' listener for every request.
    if (!options.tracing && options.logger.writes?.('debug') === false) {
      const context = { requestId, owner: options.owner };
      handle((route) => runWithRequestContext(context, route, closeOf(response)));
      return;
    }
    const span = options.tracing?.startSpan(`${method} ${routeOf(path)}`, {
      kind: SpanKind.SERVER,
      parent: parseTraceparent(request.headers.traceparent),
      attributes: { 'http.request.method': method, 'http.route': routeOf(path) },
    });
    const started = performance.now();
    response.once('close', () => {
      const status = response.statusCode;
      // Named explicitly: a 'close' listener does not run inside the request's context.
      options.logger.log('debug', 'request finished', {
        requestId,
        method,
        path: routeOf(path),
        status,
        completed: response.writableFinished,
        ms: Math.round(performance.now() - started),
      });
      if (!span) return;
      span.setAttribute('http.response.status_code', status);
      if (status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    });
    const context = { requestId, owner: options.owner, ...(span ? { span } : {}) };
    handle((route) => runWithRequestContext(context, route, closeOf(response)));
  };
}
