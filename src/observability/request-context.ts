import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { Span } from '@opentelemetry/api';

/**
 * What the work in flight belongs to: an HTTP request, one graphql-ws operation or one
 * reconciliation pass. Carried by AsyncLocalStorage, so a log line, a provider call or a span
 * deep in the service knows it without every function passing it along.
 */
export interface RequestContext {
  /** Echoed to the client, bound to log lines, sent to providers as `x-request-id`. */
  readonly requestId: string;
  /**
   * The gateway doing the work. Provider-call observers are process-wide and tests run several
   * gateways in one process: each gateway counts and traces only its own calls.
   */
  readonly owner?: object;
  /** The innermost open span (tracing on only): the parent of spans started under it. */
  readonly span?: Span;
}

const storage = new AsyncLocalStorage<RequestContext>();

export function currentRequestContext(): RequestContext | undefined {
  return storage.getStore();
}

export function runWithRequestContext<T>(context: RequestContext, run: () => T): T {
  return storage.run(context, run);
}

export function newRequestId(): string {
  return randomUUID();
}

/**
 * A client's or proxy's id is kept only when it is short and plain: it ends up in log lines and
 * in headers to providers, so anything that could smuggle a line break, markup or a wall of text
 * is replaced.
 */
const WELL_FORMED = /^[A-Za-z0-9._:-]{8,128}$/;

/** The incoming `x-request-id` when well formed, else a new id. */
export function requestIdFrom(header: string | string[] | undefined): string {
  return typeof header === 'string' && WELL_FORMED.test(header) ? header : newRequestId();
}

/**
 * An async iterable whose every step runs in `context`. A subscription's source is resumed by
 * whoever pulls it (graphql-ws's loop, outside any request), so without this the resolver's work
 * after the first message would lose its request id.
 */
export function bindAsyncIterable<T>(context: RequestContext, iterable: AsyncIterable<T>): AsyncIterableIterator<T> {
  const iterator = iterable[Symbol.asyncIterator]();
  const bound: AsyncIterableIterator<T> = {
    [Symbol.asyncIterator]: () => bound,
    next: (...args) => storage.run(context, () => iterator.next(...args)),
    return: (value?: unknown) =>
      storage.run(context, () => iterator.return?.(value as never) ?? Promise.resolve({ done: true as const, value: undefined as never })),
    throw: (error?: unknown) => storage.run(context, () => iterator.throw?.(error) ?? Promise.reject(error)),
  };
  return bound;
}
