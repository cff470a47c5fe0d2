import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Plugin } from 'graphql-yoga';
import type { Order } from '../domain/order.js';
import { operationOf, type OperationInfo } from '../observability/operation-labels.js';
import type { ChangeFeed, OrderStore } from '../store/types.js';
import type { InRequestContext } from '../observability/http-requests.js';
import type { Authenticator } from './auth.js';
import type { RateLimiter } from './rate-limit.js';
import { VersionReads } from './version-reads.js';
import type { GraphQLHandler } from './yoga.js';

/**
 * The per-caller answer cache for `order(id)` over HTTP: a shop's frontend or back office asking
 * for the same order again gets the bytes it got last time, without Yoga's pipeline, **only while
 * the order is still at the version that answer was made from**. Never a stale read:
 *
 * - Every hit reads the order's current version from the store (one HGET on Redis) and serves the
 *   bytes only if it is the version they were made from. The store is the truth every instance
 *   shares, so a read that starts after a write was acknowledged (on this instance or another
 *   one on the same Redis) sees that write's version and misses. Hits of one order share reads
 *   sent after each of them arrived (version-reads.ts): one read per store round trip for a hot
 *   order, not one per hit.
 * - The store's change feed evicts an order's answers when it changes (frees them early; the
 *   version check does not depend on it, so a late or lost notification cannot make a read stale).
 *
 * What may be kept: a 200 answer of a query whose only reads were `order(id)` of one order that
 * `getOrder` answered from the store as it is (not one it re-reads at its provider, see
 * OrderService.answersFromStore), without errors. Unknown or invisible orders (null) are not
 * kept. The key is the caller's exact Authorization value plus everything that shapes the answer
 * (Accept, Accept-Encoding, Origin (its CORS headers), the request body), so one caller never gets
 * another's answer. A hit still authenticates the token (an expired one falls through to Yoga and
 * is refused there), still counts against the rate limit, and is counted in the operation
 * metrics; it has no operation span of its own (the HTTP request's span remains).
 */
export interface ReadCacheOptions {
  orders: Pick<OrderStore, 'version' | 'readsAtTurnEnd'>;
  /** Whether an order's answer comes from the store as it is (OrderService.answersFromStore). */
  answersFromStore: (order: Order) => boolean;
  /** Counts hits as the operation they answer (the metrics plugin does not see them); default none. */
  hitCounter?: HitCounter;
  /** Answers kept at most (oldest dropped first); 0 turns the cache off. Default 10,000. */
  maxEntries?: number;
}

/** Bodies larger than this are never looked up (an order read is a few hundred bytes). */
const MAX_BODY_BYTES = 8 * 1024;

/**
 * Where an answer is kept: the caller's exact Authorization value, then everything else that
 * shapes the answer (Accept, Accept-Encoding, Origin, the request body). Two levels rather than one
 * string of both: a hit then hashes the token once, and the token cache's lookup of the same
 * string reuses that hash (V8 keeps a string's hash on it).
 */
export interface AnswerKey {
  caller: string;
  shape: string;
}

interface CachedAnswer {
  key: AnswerKey;
  status: number;
  headers: Record<string, string>;
  body: Uint8Array<ArrayBuffer>;
  orderId: string;
  version: number;
  /** Counts one hit of this answer, with its duration in seconds (metrics). */
  countHit: ((seconds: number) => void) | undefined;
}

/** What one Yoga request read, collected through the context (`ctx.reads`). */
export class ReadRecorder {
  private orders: Order[] = [];
  private otherReads = false;
  operation: OperationInfo | undefined;
  errors = false;

  constructor(readonly key: AnswerKey) {}

  order(order: Order): void {
    this.orders.push(order);
  }

  other(): void {
    this.otherReads = true;
  }

  /** The one order the answer was made from, when the answer may be kept. */
  keepable(answersFromStore: (order: Order) => boolean): Order | undefined {
    const [order, ...more] = this.orders;
    if (!order || more.length || this.otherReads || this.errors || this.operation?.type !== 'query') return undefined;
    return answersFromStore(order) ? order : undefined;
  }
}

/** Counts a hit of an answer to `operation` (made once per kept answer, called on each hit). */
export type HitCounter = (operation: OperationInfo) => (seconds: number) => void;

export class OrderReadCache {
  /** Caller -> shape -> answer. */
  private readonly byCaller = new Map<string, Map<string, CachedAnswer>>();
  /** Every kept answer, oldest first (the one dropped when full). */
  private readonly kept = new Set<CachedAnswer>();
  private readonly answersByOrder = new Map<string, Set<CachedAnswer>>();
  private readonly maxEntries: number;
  /** The orders' versions as the store has them after a hit arrived, shared between hits. */
  private readonly versions: VersionReads;
  private stopFeed: (() => void) | undefined;
  private closed = false;

  constructor(private readonly options: ReadCacheOptions) {
    this.maxEntries = options.maxEntries ?? 10_000;
    this.versions = new VersionReads((orderId) => options.orders.version(orderId), options.orders.readsAtTurnEnd === true);
  }

  get enabled(): boolean {
    return this.maxEntries > 0;
  }

  /**
   * Evicts an order's answers whenever the store says it changed. Not awaited by the gateway's
   * start: answers are correct without it (the version check), and the start must not wait on a
   * subscription between listening and handling requests. A failure is told to `onError`.
   */
  watch(feed: ChangeFeed, onError: (error: unknown) => void): void {
    feed.subscribe((change) => this.evict(change.order.id)).then((stop) => {
      if (this.closed) stop();
      else this.stopFeed = stop;
    }, onError);
  }

  /**
   * Stops hearing changes. A subscribe still under way is not waited for (a store that never
   * answers, e.g. a cluster refusing the gateway's AUTH, would keep the gateway from stopping):
   * it is ended as soon as it settles.
   */
  async close(): Promise<void> {
    this.closed = true;
    this.stopFeed?.();
  }

  /**
   * Nothing if no answer is kept under `key` (known at once); else the kept answer if the order is
   * still at its version, `stale` (and dropped) if it moved on.
   */
  fresh(caller: string, shape: string): Promise<CachedAnswer | 'stale'> | undefined {
    const answer = this.byCaller.get(caller)?.get(shape);
    if (!answer) return undefined;
    return this.versions.now(answer.orderId).then((version) => {
      if (version === answer.version) return answer;
      this.drop(answer);
      return 'stale';
    });
  }

  /** Keeps `response` if the request's reads allow it; answers the response to send (its body may have been read). */
  async keep(recorder: ReadRecorder, response: Response, fetchAPI: { Response: typeof Response }): Promise<Response | undefined> {
    const order = recorder.keepable(this.options.answersFromStore);
    if (!order || response.status !== 200 || !recorder.operation) return undefined;
    const body = new Uint8Array(await response.arrayBuffer());
    const headers: Record<string, string> = {};
    response.headers.forEach((value, name) => (headers[name] = value));
    const countHit = this.options.hitCounter?.(recorder.operation);
    this.put({ key: recorder.key, status: response.status, headers, body, orderId: order.id, version: order.version, countHit });
    return new fetchAPI.Response(body, { status: response.status, statusText: response.statusText, headers });
  }

  private put(answer: CachedAnswer): void {
    const { caller, shape } = answer.key;
    const replaced = this.byCaller.get(caller)?.get(shape);
    if (replaced) this.drop(replaced);
    if (this.kept.size >= this.maxEntries) {
      const oldest = this.kept.values().next();
      if (!oldest.done) this.drop(oldest.value);
    }
    let shapes = this.byCaller.get(caller);
    if (!shapes) this.byCaller.set(caller, (shapes = new Map()));
    shapes.set(shape, answer);
    this.kept.add(answer);
    let answers = this.answersByOrder.get(answer.orderId);
    if (!answers) this.answersByOrder.set(answer.orderId, (answers = new Set()));
    answers.add(answer);
  }

  private evict(orderId: string): void {
    for (const answer of this.answersByOrder.get(orderId) ?? []) this.drop(answer);
  }

  private drop(answer: CachedAnswer): void {
    const { caller, shape } = answer.key;
    const shapes = this.byCaller.get(caller);
    // Only this very answer: a newer one kept under the same key since stays.
    if (shapes?.get(shape) === answer) {
      shapes.delete(shape);
      if (shapes.size === 0) this.byCaller.delete(caller);
    }
    this.kept.delete(answer);
    const answers = this.answersByOrder.get(answer.orderId);
    answers?.delete(answer);
    if (answers?.size === 0) this.answersByOrder.delete(answer.orderId);
  }
}

/** Yoga's server context on a request the cache may keep (read by useReadCache and the context factory). */
export interface ReadCacheServerContext {
  readRecorder?: ReadRecorder;
}

/** Records the operation and its errors, and keeps a keepable answer (last in Yoga's plugin list). */
export function useReadCache(cache: OrderReadCache): Plugin {
  return {
    onExecute({ args }) {
      const recorder = (args.contextValue as ReadCacheServerContext).readRecorder;
      if (!recorder) return;
      recorder.operation = operationOf(args.document, args.operationName);
      return {
        onExecuteDone({ result }) {
          if (!('errors' in result) || !result.errors?.length) return;
          recorder.errors = true;
        },
      };
    },
    async onResponse({ serverContext, response, setResponse, fetchAPI }) {
      const recorder = (serverContext as ReadCacheServerContext).readRecorder;
      if (!recorder) return;
      const kept = await cache.keep(recorder, response, fetchAPI);
      if (kept) setResponse(kept);
    },
  };
}

/**
 * The longest Authorization value, and Accept, Accept-Encoding and Origin together, an answer is
 * kept under: a JWT of a few KB, and what browsers and clients send (a few hundred bytes).
 */
const MAX_AUTHORIZATION_BYTES = 8 * 1024;
const MAX_SHAPE_HEADER_BYTES = 1024;

/**
 * A JSON POST small enough to look up; anything else goes to Yoga untouched. The key is made of
 * the Authorization value and three more headers as sent, so only their usual spellings are kept:
 * `Bearer <token>` with one space, and short Accept, Accept-Encoding and Origin values. Before, one
 * browser token sent with a different padding of spaces, or Origin, per request (Node takes
 * 16 KiB of headers) made each answer a new entry with a key of up to 16 KB: 10,000 of them,
 * ~300 MB, from one caller reading its own order.
 */
function lookupable(request: IncomingMessage): number | undefined {
  const { authorization, accept, origin } = request.headers;
  if (request.method !== 'POST' || !authorization) return undefined;
  if (authorization.length > MAX_AUTHORIZATION_BYTES || !/^Bearer [^\s]+$/.test(authorization)) return undefined;
  if ((accept?.length ?? 0) + (request.headers['accept-encoding']?.length ?? 0) + (origin?.length ?? 0) > MAX_SHAPE_HEADER_BYTES) return undefined;
  if (!/^application\/json\b/i.test(request.headers['content-type'] ?? '')) return undefined;
  if (/text\/event-stream/i.test(accept ?? '')) return undefined;
  const length = Number(request.headers['content-length']);
  return Number.isInteger(length) && length > 0 && length <= MAX_BODY_BYTES ? length : undefined;
}

function readBody(request: IncomingMessage, length: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.once('end', () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, length)));
    request.once('error', reject);
    // A client that goes away mid-body: no 'end' will come.
    request.once('close', () => {
      if (!request.complete) reject(new Error('the request was aborted before its body arrived'));
    });
  });
}

/**
 * `/graphql` with the cache in front of Yoga. A request that cannot be looked up, or misses, goes
 * to Yoga in the request's context (its body, already read, handed over as whatwg-node takes a
 * pre-read body); a miss that Yoga answers from one order is kept for next time. A hit is answered
 * outside the context: it logs nothing and calls no provider, and keeping out of it is what lets the
 * context's hooks stay off (observability/request-context.ts).
 */
export function cachedGraphQLRoute(options: {
  yoga: GraphQLHandler;
  cache: OrderReadCache;
  authenticator: Authenticator;
  rateLimiter?: RateLimiter;
  /** Told of a kept answer found out of date (the order moved on). */
  onStale?: () => void;
}): (request: IncomingMessage, response: ServerResponse, inContext: InRequestContext) => Promise<void> {
  const { yoga, cache } = options;

  /** Whether a hit may be answered: the token still verifies, and the caller is within the rate limit. */
  function hitAllowed(request: IncomingMessage, authorization: string): boolean | Promise<boolean> {
    // The common case without waiting: a token verified moments ago, no rate limit.
    if (!options.rateLimiter && options.authenticator.remembered?.(authorization)) return true;
    return verifiedAndWithinLimit(request, authorization);
  }

  async function verifiedAndWithinLimit(request: IncomingMessage, authorization: string): Promise<boolean> {
    try {
      await options.authenticator.authenticate(authorization);
    } catch {
      return false; // Yoga answers the refusal, as always.
    }
    if (!options.rateLimiter) return true;
    const bucket = await options.rateLimiter.bucketOf(authorization, options.rateLimiter.addressOf(request));
    // Over budget: Yoga answers 429 (counting once more a caller already refused this minute).
    return (await options.rateLimiter.take(bucket)).allowed;
  }

  return async (request, response, inContext) => {
    const length = cache.enabled ? lookupable(request) : undefined;
    if (length === undefined) return inContext(async () => yoga(request, response));
    const started = performance.now();
    const body = await readBody(request, length);
    const headers = request.headers;
    const caller = headers.authorization!;
    const shape = `${headers.accept ?? ''}\n${headers['accept-encoding'] ?? ''}\n${headers.origin ?? ''}\n${body.toString('latin1')}`;
    const lookup = cache.fresh(caller, shape);
    const answer = lookup && (await lookup);
    if (answer === 'stale') options.onStale?.();
    else if (answer) {
      const allowed = hitAllowed(request, caller);
      if (allowed === true || (allowed !== false && (await allowed))) {
        response.writeHead(answer.status, answer.headers);
        response.end(answer.body);
        answer.countHit?.((performance.now() - started) / 1000);
        return;
      }
    }
    (request as IncomingMessage & { body?: Buffer }).body = body;
    const context: ReadCacheServerContext = { readRecorder: new ReadRecorder({ caller, shape }) };
    return inContext(async () => yoga(request, response, context as never));
  };
}
