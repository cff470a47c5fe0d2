import type { ServerResponse } from 'node:http';
import { GraphQLError } from 'graphql';
import { isAsyncIterable, type Plugin } from 'graphql-yoga';
import type { Context } from '../schema/builder.js';
import { createCallerBound, type CallerBound } from './caller-bound.js';
import { subOf } from './subscription-limit.js';

/**
 * Connections one caller (token `sub`) may hold open on one gateway instance at a time
 * (SOCKETS_PER_CALLER): graphql-ws sockets and SSE streams together. Each costs a file descriptor
 * and its buffers (~20 KB) whether or not it carries anything, and the subscription bound
 * (SUBSCRIPTIONS_PER_CALLER, 20,000) is as large as the process' file descriptors: one browser
 * token held 8,910 idle sockets (+200 MB) under it. A browser needs one or two, a back office a
 * few: graphql-ws carries up to MAX_OPERATIONS_PER_SOCKET subscriptions on one socket, so a server
 * watching many orders needs no more than this, while one that opens an SSE stream per order
 * raises the bound (or moves to graphql-ws).
 */
export const DEFAULT_SOCKETS_PER_CALLER = 50;

/** The count of each caller's open connections, shared by graphql-ws and SSE; `max` 0: no bound. */
export type SocketLimit = CallerBound;

export const createSocketLimit = (max: number): SocketLimit => createCallerBound(max);

/** graphql-ws closes a socket over the bound with this reason (code 4429) at its connection_init. */
export function tooManySocketsReason(max: number): string {
  return `Too many sockets and streams open for this caller (at most ${max})`;
}

/**
 * An SSE stream over the bound: HTTP 429 with the gateway's TOO_MANY_SUBSCRIPTIONS code (as graphql-ws
 * closes its socket with 4429); an EventSource does not reconnect after a status other than 200.
 */
export function tooManyStreams(max: number): GraphQLError {
  return new GraphQLError(`${tooManySocketsReason(max)}: close one before opening another`, {
    extensions: { code: 'TOO_MANY_SUBSCRIPTIONS', limit: max, http: { status: 429 } },
  });
}

/** What the context of an HTTP operation carries besides the gateway's own fields (yoga.ts ServerContext). */
interface TransportContext {
  res?: ServerResponse;
  wsCaller?: unknown;
}

/**
 * Counts each subscription over HTTP (an SSE or multipart stream: its connection stays open while
 * it runs) against the caller's connections, beside its graphql-ws sockets (counted by
 * graphql-ws.ts at connection_init, whose subscriptions are not counted again). One over the bound
 * is refused before its resolver runs. A stream counts until its subscription ends or its
 * connection closes, whichever comes first. A request without a usable token is not counted: its
 * resolver refuses it.
 */
export function useStreamLimit(limit: SocketLimit): Plugin {
  return {
    onSubscribe({ args, setResultAndStopExecution }) {
      if (limit.max <= 0) return;
      const context = args.contextValue as unknown as Context & TransportContext;
      if (context.wsCaller !== undefined) return;
      const sub = subOf(context);
      if (sub === undefined) return;
      const release = limit.open(sub);
      if (!release) return setResultAndStopExecution({ errors: [tooManyStreams(limit.max)] });
      context.res?.once('close', release);
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
