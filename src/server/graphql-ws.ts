import type { Server } from 'node:http';
import type { ExecutionArgs } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import type { Caller } from '../domain/caller.js';
import { GatewayError } from '../domain/errors.js';
import type { Logger } from '../log.js';
import type { Authenticator } from './auth.js';
import type { GraphQLHandler } from './yoga.js';

/** graphql-ws's own codes plus the contract's 4401 (CONTRACT §4). */
const UNAUTHORIZED = 4401;

interface ConnectionState {
  caller?: Caller;
  subscriptions: Map<string, AbortController>;
}

type EnvelopedRoot = { execute: (args: ExecutionArgs) => unknown; subscribe: (args: ExecutionArgs) => unknown };

/**
 * graphql-ws on the same `/graphql` path as HTTP, executing through Yoga's envelop so masking and
 * the schema are the same for both transports. The token comes in `connection_init`
 * (`{"Authorization": "Bearer <JWT>"}`) or the upgrade request's header; a missing or bad one
 * closes the socket with 4401, a valid one without any orders scope with 4403 — both before any
 * subscription starts.
 */
export function attachGraphQLWs(options: {
  server: Server;
  yoga: GraphQLHandler;
  authenticator: Authenticator;
  logger: Logger;
}): { close(): Promise<void>; clients(): number } {
  const wsServer = new WebSocketServer({ server: options.server, path: '/graphql' });
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
      execute: (args) => (args.rootValue as EnvelopedRoot).execute(args) as never,
      subscribe: (args) => (args.rootValue as EnvelopedRoot).subscribe(args) as never,
      onConnect: async (ctx) => {
        const fromParams = ctx.connectionParams?.Authorization ?? ctx.connectionParams?.authorization;
        const authorization = typeof fromParams === 'string' ? fromParams : ctx.extra.request.headers.authorization;
        try {
          const caller = await options.authenticator.authenticate(authorization);
          if (![...caller.scopes].some((scope) => scope.startsWith('orders:'))) return false; // 4403
          stateOf(ctx).caller = caller;
          return true;
        } catch (error) {
          const message = error instanceof GatewayError ? error.message : 'Unauthorized';
          ctx.extra.socket.close(UNAUTHORIZED, message.slice(0, 120));
          return false;
        }
      },
      onSubscribe: async (ctx, id, payload) => {
        const state = stateOf(ctx);
        const controller = new AbortController();
        state.subscriptions.set(id, controller);
        const { schema, execute, subscribe, contextFactory, parse, validate } = options.yoga.getEnveloped({
          ...ctx,
          req: ctx.extra.request,
          socket: ctx.extra.socket,
          params: payload,
          wsCaller: state.caller,
          wsSignal: controller.signal,
        });
        const document = parse(payload.query);
        const errors = validate(schema, document);
        if (errors.length) return errors;
        return {
          schema,
          document,
          operationName: payload.operationName ?? null,
          variableValues: payload.variables ?? null,
          contextValue: await contextFactory(),
          rootValue: { execute, subscribe } satisfies EnvelopedRoot,
        };
      },
      onComplete: (ctx, id) => {
        const state = stateOf(ctx);
        state.subscriptions.get(id)?.abort();
        state.subscriptions.delete(id);
      },
      onClose: (ctx) => {
        for (const controller of stateOf(ctx).subscriptions.values()) controller.abort();
      },
    },
    wsServer,
  );

  return {
    clients: () => wsServer.clients.size,
    close: async () => {
      for (const socket of wsServer.clients) socket.close(1001, 'Server shutting down');
      await disposable.dispose();
    },
  };
}
