import type { ServerResponse } from 'node:http';
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import { createYoga, shouldRenderGraphiQL, type Plugin, type YogaServerInstance } from 'graphql-yoga';
import type { Caller } from '../domain/caller.js';
import type { OrderService } from '../domain/orders/service.js';
import type { Logger } from '../log.js';
import type { Context } from '../schema/builder.js';
import { schema } from '../schema/index.js';
import type { ChangeHub } from '../store/change-hub.js';
import type { FeedLog, OrderStore } from '../store/types.js';
import type { Authenticator } from './auth.js';
import { useCompression } from './compression.js';
import { CSRF_HEADER, useCsrfPrevention } from './csrf.js';
import { isLoopbackHost, type DevHostCheck } from './dev-hosts.js';
import { renderedOnce, useSharedGraphiQLPage } from './graphiql-page.js';
import { createMaskError } from './errors.js';
import { createTextScrubber, type TextScrubber } from '../scrub.js';
import type { PersistedOperations } from './persisted-operations.js';
import { useQueryLimits, type QueryLimits } from './query-limits.js';
import { useDeepDocumentRefusal } from './deep-documents.js';
import { useMoneyFieldLimit } from './money-fields.js';
import { useNoSuggestions } from './no-suggestions.js';
import { useRefusedLiteralsUnrepeated } from './refused-values.js';
import { useRequestBodyLimit } from './request-body-limit.js';
import { useSubscriptionSignal } from './subscription-signal.js';
import { DEFAULT_SUBSCRIPTIONS_PER_CALLER, useSubscriptionLimit } from './subscription-limit.js';
import { useStreamLimit, type SocketLimit } from './socket-limit.js';
import { useSseEventIds } from './sse-event-ids.js';
import { useRateLimit, type RateLimiter } from './rate-limit.js';
import { useReadCache, type OrderReadCache, type ReadRecorder } from './read-cache.js';
import { parserAndValidationCache, performancePlugins } from './performance.js';
import type { PerformanceConfig } from '../config.js';

export interface GraphQLHandlerOptions {
  service: OrderService;
  orders: OrderStore;
  hub: ChangeHub;
  feed: FeedLog;
  authenticator: Authenticator;
  logger: Logger;
  /**
   * Aborted when the gateway stops: open SSE subscriptions end (their streams complete), so their
   * connections close instead of holding the shutdown until its grace period cuts everything.
   */
  stopping?: AbortSignal;
  /** Pre-fills GraphiQL's headers with a token (sandbox mode only); default none. */
  graphiqlToken?: string;
  /**
   * The Host headers GraphiQL's page gets `graphiqlToken` for (dev-hosts.ts: not a DNS-rebound
   * name); any other Host gets the page without it. Default: loopback names only.
   */
  graphiqlTokenHosts?: DevHostCheck;
  /** Speed switches (src/server/performance.ts); default all on. */
  performance?: PerformanceConfig;
  /** Document size limits (src/server/query-limits.ts); default DEFAULT_QUERY_LIMITS. */
  queryLimits?: QueryLimits;
  /** Per-caller rate limit (src/server/rate-limit.ts); default none. */
  rateLimiter?: RateLimiter;
  /** Order-creating and money-moving fields per operation (src/server/money-fields.ts); default DEFAULT_MAX_MONEY_FIELDS. */
  maxMoneyFields?: number;
  /** Open subscriptions per caller (src/server/subscription-limit.ts); default DEFAULT_SUBSCRIPTIONS_PER_CALLER, 0 = no bound. */
  subscriptionsPerCaller?: number;
  /** Each caller's open SSE streams, counted with its graphql-ws sockets (src/server/socket-limit.ts); default no bound. */
  sockets?: SocketLimit;
  /**
   * Scrubs a provider's words (error messages and details, infos) before a client reads them
   * (src/scrub.ts), with the gateway's configured secrets; default the patterns alone.
   */
  scrub?: TextScrubber;
  /** Trusted documents (src/server/persisted-operations.ts); default off. */
  persistedOperations?: PersistedOperations;
  /** Operation metrics and traces (src/observability/use-operation-*.ts); default none. */
  observabilityPlugins?: Plugin[];
  /** The order(id) answer cache (src/server/read-cache.ts): keeps what it may; default none. */
  readCache?: OrderReadCache;
}

/** What the transports hand over: Node's response over HTTP, the verified caller over graphql-ws. */
export interface ServerContext {
  /** Node's response (HTTP and SSE): its `close` ends the operation's subscriptions. */
  res?: ServerResponse;
  /** Set by graphql-ws after verifying the connection_init payload. */
  wsCaller?: Caller;
  /** Aborted when the WebSocket subscription ends. */
  wsSignal?: AbortSignal;
  /** Set by the read cache's route on a request whose answer it may keep (read-cache.ts). */
  readRecorder?: ReadRecorder;
  /** graphql-ws: the socket's rate-limit bucket, for the money fields of its mutations (money-fields.ts). */
  wsRateBucket?: string;
}

/** GraphiQL's first document: the README's walk-throughs (a shop, then a back office), one operation at a time. */
const WALK_THROUGH = `# 1. Run CreateLinkOrder, open creation.stopAction.redirectUrl in another tab.
# 2. Put {"orderId": "<the order's id>"} into Variables, run WatchOrder, then pay on the link page.
mutation CreateLinkOrder {
  createOrder(input: {
    provider: INTERGIRO, currency: "EUR", reference: "demo-1"
    items: [{ name: "T-shirt", quantity: 2, unitPrice: "19.95", amount: "39.90" }]
    intergiro: { paymentType: LINK, cardholderName: true }
    returnUrls: { success: "https://example.com/thanks" }
  }) {
    id status total { amount currency }
    creation { status stopAction { type redirectUrl } }
  }
}

subscription WatchOrder($orderId: ID!) {
  orderStatusChanged(orderId: $orderId) {
    eventId previousStatus status source final
    order { payments { status capturedAmount { amount } } }
  }
}

# 3. A back office: page through every provider's orders, newest first ({"after": "<endCursor>"}
#    for the next page; add provider, status, reference, from, to to the filter as needed).
query RecentOrders($after: String) {
  orders(filter: {}, first: 10, after: $after) {
    nodes { id provider reference status createdAt }
    pageInfo { hasNextPage endCursor }
  }
}

# 4. A listener that resumes: every change after {"cursor": "<a cursor it saw>"}, then live.
#    Without a cursor it starts from now; after a dropped connection, pass the last one.
subscription Listen($cursor: String) {
  orderUpdates(after: $cursor) { cursor eventId status order { id provider } }
}
`;

/** Above the walk-through when the page was opened at a Host the dev token is not handed to. */
const NO_DEV_TOKEN_HERE = `# No dev token on this page: it is filled in only when GraphiQL is opened at localhost,
# 127.0.0.1 or [::1] (or PUBLIC_URL's host), so that another site whose name resolves here cannot
# read it. Open http://localhost:<port>/graphql, or put the token \`npm start\` printed into Headers.

`;

export type GraphQLHandler = YogaServerInstance<ServerContext, Context>;

/** Resolves the token once per request, but throws its error only where a caller is needed. */
function lazyCaller(result: Promise<Caller | null>): Promise<() => Caller | null> {
  return result.then(
    (caller) => () => caller,
    (error: unknown) => () => {
      throw error;
    },
  );
}

export function createGraphQLHandler(options: GraphQLHandlerOptions): GraphQLHandler {
  const scrub = options.scrub ?? createTextScrubber();
  return createYoga<ServerContext, Context>({
    schema,
    graphqlEndpoint: '/graphql',
    landingPage: false,
    logging: false,
    // Any origin may call (a shop's frontend lives on its own origin and sends its bearer token),
    // but never with credentials: Yoga's default answered every origin with
    // `Access-Control-Allow-Credentials: true`, so any site could send a cookie-authenticated
    // proxy's cookies, add the CSRF header after the preflight, and read the answer. The gateway
    // itself reads no cookie; without the flag browsers send none cross-site. GraphiQL's page gets
    // no CORS headers at all: in sandbox mode it carries the all-scopes dev token, and any page
    // the developer visited could fetch it from localhost (Accept needs no preflight) and read it.
    cors: (request) => (shouldRenderGraphiQL(request) ? false : { credentials: false }),
    maskedErrors: { maskError: createMaskError(options.logger, scrub) },
    parserAndValidationCache: parserAndValidationCache(options.performance),
    // Enforced by useRequestBodyLimit below instead: same limit and answers, cheaper per request.
    maxRequestBodySize: false,
    // One entry per concern, each built in its own file (limits, CSRF, rate limit, metrics, ...).
    plugins: [
      useCsrfPrevention(),
      ...(options.rateLimiter ? [useRateLimit(options.rateLimiter)] : []),
      ...(options.persistedOperations ? [options.persistedOperations.plugin] : []),
      useRequestBodyLimit(),
      useSubscriptionSignal(options.stopping),
      // Before the subscription bound: a stream refused for its connection never takes a subscription's place.
      ...(options.sockets ? [useStreamLimit(options.sockets)] : []),
      useSubscriptionLimit(options.subscriptionsPerCaller ?? DEFAULT_SUBSCRIPTIONS_PER_CALLER),
      useSseEventIds(),
      useQueryLimits(options.queryLimits),
      useDeepDocumentRefusal(),
      useNoSuggestions(),
      useRefusedLiteralsUnrepeated(),
      useMoneyFieldLimit({
        ...(options.rateLimiter ? { limiter: options.rateLimiter } : {}),
        ...(options.maxMoneyFields !== undefined ? { max: options.maxMoneyFields } : {}),
      }),
      ...performancePlugins(options.performance, options.logger),
      // Last: the tracing plugin wraps whatever execute function the plugins above settled on.
      ...(options.observabilityPlugins ?? []),
      // Compresses the answer as the plugins above left it (never an SSE stream).
      useCompression(),
      // After compression: an uncompressed GraphiQL page is one shared copy (graphiql-page.ts).
      useSharedGraphiQLPage(),
      // Last: keeps the answer as it is sent, compressed or not (its key names the encoding).
      ...(options.readCache ? [useReadCache(options.readCache)] : []),
    ],
    // GraphiQL's assets come from the package, not a CDN: it works on a machine with no internet.
    // Rendered once per distinct page, not per request (graphiql-page.ts).
    renderGraphiQL: renderedOnce(renderGraphiQL),
    // Per request: the dev token only for a page opened at a loopback Host (dev-hosts.ts).
    graphiql: (request) => {
      const token = options.graphiqlToken && (options.graphiqlTokenHosts ?? isLoopbackHost)(request.headers.get('host')) ? options.graphiqlToken : undefined;
      return {
        title: 'Payments gateway',
        // SSE sends GraphiQL's headers (the dev token) with each subscription; graphql-ws clients use connection_init.
        subscriptionsProtocol: 'SSE',
        // GraphiQL sends subscriptions as SSE GETs, which CSRF prevention refuses without this header.
        additionalHeaders: { [CSRF_HEADER]: 'graphiql' },
        defaultQuery: options.graphiqlToken && !token ? `${NO_DEV_TOKEN_HERE}${WALK_THROUGH}` : WALK_THROUGH,
        ...(token ? { headers: JSON.stringify({ Authorization: `Bearer ${token}` }) } : {}),
      };
    },
    context: async ({ request, wsCaller, wsSignal, readRecorder }) => {
      // Over graphql-ws there is no Fetch request: the socket's verified caller comes instead.
      const authorization = (request as Request | undefined)?.headers.get('authorization');
      const caller = wsCaller
        ? () => wsCaller
        : await lazyCaller(authorization ? options.authenticator.authenticate(authorization) : Promise.resolve(null));
      // An HTTP (SSE) subscription gets its signal when it starts (useSubscriptionSignal).
      return {
        service: options.service,
        orders: options.orders,
        hub: options.hub,
        feed: options.feed,
        caller,
        scrub,
        ...(wsSignal ? { signal: wsSignal } : {}),
        ...(readRecorder ? { reads: readRecorder } : {}),
      };
    },
  });
}
