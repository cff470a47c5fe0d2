import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { Logger } from '../log.js';
import type { Store } from '../store/types.js';
import { declaresTooLargeBody } from './request-body-limit.js';
import { pathnameOf, urlOf } from '../observability/request-path.js';
import type { GraphQLHandler } from './yoga.js';
import type { AroundRequest, InRequestContext } from '../observability/http-requests.js';

type Route = (request: IncomingMessage, response: ServerResponse, url: URL) => Promise<void>;

/**
 * One node:http server for everything: `/graphql` (Yoga over HTTP and SSE; graphql-ws attaches
 * to the same server for upgrades), `/webhooks/*`, `/health/live` and `/health/ready`.
 */
export function createRequestHandler(options: {
  yoga: GraphQLHandler;
  webhooks: Route;
  store: Store;
  logger: Logger;
  /** `GET /metrics` (observability/metrics-route.ts); default none (404). */
  metrics?: (request: IncomingMessage, response: ServerResponse) => Promise<void>;
  /** Runs around each request: its request id and span (observability/http-requests.ts); default none. */
  aroundRequest?: AroundRequest;
  /**
   * `/graphql` instead of `yoga` itself: the read cache in front of it (read-cache.ts), entering
   * the request's context itself (a hit needs none); default Yoga alone, in the context.
   */
  graphql?: (request: IncomingMessage, response: ServerResponse, inContext: InRequestContext) => Promise<void>;
  /** `/demo`, `/demo/*`: the demo checkout (sandbox mode only, src/demo/routes.ts); default none (404). */
  demo?: Route;
}): RequestListener {
  const handle = (request: IncomingMessage, response: ServerResponse, inContext: InRequestContext): void => {
    const pathname = pathnameOf(request.url);
    const fail = (error: unknown): void => {
      options.logger.log('error', 'request failed', { path: pathname, error });
      if (!response.headersSent) response.writeHead(500, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ error: 'Internal error' }));
    };

    if (!usableHost(request.headers.host)) {
      response.writeHead(400, { 'content-type': 'application/json', connection: 'close' });
      response.end(JSON.stringify({ error: 'Bad request: the Host header is not a host' }));
      return;
    }
    if (pathname === '/health/live') {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ status: 'ok' }));
      return;
    }
    if (pathname === '/health/ready') {
      const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error('store ping timed out')), 2000).unref());
      Promise.race([options.store.ping(), timeout]).then(
        () => {
          response.writeHead(200, { 'content-type': 'application/json' });
          response.end(JSON.stringify({ status: 'ready', store: 'ok' }));
        },
        () => {
          response.writeHead(503, { 'content-type': 'application/json' });
          response.end(JSON.stringify({ status: 'not ready', store: 'unreachable' }));
        },
      );
      return;
    }
    if (pathname.startsWith('/webhooks/')) {
      inContext(() => options.webhooks(request, response, urlOf(request.url))).catch(fail);
      return;
    }
    if (pathname === '/graphql') {
      // Yoga answers 413 from the Content-Length alone (useRequestBodyLimit); closing the connection
      // after that answer keeps Node from reading (and discarding) the rest of a huge body.
      if (declaresTooLargeBody(request.headers['content-length'])) response.setHeader('connection', 'close');
      const route = options.graphql
        ? options.graphql(request, response, inContext)
        : inContext(async () => options.yoga(request, response));
      route.catch(fail);
      return;
    }
    if (pathname === '/') {
      response.writeHead(302, { location: '/graphql' });
      response.end();
      return;
    }
    const demo = options.demo;
    if (demo && (pathname === '/demo' || pathname.startsWith('/demo/'))) {
      inContext(() => demo(request, response, urlOf(request.url))).catch(fail);
      return;
    }
    if (pathname === '/metrics' && options.metrics) {
      options.metrics(request, response).catch(fail);
      return;
    }
    response.writeHead(404, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ error: 'Not found' }));
  };
  const around = options.aroundRequest;
  if (!around) return (request, response) => handle(request, response, (route) => route());
  return (request, response) => around(request, response, (inContext) => handle(request, response, inContext));
}

/**
 * Host headers the URL parser takes as they are, with a port of at most five digits: a name whose
 * labels are letters, digits and hyphens, none of them punycode (`xn--` must decode) and the last
 * one not a number (`a.0x1`, `1.2.3.999` are parsed as IPv4 addresses, and refused); or a
 * dotted-quad IPv4 address.
 */
const PLAIN_NAME = /^(?:(?!xn--)[a-z0-9-]+\.)*(?!xn--|0x)[a-z0-9-]*[a-z-][a-z0-9-]*(?::(\d{1,5}))?$/i;
const OCTET = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
const PLAIN_IPV4 = new RegExp(`^(?:${OCTET}\\.){3}${OCTET}(?::(\\d{1,5}))?$`);

/**
 * The longest Host the patterns above are tried on: a DNS name (253 characters), a colon and a
 * five-digit port. PLAIN_NAME's last label (`[a-z0-9-]*[a-z-][a-z0-9-]*`) backtracks in time
 * quadratic in its length when the match fails: a Host of 16,000 letters and a `!` (Node takes
 * 16 KiB of headers) held the event loop for a noticeable time per request, before any route,
 * token or rate limit, so a few such requests a second from one anonymous client stalled every
 * caller. A longer Host is tried by the URL parser alone (linear), as any other non-plain one.
 */
const MAX_PLAIN_HOST_LENGTH = 253 + 6;

/**
 * Whether a request's Host header makes a URL (Yoga builds each request's URL from it, and
 * answers 500 when it cannot): a plain one with a port that exists without a parse (the URL
 * parser takes it as it is; every request pays this check, and a client's ephemeral port has
 * five digits), anything else by trying. A missing Host is Node's to refuse (400), before any
 * listener runs.
 */
function usableHost(host: string | undefined): boolean {
  if (host === undefined) return true;
  const plain = host.length <= MAX_PLAIN_HOST_LENGTH ? (PLAIN_NAME.exec(host) ?? PLAIN_IPV4.exec(host)) : null;
  if (plain && (plain[1] === undefined || Number(plain[1]) <= 65_535)) return true;
  try {
    new URL(`http://${host}/`);
    return true;
  } catch {
    return false;
  }
}
