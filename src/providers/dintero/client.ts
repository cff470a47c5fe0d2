import { STATUS_CODES } from 'node:http';
import type { DinteroConfig } from '../../config.js';
import { GatewayError, providerAnswered, providerUnavailable, providerUnreached } from '../../domain/errors.js';
import type { KeyValueStore } from '../../store/types.js';
import { callProvider, comesBackLater, jsonOrUndefined, parseWire, refusesWithoutBody, turnedAway, type ProviderResponse } from '../http.js';
import { pathSegment } from '../path-segment.js';
import { SharedToken, UNSTATED_TOKEN_LIFETIME_S, type IssuedToken } from '../shared-token.js';
import type { DinteroRecordingKind } from './provider-data.js';
import { wholeNumbersAsWritten } from '../long-numbers.js';
import { withSnakeCaseKeys } from './answer-keys.js';
import { triesToRead, withTransactionNamed } from './session-transaction.js';
import { oneLocation, onOrigins, redirectStep } from '../redirects.js';
import { withLocatedId } from './created-location.js';
import { problemStatus, refusalInStandardShape } from './refusal-bodies.js';
import { draftAsSeedShows, recordingAsSeedShows, refundAsContractShows, sessionAsSeedShows } from './request.js';
import {
  DinteroAccessToken,
  DinteroCompletedOrder,
  DinteroError,
  DinteroOrder,
  DinteroSessionCreated,
  DinteroSessionPage,
  dinteroSessionAt,
  dinteroTransactionAt,
  saysFailed,
  successFlag,
  type DinteroSession,
  type DinteroTransactionRead,
  type DinteroDraftOrderRequest,
  type DinteroMoneyOperation,
  type DinteroRecordingBody,
  type DinteroSessionRequest,
} from './wire.js';

export interface DinteroClientOptions {
  config: DinteroConfig;
  timeoutMs: number;
  /** Where the access token is cached, shared by every gateway instance on the store. */
  kv: KeyValueStore;
  now?: () => number;
}

/** The Orders API's recordings (seed: "Marking the order as authorized / captured / refunded"). */
export type { DinteroRecordingKind } from './provider-data.js';

type Host = 'api' | 'checkout';

/**
 * The bodies the seed shows whole, which the gateway writes with a few fields more (request.ts); and
 * the capture and refund, after the one body CONTRACT §8 shows (the capture's).
 */
type SeedShapedBody = 'draft' | 'session' | 'mark' | 'capture' | 'refund';
/** How a server refuses a body it finds invalid (RFC 9110 400; 422 as many frameworks answer a failed validation). */
const REFUSED_AS_INVALID = new Set([400, 422]);

const PROVIDER = 'Dintero';

/**
 * Dintero's REST calls, typed with its wire shapes: the token endpoint and Orders API on
 * `apiUrl`, the Checkout API on `checkoutUrl`, both under /v1 and both with the same bearer token
 * (its audience is the account). The token is cached in the shared store until shortly before it
 * expires; a 401 drops it and the call is retried once with a fresh one.
 */
export class DinteroClient {
  private readonly token: SharedToken;
  /** Kinds of body this Dintero took only as the seed shows them (seedShapedAfterRefusal). */
  private readonly seedShapedOnly = new Set<SeedShapedBody>();
  /** Whether this Dintero asked for conditional money calls (428; conditionally, round twenty-four). */
  private conditionalWrites = false;

  constructor(private readonly options: DinteroClientOptions) {
    this.token = new SharedToken({
      kv: options.kv,
      key: `dintero:token:${options.config.accountId}:${options.config.clientId}`,
      issue: () => this.issueToken(),
      ...(options.now ? { now: options.now } : {}),
    });
  }

  private get accountPath(): string {
    return `/v1/accounts/${encodeURIComponent(this.options.config.accountId)}`;
  }

  async createDraftOrder(body: DinteroDraftOrderRequest): Promise<DinteroOrder> {
    const response = await this.seedShapedAfterRefusal('draft', 'api', `${this.accountPath}/shopping/draft_orders`, body, draftAsSeedShows(body));
    // Its id in a Location alone (a 201 without a body, round eighteen: created-location.ts).
    return parseWire(PROVIDER, DinteroOrder, withLocatedId(this.expectDone(response).text, oneLocation(response.headers?.['location']), 'draft_orders', ['id']));
  }

  /** The completed order; null for a 2xx without a body (an empty 204: the seed shows no answer). */
  async completeDraftOrder(draftId: string): Promise<DinteroCompletedOrder | null> {
    const response = await this.call('api', 'PUT', `${this.accountPath}/shopping/draft_orders/${pathSegment(draftId, 'draftId')}/complete`);
    // A 2xx saying it did not complete (refusalIn2xx) is a refusal: before, its body read as an order
    // without an id, so the draft's id was taken for the order's and paid on, an order never completed.
    const { text } = this.expectDone(response);
    return text.trim() ? parseWire(PROVIDER, DinteroCompletedOrder, text) : null;
  }

  /**
   * The session and its checkout page. The page's `url` is the contract's, not the seed's: an
   * answer without it gets Dintero's own page for the session, `<checkout>/v1/view/<id>`. A `url`
   * relative to the checkout host (`/pay/<id>`) is made absolute there: the buyer's browser is sent
   * to it from the shop's page (before, the shop got the bare path); one that is no web page
   * (another scheme, unparseable) is taken as missing.
   */
  async createSession(body: DinteroSessionRequest): Promise<{ id: string; url: string }> {
    const response = await this.seedShapedAfterRefusal('session', 'checkout', '/v1/sessions-profile', body, sessionAsSeedShows(body));
    const session = parseWire(PROVIDER, DinteroSessionCreated, withLocatedId(this.expectDone(response).text, oneLocation(response.headers?.['location']), 'sessions', ['id', 'session_id']));
    const { checkoutUrl } = this.options.config;
    const page = pageUrl(session.url, checkoutUrl) ?? (await this.pageInSessionRead(session.id));
    return { id: session.id, url: page ?? `${checkoutUrl}/v1/view/${encodeURIComponent(session.id)}` };
  }

  /**
   * The page a session's read names, for a session whose create answer named none (a `201 Created`
   * with its id in a Location and no page: round eighteen's leftover), as a REST client follows a
   * Location to the resource it names. Undefined where the read fails, is not there, or names no
   * page (an echoed `url` object is none): the session is made, so the buyer is then sent to
   * Dintero's own page for it as before. Round nineteen: before, such a session always sent the
   * buyer to `<checkout>/v1/view/<id>`, a page that Dintero need not serve (the seed names none):
   * the order could never be paid, though the session read named its page.
   */
  private async pageInSessionRead(id: string): Promise<string | undefined> {
    const response = await this.call('checkout', 'GET', `/v1/sessions/${pathSegment(id, 'session_id')}`).catch(() => undefined);
    if (!response || response.status < 200 || response.status >= 300) return undefined;
    const read = DinteroSessionPage.safeParse(jsonOrUndefined(response.text));
    return read.success ? pageUrl(read.data.url, this.options.config.checkoutUrl) : undefined;
  }

  /**
   * Null when Dintero does not know the session: 404, or 410 Gone (round twenty-three: a Checkout
   * that archives sessions past their expiry; before, a 410 was an error on every poller turn, so
   * the order it waited on stayed CREATED for good).
   */
  async getSession(id: string): Promise<DinteroSession | null> {
    const response = await this.call('checkout', 'GET', `/v1/sessions/${pathSegment(id, 'session_id')}`);
    if (response.status === 404 || response.status === 410) return null;
    // Its transaction embedded or listed rather than as `transaction_id` (round sixteen).
    const session = parseWire(PROVIDER, dinteroSessionAt(id), this.expectOk(response).text);
    return withTransactionNamed(session, await this.triesReadOn(session));
  }

  /**
   * The status words of the tries a session lists and does not tell apart (session-transaction.ts
   * triesToRead: ids alone, or two on hold), each read from its own transaction (round seventeen). A
   * try whose read fails or is not found keeps what the listing said, so it still stands beside the
   * others and none is named: a session is never named by a guess.
   */
  private async triesReadOn(session: DinteroSession): Promise<Map<string, string>> {
    const words = new Map<string, string>();
    for (const tryId of triesToRead(session)) {
      const read = await this.getTransaction(tryId).catch(() => null);
      // A word nobody listed is read as written: it is neither reserved nor declined, as before.
      if (read) words.set(tryId, typeof read.status === 'string' ? read.status : read.status.unknown);
    }
    return words;
  }

  /** Null when Dintero does not know the transaction. */
  async getTransaction(id: string): Promise<DinteroTransactionRead | null> {
    const response = await this.call('checkout', 'GET', `/v1/transactions/${pathSegment(id, 'transaction_id')}`);
    if (response.status === 404) return null;
    return parseWire(PROVIDER, dinteroTransactionAt(id), this.expectOk(response).text);
  }

  capture(id: string, body: DinteroMoneyOperation): Promise<DinteroTransactionRead> {
    return this.transactionOperation(id, 'capture', body);
  }

  refund(id: string, body: DinteroMoneyOperation): Promise<DinteroTransactionRead> {
    return this.transactionOperation(id, 'refund', body, refundAsContractShows(body));
  }

  void(id: string): Promise<DinteroTransactionRead> {
    return this.transactionOperation(id, 'void', undefined);
  }

  async record(orderId: string, kind: DinteroRecordingKind, body: DinteroRecordingBody): Promise<void> {
    const path = `${this.accountPath}/shopping/orders/${pathSegment(orderId, 'order_id')}/${kind}`;
    const response = await this.seedShapedAfterRefusal('mark', 'api', path, body, recordingAsSeedShows(body));
    // A 2xx is the recording taken; its body is read only for a refusal said in it (refusalIn2xx:
    // the seed shows no answer, and an empty 201/204 is as good), or a status word saying it failed.
    const refused = markRefused(this.expectDone(response).text);
    if (refused) throw refused;
  }

  /**
   * A capture, refund or void: a 2xx is Dintero's yes. Neither the seed nor CONTRACT §8 shows what
   * these answer, so an answer that is not a transaction (an empty 202/204, an `{id, status}`) is
   * not an error: the transaction is read back instead (before, such a yes was taken for a lost
   * answer, and where the read did not show the operation's reference it was dropped as not done).
   */
  private async transactionOperation(id: string, operation: 'capture' | 'refund' | 'void', body?: object, shaped: object | undefined = body): Promise<DinteroTransactionRead> {
    const path = `/v1/transactions/${pathSegment(id, 'transaction_id')}/${operation}`;
    // A body with fields beyond CONTRACT §8's (a refund's `reason`) is sent without them once refused for naming one.
    const send = (headers: Record<string, string>) =>
      body === undefined || shaped === undefined ? this.call('checkout', 'POST', path, undefined, headers) : this.seedShapedAfterRefusal(operation === 'refund' ? 'refund' : 'capture', 'checkout', path, body, shaped, headers);
    const response = await this.conditionally(id, operation, send);
    // A 2xx that says the operation did not go through is Dintero's no (round nine): before, it was
    // not a transaction, so the transaction was read back, unchanged, and the yes counted: the order
    // showed money captured (refunded) that Dintero never moved, and a void left it CANCELLED.
    const text = this.expectDone(response).text;
    let answered: DinteroTransactionRead | undefined;
    try {
      answered = parseWire(PROVIDER, dinteroTransactionAt(id), text);
    } catch {
      answered = undefined;
    }
    // An answer under another id is not the transaction: the operation as a resource of its own
    // (`{id: <its id>, transaction_id, amount, status: "CAPTURED"}`), which the seed does not rule
    // out. Before, it was read as a transaction: a second payment on the order, CAPTURED with the
    // operation's amount, beside the real one left AUTHORIZED (and the rest could not be captured).
    // An answer that names no id of its own is not taken for the transaction either: the operation
    // as a record keyed by its transaction (`{transaction_id, amount, status: "CAPTURED"}`) was read,
    // through the path's id, as the transaction itself; a first partial capture of 100.00 then showed
    // the order CAPTURED, its payment worth 100.00, and nothing more could be captured.
    if (answered && answered.id === id && namesItsOwnId(text)) return answered;
    const refused = operationRefused(text, id);
    if (refused) throw refused;
    const read = await this.getTransaction(id);
    if (!read) throw providerUnavailable(PROVIDER, new Error(`the transaction is not found after its ${operation} was taken`));
    return read;
  }

  /**
   * A capture, refund or void sent as Dintero's optimistic locking asks, where it does (round
   * twenty-four): answered 428 Precondition Required (RFC 6585: the write must be conditional,
   * and was not carried out), the transaction is read for its `ETag` and the call sent once more
   * with it as `If-Match`; from then on this client reads the ETag first. A 412 Precondition Failed
   * to a call that carried `If-Match` says the transaction changed at Dintero since it was read (its
   * back office, another gateway's write) and that nothing was carried out: PROVIDER_UNAVAILABLE,
   * not sent, so the retry under the same key reads it again and sends it once; it is not sent
   * again here, the change it was asked for having been judged against what is no longer there. A
   * read that fails or carries no ETag leaves the call unconditional (a 428 is then Dintero's
   * refusal, as before). The seed shows no header at all. Before, every capture, refund and void at
   * such a Dintero was refused (PROVIDER_REJECTED): nothing could be captured, and a cancel left
   * the buyer's money reserved.
   */
  private async conditionally(id: string, operation: string, send: (headers: Record<string, string>) => Promise<ProviderResponse>): Promise<ProviderResponse> {
    let tagged = false;
    const withTag = async (): Promise<ProviderResponse> => {
      const tag = await this.entityTag(id);
      tagged = tag !== undefined;
      return send(tag ? { 'if-match': tag } : {});
    };
    let response = this.conditionalWrites ? await withTag() : await send({});
    if (response.status === PRECONDITION_REQUIRED && !tagged) {
      this.conditionalWrites = true;
      response = await withTag();
    }
    if (response.status === PRECONDITION_FAILED && tagged) {
      throw new DinteroCallNotSent(providerUnreached(PROVIDER, new Error(`the transaction changed at Dintero since it was read; its ${operation} was not carried out (HTTP 412)`)));
    }
    return response;
  }

  /** The transaction's `ETag` as its read answers it; undefined where the read fails or carries none. */
  private async entityTag(id: string): Promise<string | undefined> {
    const read = await this.call('checkout', 'GET', `/v1/transactions/${pathSegment(id, 'transaction_id')}`).catch(() => undefined);
    if (!read || read.status < 200 || read.status >= 300) return undefined;
    const tag = read.headers?.['etag'];
    const text = Array.isArray(tag) ? tag[0] : tag;
    return text && text.trim() ? text.trim() : undefined;
  }

  /**
   * A POST of a body the gateway writes with fields beyond the seed's example (request.ts
   * draftAsSeedShows and its siblings): where Dintero refuses it as invalid (400, 422) naming one of
   * those fields, it is sent once more as the seed shows it, and from then on, for this kind of body,
   * the seed's shape is sent first. A refusal made nothing (no draft, session or mark), so the second
   * send cannot make a second one; a body refused again is refused (its answer is the one returned).
   * A refusal that names none of them (an empty body among them) is Dintero's word on the request
   * itself, and final, as before.
   */
  private async seedShapedAfterRefusal(kind: SeedShapedBody, host: Host, path: string, body: object, seedShaped: object, headers: Record<string, string> = {}): Promise<ProviderResponse> {
    const added = Object.keys(flatFields(body)).filter((field) => !(field in flatFields(seedShaped)));
    if (added.length > 0 && this.seedShapedOnly.has(kind)) return this.call(host, 'POST', path, seedShaped, headers);
    const response = await this.call(host, 'POST', path, body, headers);
    if (!REFUSED_AS_INVALID.has(response.status) || !added.some((field) => namesField(response.text, field))) return response;
    const again = await this.call(host, 'POST', path, seedShaped, headers);
    if (again.status >= 200 && again.status < 300) this.seedShapedOnly.add(kind);
    return again;
  }

  // ---- token -----------------------------------------------------------------------------------

  /** `POST /accounts/{aid}/auth/token` (CONTRACT §8); cached and shared by SharedToken. */
  private async issueToken(): Promise<IssuedToken> {
    const { config } = this.options;
    const basic = Buffer.from(`${config.clientId}:${config.clientSecret}`).toString('base64');
    // The audience stays the configured API host's, wherever a redirect sends the request.
    const response = await this.followingRedirects('POST', `${config.apiUrl}${this.accountPath}/auth/token`, (url, timeoutMs) =>
      callProvider(PROVIDER, url, {
        method: 'POST',
        timeoutMs,
        headers: { authorization: `Basic ${basic}`, 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ grant_type: 'client_credentials', audience: `${config.apiUrl}${this.accountPath}` }),
      }),
    );
    // Refused credentials are the gateway's configuration, not the caller's request. RFC 6749
    // answers a token with 200; the seed shows no answer, and any 2xx carrying a token is as good.
    if (response.status < 200 || response.status >= 300) throw providerUnavailable(PROVIDER, new Error(`token endpoint answered HTTP ${response.status}`));
    const answer = parseWire(PROVIDER, DinteroAccessToken, response.text);
    return { accessToken: answer.access_token, expiresIn: answer.expires_in ?? UNSTATED_TOKEN_LIFETIME_S };
  }

  private async call(host: Host, method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown, extraHeaders: Record<string, string> = {}): Promise<ProviderResponse> {
    const base = host === 'api' ? this.options.config.apiUrl : this.options.config.checkoutUrl;
    const send = (token: string): Promise<ProviderResponse> =>
      this.followingRedirects(method, `${base}${path}`, (url, timeoutMs) =>
        callProvider(PROVIDER, url, {
          method,
          timeoutMs,
          headers: {
            authorization: `Bearer ${token}`,
            accept: 'application/json',
            ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
            ...extraHeaders,
          },
          ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        }),
      );
    const first = await this.token.get().catch(notSent);
    const response = await send(first);
    if (!OWN_CREDENTIALS_REFUSED.includes(response.status)) return answerAsWritten(response);
    // Revoked or expired early: one fresh token, one retry (a refused call did nothing, so it is not done twice).
    await this.token.invalidate(first);
    const second = await this.token.get().catch(notSent);
    return answerAsWritten(await send(second));
  }

  /**
   * One call, made again where a redirect on Dintero's own hosts (the configured API and Checkout
   * origins: the call carries the bearer token, or the client secret) sends it by the shared policy
   * (../redirects.ts), all hops within the call's one time bound. One not followed that says the
   * call was not carried out (a 307 / 308, or a read's redirect: off Dintero's hosts, without a
   * Location, past the hops) is PROVIDER_UNAVAILABLE saying it was not sent (a retry under the same
   * key sends it, once). A 301 / 302 / 303 to a write elsewhere than its own path respelled is not
   * followed and is read as an answer (expectOk: an outcome Dintero may have carried out): a 302
   * after a POST is how many servers answer a POST they carried out, and before, such a capture was
   * sent again at `Location`, which could move the money twice.
   */
  private async followingRedirects(method: string, first: string, attempt: (url: string, timeoutMs: number) => Promise<ProviderResponse>): Promise<ProviderResponse> {
    const deadline = Date.now() + this.options.timeoutMs;
    const dinteros = onOrigins(this.options.config.apiUrl, this.options.config.checkoutUrl);
    let url = first;
    for (let hops = 0; ; hops++) {
      const response = await attempt(url, Math.max(1, deadline - Date.now()));
      const step = redirectStep(response.status, method, response.headers?.['location'], url, dinteros, hops);
      if (step.kind === 'answer') return response;
      if (step.kind === 'unfollowed') throw new DinteroCallNotSent(providerUnavailable(PROVIDER, new Error(`${step.why}, not followed`)));
      url = step.url;
    }
  }

  private expectOk(response: ProviderResponse): ProviderResponse {
    if (response.status >= 200 && response.status < 300) return response;
    throw rejection(response);
  }

  /** expectOk, and a 2xx whose body says it did not succeed is a refusal too (refusalIn2xx, round nine). */
  private expectDone(response: ProviderResponse): ProviderResponse {
    const refused = refusalIn2xx(this.expectOk(response));
    if (refused) throw refused;
    return response;
  }
}

/** An object's fields by their dotted paths (`order.merchant_reference_2`), lists left whole. */
function flatFields(value: object, prefix = ''): Record<string, true> {
  const fields: Record<string, true> = {};
  for (const [name, inner] of Object.entries(value)) {
    fields[`${prefix}${name}`] = true;
    if (inner !== null && typeof inner === 'object' && !Array.isArray(inner)) Object.assign(fields, flatFields(inner as object, `${prefix}${name}.`));
  }
  return fields;
}

/** Whether an error answer names the field (its last name, whole: `id` is not `payment_id`). */
function namesField(text: string, path: string): boolean {
  const name = path.split('.').pop() ?? path;
  return new RegExp(`(^|[^A-Za-z0-9_])${name}([^A-Za-z0-9_]|$)`).test(text);
}

/**
 * A 2xx answer that says, in its body, that what was asked did not happen: `success: false` (the
 * seed writes an outcome as `"success": true` in every mark it shows, so an implementer may answer
 * one that did not go through with `false`; read as an event's flag is, wire.ts successFlag: round
 * eleven, a `"success": "false"` alone was no refusal, so a capture refused so was read back and
 * counted, money Dintero never moved, a refused void made the order CANCELLED, and a refused mark
 * was taken as made), or an error body and no status (`{error: {...}}`,
 * `{error: "..."}`, as a refusal is written with any HTTP status), or (round twenty-three) a list of
 * errors or 4xx problem details (refusal-bodies.ts). No seed shows an answer or its
 * HTTP status. A transaction, or an operation's record (either carries its `status` word), is never
 * one, whatever else it carries: its word is read as every other.
 */
export function refusalIn2xx(response: ProviderResponse): GatewayError | undefined {
  const body = jsonObject(response.text);
  if (!body) return undefined;
  const fields = body as { success?: unknown; error?: unknown; status?: unknown; message?: unknown };
  if (typeof fields.status === 'string') return undefined;
  const unfinished = unfinishedIn2xx(body, response.status);
  if (unfinished) return unfinished;
  const flag = successFlag.safeParse(fields.success);
  const failed = (flag.success && flag.data === false) || (typeof fields.error === 'string' && fields.error.trim() !== '') || (fields.error !== null && typeof fields.error === 'object');
  if (!failed) {
    // A list of errors, or problem details with a 4xx status (round twenty-three, refusal-bodies.ts).
    const standard = refusalInStandardShape(body);
    if (!standard) return undefined;
    return new GatewayError('PROVIDER_REJECTED', `Dintero rejected the request: ${standard.message ?? standard.code ?? `HTTP ${response.status} saying it did not succeed`}`, {
      providerCode: standard.code ?? String(response.status),
    });
  }
  const said = DinteroError.safeParse(body);
  // The flag alone may come with its words beside it (`{success: false, message}`), not in an error object.
  const beside = typeof fields.error === 'string' ? fields.error : typeof fields.message === 'string' && fields.message.trim() !== '' ? fields.message : undefined;
  const { code, message } = said.success ? said.data.error : { code: undefined, message: beside };
  return new GatewayError('PROVIDER_REJECTED', `Dintero rejected the request: ${message ?? code ?? `HTTP ${response.status} saying it did not succeed`}`, {
    providerCode: code ?? String(response.status),
  });
}

/**
 * A 2xx carrying RFC 9457 problem details whose own `status` is a 5xx or a "come back later" (408,
 * 425, 429): read as that status is when it comes as the HTTP status (ASP.NET's `Ok(problem)`, a
 * filter writing every error as ProblemDetails and leaving the 200). A 5xx is the provider's own
 * answer whose work may or may not have been done (PROVIDER_UNAVAILABLE, answered: a capture,
 * refund or void is re-read and, where the read does not show it, left unknown and looked for, as
 * after a 503); a "come back later" says nothing was taken (PROVIDER_UNAVAILABLE, not sent: the
 * retry under the same key sends it once). Round twenty-four: before, both were 2xx answers
 * without a transaction, so the transaction was read back and, not showing the operation, taken
 * for Dintero's yes: a capture Dintero turned away or failed before doing it was counted (money
 * Dintero never moved), a void so answered made the order CANCELLED with the money reserved.
 */
function unfinishedIn2xx(body: object, httpStatus: number): GatewayError | undefined {
  const status = problemStatus(body);
  if (status === undefined) return undefined;
  const said = new Error(`HTTP ${httpStatus} carrying problem details with status ${status}`);
  if (status >= 500) return providerAnswered(PROVIDER, said);
  return comesBackLater(status) ? providerUnreached(PROVIDER, said) : undefined;
}

/**
 * The operation answered as a record of its own (not the transaction: another id, or none) whose
 * status says it failed (`FAILED`, `DECLINED`; wire.ts saysFailed) is Dintero's no, as an event
 * under its reference saying so is (mapping.ts failedIn). Round eleven: before, such a record was
 * read past, the transaction read back, and the operation, shown nowhere there (no events, or a
 * bare `{id, status}`), counted as Dintero's yes (asAccepted): money Dintero never moved. A record
 * under way (`PENDING`) or done is read past as before; the transaction's own status is never one.
 */
export function operationRefused(text: string, transactionId: string): GatewayError | undefined {
  const body = jsonObject(text);
  if (!body) return undefined;
  const { id } = body as { id?: unknown };
  const own = typeof id === 'string' ? id.trim() : typeof id === 'number' ? String(id) : '';
  return own === transactionId ? undefined : statusRefusal(body);
}

/**
 * A mark's answer whose `status` says it failed: the JSend convention's `{status: "fail", message}`
 * (`"error"`), which refusalIn2xx reads past (a body with a status word is a transaction or a
 * record there). No seed shows a mark's answer, and a mark has no status of its own to confuse it
 * with. Round eleven: before, such an answer was the mark taken, never to be sent again.
 */
export function markRefused(text: string): GatewayError | undefined {
  const body = jsonObject(text);
  return body ? statusRefusal(body) : undefined;
}

/** PROVIDER_REJECTED where the body's `status` says it failed (wire.ts saysFailed), in the words beside it. */
function statusRefusal(body: object): GatewayError | undefined {
  const { status, message } = body as { status?: unknown; message?: unknown };
  if (typeof status !== 'string' || !saysFailed(status)) return undefined;
  const word = status.trim().slice(0, 40);
  const said = typeof message === 'string' && message.trim() !== '' ? message : `the answer says ${word}`;
  return new GatewayError('PROVIDER_REJECTED', `Dintero rejected the request: ${said}`, { providerCode: word });
}

/**
 * Fields a Dintero answer itself carries (an order, a session, a transaction, an operation, a
 * refusal in a 2xx): a body with one of them is the answer, whatever else it holds.
 */
const ANSWER_FIELDS = ['id', 'order_id', 'session_id', 'transaction_id', 'status', 'url', 'success', 'error', 'message'];

/**
 * A 2xx answer written inside an envelope, `{data: {...}, meta?: ...}` (a framework's resource
 * layer, JSON:API-style stacks): the object under `data` is the answer. No seed shows an answer at
 * all. Only an object under `data` beside none of an answer's own fields is taken for an envelope,
 * so an answer that happens to carry a `data` field of its own is read as it is. Round thirteen:
 * before, no answer so written could be read: the draft's id was not found in its answer, so every
 * createOrder was PROVIDER_UNAVAILABLE (the draft left at Dintero) and no order could be made.
 */
function withoutEnvelope(response: ProviderResponse): ProviderResponse {
  if (response.status < 200 || response.status >= 300) return response;
  const body = jsonObject(response.text) as Record<string, unknown> | undefined;
  const data = body?.['data'];
  if (!body || data === null || typeof data !== 'object' || Array.isArray(data)) return response;
  if (ANSWER_FIELDS.some((field) => field in body)) return response;
  return { ...response, text: JSON.stringify(data) };
}

/**
 * An answer as read from here on: its ids beyond 2^53 kept as the digits written (long-numbers.ts,
 * round seventeen), its keys in the seed's snake_case (answer-keys.ts, round twenty-eight: a
 * Dintero writing `merchantReference` or `MerchantReference`), then out of its envelope, if any
 * (withoutEnvelope).
 */
function answerAsWritten(response: ProviderResponse): ProviderResponse {
  const text = snakeCaseKeysIn(wholeNumbersAsWritten(response.text));
  return withoutEnvelope(text === response.text ? response : { ...response, text });
}

/** A JSON body's text with its keys in snake_case (answer-keys.ts); any other text, or JSON whose keys are so already, as it is. */
function snakeCaseKeysIn(text: string): string {
  if (!/"[^"\\]*[A-Z-][^"\\]*"\s*:/.test(text)) return text;
  const body = jsonOrUndefined(text);
  if (body === null || typeof body !== 'object') return text;
  const respelled = withSnakeCaseKeys(body);
  return respelled === body ? text : JSON.stringify(respelled);
}

/** The JSON object a body holds; undefined for anything else. */
function jsonObject(text: string): object | undefined {
  const body = jsonOrUndefined(text);
  return body !== null && typeof body === 'object' && !Array.isArray(body) ? body : undefined;
}

/** Whether a JSON answer carries an `id` of its own (a string or a number). */
function namesItsOwnId(text: string): boolean {
  const own = (jsonObject(text) as { id?: unknown } | undefined)?.id;
  return (typeof own === 'string' && own.trim() !== '') || typeof own === 'number';
}

/** A session's page as an absolute http(s) URL, relative ones resolved on the checkout host; undefined for anything else. */
function pageUrl(url: string | undefined, checkoutUrl: string): string | undefined {
  if (!url) return undefined;
  try {
    const page = new URL(url.trim(), `${checkoutUrl}/`);
    return page.protocol === 'https:' || page.protocol === 'http:' ? page.toString() : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A call that failed before its request left the gateway (no token could be had): whatever it
 * was to do did not happen, unlike a timeout or a 5xx, after which Dintero may have done it.
 */
export class DinteroCallNotSent extends GatewayError {
  constructor(cause: unknown) {
    const original = cause instanceof GatewayError ? cause : providerUnavailable(PROVIDER, cause);
    super(original.code, original.message, original.code === 'PROVIDER_UNAVAILABLE' ? { ...original.details, notSent: true } : original.details);
    this.name = 'DinteroCallNotSent';
  }
}

function notSent(error: unknown): never {
  throw new DinteroCallNotSent(error);
}

/**
 * How Dintero refuses the gateway's own credentials, and may turn away a token it no longer honours
 * (revoked, expired before its `expires_in`): 401, RFC 6750's invalid_token, or 403, as many stacks
 * answer a token they know but no longer take (the seed shows no error at all). Either drops the
 * shared token and the call is sent once more with a fresh one; one that outlives a fresh token is
 * Dintero's refusal (rejection), as before (scopes: the seed's API client needs admin:checkout and
 * admin:shopping). Round twelve: before, a 403 was the answer,
 * and the cached token was kept until its own expiry (up to an hour): every call in between was
 * refused (PROVIDER_REJECTED with Dintero's error body, PROVIDER_UNAVAILABLE without), createOrder,
 * captures, refunds and voids among them, a paid order's callback could not be believed, and a mark
 * so refused was `dintero.recording_failed` for good.
 */
const OWN_CREDENTIALS_REFUSED = [401, 403];

/** RFC 6585's 428 and RFC 9110's 412: a write that must be, or was, conditional, not carried out (conditionally). */
const PRECONDITION_REQUIRED = 428;
const PRECONDITION_FAILED = 412;

/**
 * Dintero's own words as PROVIDER_REJECTED. No seed shows Dintero's error body, so a 4xx refusal
 * in another shape is still a refusal, coded by its HTTP status (before, it was PROVIDER_UNAVAILABLE:
 * a refused capture looked like a lost answer). Other answers without the body (see refusesWithoutBody)
 * are PROVIDER_UNAVAILABLE.
 *
 * A "come back later" is PROVIDER_UNAVAILABLE with or without Dintero's body, and says nothing was
 * taken (notSent): nothing is refused for good. Round eleven: with Dintero's error body a 429 was
 * PROVIDER_REJECTED, so a mark turned away by a rate limit was failed for good
 * (`dintero.recording_failed`, never resent) and a late authorization's void given up (the buyer's
 * money left reserved for a person to release); and without it, a capture turned away was taken
 * for an outcome Dintero may have carried out (`dintero.outcome_unknown`, its amount reserved).
 */
export function rejection(response: ProviderResponse): GatewayError {
  const away = turnedAway(PROVIDER, response.status);
  if (away) return away;
  let body: DinteroError;
  try {
    body = parseWire(PROVIDER, DinteroError, response.text);
  } catch {
    if (refusesWithoutBody(response.status, OWN_CREDENTIALS_REFUSED)) return new DinteroBareRefusal(response.status);
    return providerUnavailable(PROVIDER, new Error(`HTTP ${response.status} without a Dintero error body`));
  }
  const { code, message, errors } = body.error;
  const field = errors?.[0]?.path;
  if (!field && [code, message].every((words) => words === undefined || restatesStatus(words, response.status))) return new DinteroBareRefusal(response.status, message ?? code, code);
  return new GatewayError('PROVIDER_REJECTED', `Dintero rejected the request: ${message ?? code ?? `HTTP ${response.status}`}`, {
    providerCode: code ?? String(response.status),
    ...(field ? { providerField: field } : {}),
  });
}

/**
 * A refusal (4xx) that said nothing of its own: no Dintero error body (none, text, another shape),
 * or one whose words only restate its HTTP status (`409`, `E409`, `Conflict`). What it refused is
 * then for the caller to judge from what it knows (recordings.ts wordlessConflict: a mark resent
 * under its id). Round twelve: before, the caller told one by parsing the message written here.
 */
export class DinteroBareRefusal extends GatewayError {
  constructor(
    readonly httpStatus: number,
    said?: string,
    code?: string,
  ) {
    super('PROVIDER_REJECTED', `Dintero rejected the request: ${said ?? `HTTP ${httpStatus}`}`, { providerCode: code ?? String(httpStatus) });
    this.name = 'DinteroBareRefusal';
  }
}

/** Whether words only restate an HTTP status: its number (`409`, `E409`, `HTTP 409`) or its reason phrase (`Conflict`). */
function restatesStatus(words: string, status: number): boolean {
  const said = words.trim().toLowerCase();
  return said === '' || new RegExp(`^(e|http\\s*)?${status}$`).test(said) || said === (STATUS_CODES[status] ?? '').toLowerCase();
}
