import { GraphQLError } from 'graphql';
import { isAsyncIterable, type Plugin } from 'graphql-yoga';
import type { Context } from '../schema/builder.js';
import { createCallerBound } from './caller-bound.js';

/**
 * Subscriptions one caller may hold open on one gateway instance at a time (SUBSCRIPTIONS_PER_CALLER).
 * A browser watches one or two orders and a back office a feed or a few; a shop server watching
 * each of its checkouts with one token needs many more: the benchmarks hold 10,000 under one
 * token, so the default leaves twice that (about 450 MB of idle subscriptions at ~22 KB each).
 * Without a bound, one token (a browser's `orders:create` one too) could open subscriptions until
 * the process ran out of memory: the rate limit counts how fast they are opened, not how many stay
 * open, and a graphql-ws socket, once accepted, may carry any number.
 */
export const DEFAULT_SUBSCRIPTIONS_PER_CALLER = 20_000;

/** The error of a subscription over the caller's bound: the gateway's own code, beside RATE_LIMITED. */
export function tooManySubscriptions(max: number): GraphQLError {
  return new GraphQLError(`Too many open subscriptions for this caller (at most ${max} per gateway instance): end one before starting another`, {
    extensions: { code: 'TOO_MANY_SUBSCRIPTIONS', limit: max },
  });
}

/**
 * Counts each caller's open subscriptions (token `sub`), over SSE and graphql-ws alike (graphql-ws
 * subscribes through the same envelop), and refuses one over `max` before its resolver runs. A
 * subscription counts from its start until it ends (the client leaves, its token expires, the
 * order reaches a final status) or fails to start. A request without a usable token is not
 * counted: its resolver refuses it. `max` 0: no bound.
 */
export function useSubscriptionLimit(max: number): Plugin {
  const bound = createCallerBound(max);
  return {
    onSubscribe({ args, setResultAndStopExecution }) {
      if (max <= 0) return;
      const sub = subOf(args.contextValue as unknown as Context);
      if (sub === undefined) return;
      const release = bound.open(sub);
      if (!release) return setResultAndStopExecution({ errors: [tooManySubscriptions(max)] });
      return {
        onSubscribeError: release,
        onSubscribeResult({ result }) {
          if (!isAsyncIterable(result)) return release();
          return { onEnd: release };
        },
      };
    },
  };
}

/** The verified caller's subject; undefined when there is none or its token is bad (the resolver answers that). */
export function subOf(context: Context): string | undefined {
  try {
    return context.caller()?.sub;
  } catch {
    return undefined;
  }
}
