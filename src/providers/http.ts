import { promisify } from 'node:util';
import { brotliDecompress, gunzip, inflate, inflateRaw } from 'node:zlib';
import { Agent, request as undiciRequest, type Dispatcher } from 'undici';
import type { z } from 'zod';
import { providerAnswered, providerUnavailable, providerUnreached, type GatewayError } from '../domain/errors.js';
import { startProviderCall } from './call-observers.js';
import { backoffDelayMs } from './resilience/backoff.js';
import { breakerFor, providerResilience } from './resilience/settings.js';
import { nullMembersAbsent } from './wire-nulls.js';
import { bodyText } from './body-text.js';

export interface ProviderResponse {
  status: number;
  contentType: string;
  text: string;
  /** The answer's headers, by lower-case name (Pei's listing may say in them that it is one page of more). */
  headers?: Readonly<Record<string, string | string[] | undefined>>;
}

export interface ProviderRequest {
  method: 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  headers?: Record<string, string>;
  body?: string;
  /** Upper bound for the whole call, body and retries included. */
  timeoutMs: number;
  /**
   * A 500 is handed to the adapter like a 4xx, to be read as the provider's own error when its
   * body is one (else the adapter answers PROVIDER_UNAVAILABLE itself). For a provider whose
   * errors come with statuses "between 400-500" (Payway's seed); other 5xx stay unavailable.
   */
  readsErrorAt500?: boolean;
  /**
   * A read nothing depends on (Payway's price from payment_methods, which no seed shows): made
   * once, only while the breaker is closed, and outside its count either way. A slow or broken
   * optional endpoint must not open the breaker for the calls that matter (it did: a burst of
   * purchases whose price read timed out made the purchases themselves PROVIDER_UNAVAILABLE).
   */
  bestEffort?: boolean;
}

/**
 * Methods that cannot move money: only these are retried. A POST/PUT/PATCH/DELETE whose answer was
 * lost may have taken effect; the adapter decides what to do about it, not a blind retry.
 */
const SAFE_METHODS: ReadonlySet<ProviderRequest['method']> = new Set(['GET', 'HEAD']);

/** A retry with less time than this left before the call's bound would only waste the provider's time. */
const MIN_ATTEMPT_MS = 50;

/**
 * One call to a provider. Every way it can go wrong below the provider's own words — a timeout, a
 * refused or reset connection, a 5xx, a 2xx that is not the JSON the request asked for — is
 * PROVIDER_UNAVAILABLE within `timeoutMs`; 2xx-4xx answers are returned for the adapter to read (a
 * 4xx is the provider talking).
 *
 * Safe calls (GET/HEAD) are retried on unavailability with full-jitter backoff, all within
 * `timeoutMs`. A circuit breaker per provider origin fails calls fast, without touching the
 * provider, once it has failed several calls in a row (see resilience/settings.ts). A
 * `bestEffort` read is tried once and left out of the breaker's count.
 */
export async function callProvider(provider: string, url: string, request: ProviderRequest): Promise<ProviderResponse> {
  const breaker = breakerFor(provider, url);
  if (request.bestEffort) {
    // Never the half-open trial either: that one call decides for every other.
    if (breaker.state !== 'closed') throw providerUnreached(provider, new Error(`circuit not closed for ${provider}`));
    return attemptOnce(provider, url, request, request.timeoutMs);
  }
  const admission = breaker.admit();
  if (!admission.admitted) throw providerUnreached(provider, new Error(`circuit open for ${provider}`));
  const settings = providerResilience();
  const deadline = Date.now() + request.timeoutMs;
  const attempts = SAFE_METHODS.has(request.method) ? Math.max(1, settings.retryAttempts) : 1;
  for (let attempt = 1; ; attempt++) {
    try {
      const response = await attemptOnce(provider, url, request, deadline - Date.now());
      breaker.succeeded(admission.trial);
      return response;
    } catch (error) {
      const delay = attempt < attempts ? backoffDelayMs(attempt, { baseMs: settings.retryBaseMs, capMs: settings.retryCapMs }) : Infinity;
      if (Date.now() + delay + MIN_ATTEMPT_MS > deadline) {
        breaker.failed(admission.trial);
        throw error;
      }
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}

/**
 * One HTTP attempt with what is left of the call's time: one observer span, ended exactly once.
 *
 * undici's `request` rather than the global `fetch` (also undici inside): the same connection
 * pool without the Fetch API's Request/Response/Headers objects and web streams around every
 * call, which is most of a call's CPU. It follows no redirect (a 3xx comes back as it is, as
 * `redirect: 'manual'` did), sends only the headers given (no default content type: every
 * caller names its own) plus fetch's user agent, and asks for no compression (an answer
 * compressed all the same is decoded, see decodedText).
 */
async function attemptOnce(provider: string, url: string, request: ProviderRequest, remainingMs: number): Promise<ProviderResponse> {
  let status: number;
  let contentType: string;
  let text: string;
  let answerHeaders: Record<string, string | string[] | undefined>;
  // The signal bounds everything: a free connection, connecting, the answer's headers and its
  // whole body. undici's own headersTimeout / bodyTimeout (300 s) only time the gaps between
  // bytes, so a provider dripping its body would outlive them; they stay as they are.
  const timeout = new AbortController();
  const timer = setTimeout(() => timeout.abort(new DOMException('The provider call timed out', 'TimeoutError')), Math.max(1, remainingMs));
  const headers = { 'user-agent': USER_AGENT, ...request.headers };
  const span = startProviderCall({ provider, method: request.method, url }, headers);
  try {
    const response = await undiciRequest(url, {
      dispatcher: providerAgent(),
      method: request.method,
      headers,
      ...(request.body !== undefined ? { body: request.body } : {}),
      signal: timeout.signal,
    });
    status = response.statusCode;
    answerHeaders = response.headers;
    contentType = headerValue(response.headers['content-type']);
    // Read to the end (or destroyed by the signal, or by a reset): the connection is then free
    // for the next call, never left holding an unread body.
    text = await decodedText(await boundedBody(response.body, headerValue(response.headers['content-length'])), headerValue(response.headers['content-encoding']), contentType);
  } catch (error) {
    span.end({ error });
    throw neverConnected(error) ? providerUnreached(provider, error) : providerUnavailable(provider, error);
  } finally {
    clearTimeout(timer);
  }
  const serverError = status >= 500 && !(status === 500 && request.readsErrorAt500);
  const failure = serverError ? new Error(`HTTP ${status}`) : unexpectedBody(request, status, contentType, text);
  if (failure !== undefined) {
    span.end({ status, error: failure });
    // The provider's own answer: it is done with the request. A proxy's 502 / 504 says nothing of the kind.
    throw status === 502 || status === 504 ? providerUnavailable(provider, failure) : providerAnswered(provider, failure);
  }
  span.end({ status });
  return { status, contentType, text, headers: answerHeaders };
}

/**
 * An answer's bytes, as sent, at most MAX_ANSWER_BYTES. The call's bound alone would let a
 * provider (or a proxy's error page) fast enough to send endlessly fill the memory first: such an
 * answer fails the call like a broken one (the request may have been taken), and destroying the
 * body closes its connection rather than read the rest. A declared length within the bound is
 * read whole as before (undici holds the body to its Content-Length); only a body of no declared
 * length (chunked, or ended by closing) is counted as it comes.
 */
async function boundedBody(body: Dispatcher.ResponseData['body'], contentLength: string): Promise<Buffer> {
  const tooLarge = () => new Error(`an answer larger than ${MAX_ANSWER_BYTES} bytes`);
  const declared = contentLength === '' ? NaN : Number(contentLength);
  if (declared > MAX_ANSWER_BYTES) {
    body.destroy();
    throw tooLarge();
  }
  if (declared >= 0) return Buffer.from(await body.arrayBuffer());
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_ANSWER_BYTES) {
      body.destroy();
      throw tooLarge();
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, size);
}

/** An order or a page of a listing is a few KB; nothing a provider answers comes near this. */
const MAX_ANSWER_BYTES = 32 * 1024 * 1024;

/**
 * The body as text, decoded first if it came compressed. The gateway asks for none (no
 * Accept-Encoding), but a provider or a proxy in front of it may compress anyway; `fetch` decoded
 * such answers, undici's `request` does not. A coding that cannot be decoded fails the call. The
 * text is read by body-text.ts: the charset the content type names, else UTF-8 where the bytes
 * are UTF-8, else ISO-8859-1.
 */
async function decodedText(body: Buffer, contentEncoding: string, contentType: string): Promise<string> {
  let decoded = body;
  // Codings are listed in the order they were applied: undone last first.
  for (const coding of contentEncoding.toLowerCase().split(',').map((part) => part.trim()).filter((part) => part && part !== 'identity').reverse()) {
    const input = decoded;
    if (coding === 'gzip' || coding === 'x-gzip') decoded = await gunzipAsync(input, BOUNDED);
    // RFC 9110's deflate is zlib-wrapped; some servers send it raw.
    else if (coding === 'deflate') decoded = await inflateAsync(input, BOUNDED).catch(() => inflateRawAsync(input, BOUNDED));
    else if (coding === 'br') decoded = await brotliDecompressAsync(input, BOUNDED);
    else throw new Error(`an answer in the content coding "${coding.slice(0, 40)}"`);
  }
  return bodyText(decoded, contentType);
}

/** A decoded answer larger than this fails the call rather than fill the memory, as a sent one does. */
const BOUNDED = { maxOutputLength: MAX_ANSWER_BYTES };
const gunzipAsync = promisify(gunzip);
const inflateAsync = promisify(inflate);
const inflateRawAsync = promisify(inflateRaw);
const brotliDecompressAsync = promisify(brotliDecompress);

/** What `fetch` sent as the user agent: providers (and their firewalls) go on seeing the same caller. */
const USER_AGENT = 'node';

/** A header sent more than once reads as the Fetch API's `Headers.get` would: joined with ", ". */
function headerValue(value: string | string[] | undefined): string {
  return Array.isArray(value) ? value.join(', ') : (value ?? '');
}

/**
 * Connections kept open per provider origin at most. Beyond it calls wait for a free one (within
 * their bound) instead of opening ever more sockets to a provider that is already slow.
 */
const CONNECTIONS_PER_ORIGIN = 128;

let agent: Agent | undefined;

/**
 * One keep-alive pool for every provider call of the process, made on the first call. Process-wide
 * like the call observers: a provider is one dependency of the process, whatever the number of
 * gateways in it. One request at a time per connection (no pipelining): a request queued behind
 * another's slow answer would share its fate.
 */
function providerAgent(): Agent {
  return (agent ??= new Agent({ connections: CONNECTIONS_PER_ORIGIN, pipelining: 1 }));
}

/**
 * Closes the provider connections once the calls in flight have ended (process shutdown). A call
 * made afterwards opens a new pool.
 */
export async function closeProviderConnections(): Promise<void> {
  const closing = agent;
  agent = undefined;
  await closing?.close();
}

/**
 * Failures that happen before a connection exists, so no byte of the request was written: the
 * name did not resolve, or the host refused or could not be routed to. A reset, a timeout or
 * anything after connecting may have delivered the request and is not among them.
 */
const BEFORE_CONNECTING = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);

/**
 * Whether the failure is all BEFORE_CONNECTING: undici's `request` throws the connection's own
 * error (with its `code`); connecting to several addresses of one name (happy eyeballs) throws an
 * AggregateError of them, every one of which must be such; `fetch` wraps either as the cause of
 * its "fetch failed".
 */
function neverConnected(error: unknown): boolean {
  let failure = error;
  for (let depth = 0; depth < 3 && failure instanceof Error; depth++) {
    if (failure instanceof AggregateError) {
      const causes = failure.errors as unknown[];
      return causes.length > 0 && causes.every((one) => BEFORE_CONNECTING.has(codeOf(one)));
    }
    const code = codeOf(failure);
    if (code !== '') return BEFORE_CONNECTING.has(code);
    failure = failure.cause;
  }
  return false;
}

function codeOf(error: unknown): string {
  const code = error instanceof Error ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'string' ? code : '';
}

/**
 * A success answer to a request that asked for JSON (every client sends an Accept naming its JSON
 * type; Intershop's is `application/vnd.intershop.order.v1+json`) must be JSON: a proxy's HTML page
 * with a 200, or a body cut off on the way, is not the provider's answer. The body decides, not
 * the label: no seed names the answers' content type, and a server that writes its JSON with a
 * framework's default (`text/html`, `text/plain`) or none is still the provider; under a type
 * that is not JSON only a JSON object or array counts. Error answers are read (or refused) by
 * the adapters, which know each provider's error bodies.
 */
function unexpectedBody(request: ProviderRequest, status: number, contentType: string, text: string): Error | undefined {
  if (status < 200 || status >= 300 || text.length === 0) return undefined;
  if (!wantsJson(request)) return undefined;
  const labelledJson = contentType.trim() === '' || isJsonType(contentType);
  if (!labelledJson && !/^\s*[[{]/.test(text)) return new Error(`HTTP ${status} with content type "${contentType.slice(0, 80)}" where JSON was asked for`);
  try {
    JSON.parse(text);
  } catch (error) {
    return new Error(`HTTP ${status} with a body that is not JSON`, { cause: error });
  }
  return undefined;
}

function wantsJson(request: ProviderRequest): boolean {
  const accept = Object.entries(request.headers ?? {}).find(([name]) => name.toLowerCase() === 'accept')?.[1];
  return accept !== undefined && /json/i.test(accept);
}

/** `application/json`, or any `type/subtype+json` (RFC 6839), parameters ignored. */
export function isJsonType(contentType: string): boolean {
  const essence = (contentType.split(';')[0] ?? '').trim().toLowerCase();
  return essence === 'application/json' || /^[a-z0-9!#$&^_.-]+\/[a-z0-9!#$&^_.+-]+\+json$/.test(essence);
}

/** 4xx statuses that ask to come back later rather than refuse the request. */
const COME_BACK_LATER: ReadonlySet<number> = new Set([408, 425, 429]);

/**
 * Whether a status asks to come back later (RFC 9110's 408, RFC 8470's 425, RFC 6585's 429): the
 * request was turned away before it was taken (a rate limit, a request not all received, one too
 * early to risk), whatever body comes with it.
 */
export function comesBackLater(status: number): boolean {
  return COME_BACK_LATER.has(status);
}

/**
 * The error for an answer that asks to come back later (comesBackLater), whatever its body, or
 * undefined for any other status: PROVIDER_UNAVAILABLE, never a refusal, since nothing was looked
 * at. `sentNothing` (the default): the request was the one of its operation that could change
 * anything, so being turned away says nothing was made (notSent) and a retry under the same key
 * sends it once; false for a request after one that may have changed something (a read after a
 * write), whose outcome stays unknown. Every adapter reads it so: a 429 with the provider's own
 * error body had been PROVIDER_REJECTED at Dintero (round eleven), Intergiro, Intershop and Pei
 * (round sixteen), a throttled charge answered "refused" and its retry refused again unsent.
 */
export function turnedAway(provider: string, status: number, sentNothing = true): GatewayError | undefined {
  if (!comesBackLater(status)) return undefined;
  const cause = new Error(`HTTP ${status}: ${provider} turned the request away, come back later`);
  return sentNothing ? providerUnreached(provider, cause) : providerUnavailable(provider, cause);
}

/**
 * Whether a non-2xx answer without the provider's readable error body still refuses the request
 * (PROVIDER_REJECTED, coded by its HTTP status): no seed shows every error body a provider may
 * send, and a 4xx is the provider talking. Not a 3xx or 5xx, not "come back later", and not
 * `ownCredentials` (the statuses by which a provider refuses the gateway's own key or token:
 * the gateway's configuration, not the caller's request).
 */
export function refusesWithoutBody(status: number, ownCredentials: readonly number[] = []): boolean {
  return status >= 400 && status < 500 && !comesBackLater(status) && !ownCredentials.includes(status);
}

/**
 * A provider body's JSON, or undefined when it is none (for a body that may be something else:
 * a form, plain text, a refusal without a body). A byte order mark before it (some .NET and
 * Windows senders write one) is no content. `nullsAbsent` as in parseWire.
 */
export function jsonOrUndefined(text: string, options: { nullsAbsent?: boolean } = {}): unknown {
  try {
    const body = text.replace(/^\uFEFF/, '');
    return options.nullsAbsent ? JSON.parse(body, nullMembersAbsent) : JSON.parse(body);
  } catch {
    return undefined;
  }
}

/**
 * Parses a provider body against its wire schema; anything else is PROVIDER_UNAVAILABLE. With
 * `nullsAbsent`, an object member written `null` anywhere in the body is read as left out (a
 * serializer that writes every field of its model, see wire-nulls.ts).
 */
export function parseWire<T>(provider: string, schema: z.ZodType<T>, text: string, options: { nullsAbsent?: boolean } = {}): T {
  let json: unknown;
  try {
    json = options.nullsAbsent ? JSON.parse(text, nullMembersAbsent) : JSON.parse(text);
  } catch (error) {
    throw providerUnavailable(provider, error);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw providerUnavailable(provider, parsed.error);
  return parsed.data;
}
