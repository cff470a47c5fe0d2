import { setMaxListeners } from 'node:events';
import type { ServerResponse } from 'node:http';
import type { Plugin } from 'graphql-yoga';
import type { Context } from '../schema/builder.js';
import { LONGEST_TIMER_MS, tokenExpiry } from './auth.js';

/** What the context of an HTTP (or SSE) operation carries besides the gateway's own fields. */
interface HttpContext {
  res?: ServerResponse;
  request?: Request;
}

/**
 * Gives subscriptions over HTTP (SSE) their `signal`, aborted when the client goes away or the
 * gateway stops, so an SSE subscription ends at once and frees its place in the change hub.
 *
 * Only subscriptions read `ctx.signal`, so it is built here, when one starts, instead of in the
 * context factory for every request: an AbortController and two listeners per query or mutation
 * were ~2.5% of a cached read's CPU. graphql-ws subscriptions already have theirs (`wsSignal`,
 * put into the context by yoga.ts), and keep it.
 */
export function useSubscriptionSignal(stopping?: AbortSignal): Plugin<Context> {
  // One listener per open SSE subscription: past 10, Node would warn of a leak that is not one.
  if (stopping) setMaxListeners(0, stopping);
  return {
    onSubscribe({ args, extendContext }) {
      const context = args.contextValue as Context & HttpContext;
      if (context.signal) return;
      const closed = context.res ? closedSignal(context.res, stopping) : context.request?.signal;
      const signal = closed ? untilTokenExpiry(closed, context.request?.headers.get('authorization')) : undefined;
      if (signal) extendContext({ signal });
    },
  };
}

/**
 * An SSE subscription ends when its bearer token expires, as a graphql-ws socket closes then
 * (CONTRACT §4): the client reconnects with a fresh token and resumes with Last-Event-ID. (A token
 * living longer than a timer can wait ends its stream at the timer's longest, and the client
 * reconnects with the same token.)
 */
function untilTokenExpiry(signal: AbortSignal, authorization: string | null | undefined): AbortSignal {
  const expiresAt = tokenExpiry(authorization);
  if (expiresAt === undefined) return signal;
  return AbortSignal.any([signal, AbortSignal.timeout(Math.min(Math.max(0, expiresAt - Date.now()), LONGEST_TIMER_MS))]);
}

/**
 * Aborted when the client's connection closes. An SSE client that goes away must end its
 * subscription at once (and free its place in the change hub), not at the next change.
 */
export function closedSignal(res: ServerResponse, stopping?: AbortSignal): AbortSignal {
  const controller = new AbortController();
  if (res.closed || stopping?.aborted) {
    controller.abort();
    return controller.signal;
  }
  const stop = (): void => controller.abort();
  stopping?.addEventListener('abort', stop, { once: true });
  res.once('close', () => {
    stopping?.removeEventListener('abort', stop);
    // Only a response cut short is the client going away. A finished one has nothing left to stop,
    // and aborting (a DOMException with a stack trace) on every request was ~4% of a read's CPU.
    if (!res.writableFinished) controller.abort();
  });
  return controller.signal;
}
