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

/**
 * AsyncLocalStorage as Node 20 and 22 build it hooks the creation of every promise and every
 * callback in the process for as long as it is enabled, whether or not that work reads a
 * context: a tenth of a cached `order(id)` read's CPU, which reads none (README, "The request
 * context only while work may read it"). So the storage is enabled only while some run below has
 * not finished, and disabled when the last one has: with nothing else in flight, a cached read
 * runs without a hook. (Node's AsyncContextFrame storage, the default from Node 24, costs nothing
 * while unread and has no such switch: it is left on.)
 */
const HOOKED = typeof (AsyncLocalStorage.prototype as { _enable?: unknown })._enable === 'function';

/** Runs of runWithRequestContext not finished yet. */
let unfinished = 0;

function finished(): void {
  unfinished -= 1;
  if (unfinished === 0 && HOOKED) storage.disable();
}

/** Whether any work may still read a request context (tests: a cached read must not need one). */
export function requestContextsInUse(): boolean {
  return unfinished > 0;
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (typeof value === 'object' || typeof value === 'function') && value !== null && typeof (value as PromiseLike<unknown>).then === 'function';
}

/**
 * Runs `run` in `context`. What it starts reads the context until the run has finished: when
 * `run` returns, or when the promise it returns settles, and not before `until` settles either
 * (an HTTP response's close: an SSE stream is written after Yoga's handler returned). Work it
 * starts without waiting for it, and which is still running after that, may find no context
 * (its log lines then carry no request id, its provider calls no `x-request-id`).
 */
export function runWithRequestContext<T>(context: RequestContext, run: () => T, until?: PromiseLike<unknown>): T {
  unfinished += 1;
  let result: T;
  try {
    result = storage.run(context, run);
  } catch (error) {
    if (until) until.then(finished, finished);
    else finished();
    throw error;
  }
  const pending = [result, until].filter(isThenable);
  if (pending.length === 0) finished();
  else Promise.allSettled(pending).then(finished);
  return result;
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
    next: (...args) => runWithRequestContext(context, () => iterator.next(...args)),
    return: (value?: unknown) =>
      runWithRequestContext(context, () => iterator.return?.(value as never) ?? Promise.resolve({ done: true as const, value: undefined as never })),
    throw: (error?: unknown) => runWithRequestContext(context, () => iterator.throw?.(error) ?? Promise.reject(error)),
  };
  return bound;
}
