import type { Server } from 'node:http';
import { GraphQLError, type DocumentNode, type ExecutionArgs } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Caller } from '../domain/caller.js';
import { GatewayError } from '../domain/errors.js';
import type { Logger } from '../log.js';
import type { Context } from '../schema/builder.js';
import { LONGEST_TIMER_MS, tokenExpiry, type Authenticator } from './auth.js';
import type { PersistedOperations } from './persisted-operations.js';
import { rateLimitedError, type RateLimiter } from './rate-limit.js';
import type { GraphQLHandler } from './yoga.js';
import { MAX_REQUEST_BODY_BYTES } from './request-body-limit.js';
import { pushOverSocket } from './shared-push.js';
import { tooManySocketsReason, type SocketLimit } from './socket-limit.js';
import { upgradeAuthorization } from './upgrade-token.js';

/** graphql-ws's own codes plus the contract's 4401 (CONTRACT §4). */
const UNAUTHORIZED = 4401;
/** graphql-ws' "too many" close code; its client does not retry after it. */
const TOO_MANY = 4429;

/**
 * Largest frame before `connection_init` is accepted: the init message carries only the token
 * (a JWT is 1-4 KB). A bigger frame is refused by ws from its header (close 1009) before any of
 * its payload is buffered, so an anonymous socket costs at most this much memory.
 */
export const MAX_FRAME_BEFORE_INIT_BYTES = 16 * 1024;
/**
 * Largest frame once the socket is authenticated: the same bound as an HTTP body
 * (request-body-limit.ts), since a `subscribe` message carries the same document and variables.
 */
export const MAX_FRAME_AFTER_INIT_BYTES = MAX_REQUEST_BODY_BYTES;
/**
 * Operations one socket may have open at once (subscriptions, and queries or mutations under
 * way). Each holds its state here until it ends; the caller's bound on subscriptions
 * (subscription-limit.ts) spans sockets, this one keeps a single socket's bookkeeping finite
 * whatever that bound is set to.
 */
export const MAX_OPERATIONS_PER_SOCKET = 1000;

interface ConnectionState {
  caller?: Caller;
  /** Epoch ms at which the connection's token expires (CONTRACT §4: the socket closes then). */
  expiresAt?: number;
  expiryTimer?: NodeJS.Timeout;
  /** The connection's rate-limit bucket, decided once from the token it connected with. */
  bucket?: string;
  /** Frees this socket's place among its caller's sockets (options.sockets); called when it closes. */
  release?: () => void;
  subscriptions: Map<string, AbortController>;
}

type EnvelopedRoot = {
  execute: (args: ExecutionArgs) => unknown;
  subscribe: (args: ExecutionArgs) => unknown;
  /** Ends the operation's watch (its signal): what a client's `complete` must lead to. */
  end: () => void;
};

/**
 * graphql-ws on the same `/graphql` path as HTTP, executing through Yoga's envelop so masking and
 * the schema are the same for both transports. The token comes in `connection_init`
 * (`{"Authorization": "Bearer <JWT>"}`) or the upgrade request's header (not from another site's
 * page: upgrade-token.ts); a missing or bad one closes the socket with 4401, a valid one without
 * any orders scope with 4403 — both before any subscription starts.
 */
export function attachGraphQLWs(options: {
  server: Server;
  yoga: GraphQLHandler;
  authenticator: Authenticator;
  logger: Logger;
  /** Counts each `subscribe` message; one over budget gets a RATE_LIMITED error, the socket stays. */
  rateLimiter?: RateLimiter;
  /**
   * Sockets one caller (token `sub`) may hold open at once, counted with its SSE streams
   * (SOCKETS_PER_CALLER, socket-limit.ts): one more is closed with 4429 at its connection_init.
   * An idle socket still holds memory and a file descriptor. Default none (no bound).
   */
  sockets?: SocketLimit;
  /** Trusted documents: a subscribe message names its document by hash (query ''); default off. */
  persistedOperations?: PersistedOperations;
  /** Runs each operation in a request context of its own (observability); default: as is. */
  inOperationContext?: <T>(run: () => T) => T;
  /**
   * Live `orderStatusChanged` messages executed and serialised once per change for all
   * subscribers sharing a document, and sent from the change feed's dispatch (shared-push.ts);
   * default on.
   */
  push?: boolean;
}): { close(): Promise<void>; clients(): number } {
  const inContext = options.inOperationContext ?? (<T>(run: () => T): T => run());
  // ws's maxPayload is per server: the small pre-init bound here, raised per socket once its
  // token is verified (allowLargerFrames).
  const wsServer = new WebSocketServer({ server: options.server, path: '/graphql', maxPayload: MAX_FRAME_BEFORE_INIT_BYTES });
  const states = new WeakMap<object, ConnectionState>();
  const stateOf = (ctx: object): ConnectionState => {
    let state = states.get(ctx);
    if (!state) {
      state = { subscriptions: new Map() };
      states.set(ctx, state);
    }
    return state;
  };

  const disposable = useServer(
    {
      execute: (args) => inContext(() => (args.rootValue as EnvelopedRoot).execute(args)) as never,
      subscribe: async (args) => {
        const root = args.rootValue as EnvelopedRoot;
        return endsOnReturn(await inContext(() => root.subscribe(args)), root.end) as never;
      },
      onConnect: async (ctx) => {
        const fromParams = ctx.connectionParams?.Authorization ?? ctx.connectionParams?.authorization;
        const authorization = typeof fromParams === 'string' ? fromParams : upgradeAuthorization(ctx.extra.request);
        try {
          const caller = await options.authenticator.authenticate(authorization);
          if (![...caller.scopes].some((scope) => scope.startsWith('orders:'))) return false; // 4403
          const state = stateOf(ctx);
          if (options.sockets) {
            // A socket that closed while its token was checked has had its onClose already.
            if (ctx.extra.socket.readyState !== ctx.extra.socket.OPEN) return false;
            const release = options.sockets.open(caller.sub);
            if (!release) {
              ctx.extra.socket.close(TOO_MANY, tooManySocketsReason(options.sockets.max));
              return false;
            }
            state.release = release;
          }
          state.caller = caller;
          const expiresAt = tokenExpiry(authorization);
          if (expiresAt !== undefined) {
            state.expiresAt = expiresAt;
            closeAtExpiry(ctx.extra.socket, state);
          }
          allowLargerFrames(ctx.extra.socket);
          if (options.rateLimiter) {
            stateOf(ctx).bucket = await options.rateLimiter.bucketOf(authorization, options.rateLimiter.addressOf(ctx.extra.request));
          }
          return true;
        } catch (error) {
          const message = error instanceof GatewayError ? error.message : 'Unauthorized';
          ctx.extra.socket.close(UNAUTHORIZED, message.slice(0, 120));
          return false;
        }
      },
      onSubscribe: async (ctx, id, payload) => {
        const state = stateOf(ctx);
        // The timer closes the socket at expiry; this catches a message that raced it.
        if (state.expiresAt !== undefined && state.expiresAt <= Date.now()) {
          closeExpired(ctx.extra.socket);
          return [new GraphQLError('The bearer token has expired', { extensions: { code: 'UNAUTHENTICATED' } })];
        }
        if (options.rateLimiter && state.bucket) {
          const decision = await options.rateLimiter.take(state.bucket);
          if (!decision.allowed) return [rateLimitedError(decision.retryAfterSeconds)];
        }
        if (state.subscriptions.size >= MAX_OPERATIONS_PER_SOCKET) {
          return [new GraphQLError(`Too many operations open on this socket (at most ${MAX_OPERATIONS_PER_SOCKET})`, { extensions: { code: 'TOO_MANY_SUBSCRIPTIONS', limit: MAX_OPERATIONS_PER_SOCKET } })];
        }
        const persisted = options.persistedOperations?.resolve(payload);
        if (persisted && 'error' in persisted) return [persisted.error];
        const query = persisted ? persisted.query : payload.query;
        const controller = new AbortController();
        const { schema, execute, subscribe, contextFactory, parse, validate } = options.yoga.getEnveloped({
          ...ctx,
          req: ctx.extra.request,
          socket: ctx.extra.socket,
          params: { ...payload, query },
          wsCaller: state.caller,
          wsSignal: controller.signal,
          // Each money field of a mutation counts against the same bucket (money-fields.ts).
          ...(state.bucket ? { wsRateBucket: state.bucket } : {}),
        });
        let document: DocumentNode;
        try {
          document = parse(query);
        } catch (error) {
          // A syntax error or a document over the token limit: an error for this operation, as
          // over HTTP, rather than an exception that would close the whole socket.
          if (error instanceof GraphQLError) return [error];
          throw error;
        }
        const errors = validate(schema, document);
        if (errors.length) return errors;
        // Only now: graphql-ws calls onComplete (which forgets it) only for an operation that
        // started, so one refused above was never forgotten and every refused subscribe kept an
        // entry for the socket's life.
        state.subscriptions.set(id, controller);
        const operationName = payload.operationName ?? null;
        const variableValues = payload.variables ?? null;
        const contextValue: Context = await contextFactory();
        if (options.push !== false) {
          const socket = ctx.extra.socket;
          const subscribed = (): boolean => id in ctx.subscriptions;
          contextValue.pushChange = pushOverSocket({ socket, id, subscribed, schema, document, operationName, variableValues, contextValue });
        }
        return { schema, document, operationName, variableValues, contextValue, rootValue: { execute, subscribe, end: () => controller.abort() } satisfies EnvelopedRoot };
      },
      onComplete: (ctx, id) => {
        const state = stateOf(ctx);
        state.subscriptions.get(id)?.abort();
        state.subscriptions.delete(id);
      },
      onClose: (ctx) => {
        const state = stateOf(ctx);
        clearTimeout(state.expiryTimer);
        state.release?.();
        state.release = undefined;
        for (const controller of state.subscriptions.values()) controller.abort();
      },
    },
    wsServer,
  );

  // A frame over the limit (or any protocol violation) makes ws close the socket itself (1009,
  // 1002...) and emit 'error'. graphql-ws's own listener would print it with console.error, so
  // any anonymous client could flood stderr: it is replaced (this 'connection' listener runs after
  // graphql-ws's) by one line in the structured log.
  wsServer.on('connection', (socket) => {
    socket.removeAllListeners('error');
    socket.on('error', (error) => options.logger.log('debug', 'graphql-ws socket refused a frame', { reason: error.message }));
  });

  return {
    clients: () => wsServer.clients.size,
    close: async () => {
      for (const socket of wsServer.clients) socket.close(1001, 'Server shutting down');
      await disposable.dispose();
    },
  };
}

/**
 * A client's `complete` makes graphql-ws call the subscription's `return()`, and it forgets the
 * operation (onComplete) only once its loop over the results ends. But an async generator
 * waiting for the next change queues a `return()` until that change comes, so the watch of an
 * order that never changes again stayed (its listener, its entry here) until the socket closed:
 * a client unsubscribing and subscribing again on one socket piled them up. Its signal ends the
 * watch at once instead. Patched in place rather than wrapped: the pushed messages pay nothing.
 */
function endsOnReturn(result: unknown, end: () => void): unknown {
  if (typeof result !== 'object' || result === null || !(Symbol.asyncIterator in result)) return result;
  const iterator = result as unknown as AsyncIterator<unknown>;
  const original = iterator.return?.bind(iterator);
  iterator.return = (value?: unknown) => {
    end();
    return original ? original(value) : Promise.resolve({ done: true, value });
  };
  return result;
}

/**
 * CONTRACT §4: a socket's token keeps its `exp`. At that moment the socket closes with 4401; its
 * subscriptions end with it (onClose aborts them), and the client reconnects with a fresh token
 * and resumes with `after`.
 */
function closeAtExpiry(socket: WebSocket, state: ConnectionState): void {
  clearTimeout(state.expiryTimer);
  const expiresAt = state.expiresAt;
  if (expiresAt === undefined) return;
  const wait = expiresAt - Date.now();
  if (wait <= 0) return closeExpired(socket);
  state.expiryTimer = setTimeout(() => closeAtExpiry(socket, state), Math.min(wait, LONGEST_TIMER_MS));
  state.expiryTimer.unref();
}

function closeExpired(socket: WebSocket): void {
  socket.close(UNAUTHORIZED, 'The bearer token has expired');
}

/**
 * Raises the socket's frame limit to the operation-sized one once it is authenticated. ws keeps
 * the limit in its receiver (`_maxPayload`, read at each frame header); ws has no public per-socket
 * setter. test/gateway/request-size-limits.test.ts sends a frame between the two limits after init,
 * so a ws release that moves the field fails there rather than silently keeping the small limit.
 */
function allowLargerFrames(socket: WebSocket): void {
  const receiver = (socket as unknown as { _receiver?: { _maxPayload?: number } })._receiver;
  if (receiver && typeof receiver._maxPayload === 'number') receiver._maxPayload = MAX_FRAME_AFTER_INIT_BYTES;
}
