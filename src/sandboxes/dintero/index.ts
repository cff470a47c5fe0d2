/**
 * Dintero sandbox: an in-process simulator of Dintero's Orders API (`https://api.dintero.com`) and
 * Checkout API (`https://checkout.dintero.com`), each on its own port, faithful enough that the
 * gateway's Dintero adapter behaves against it as against the real service. The seed
 * (`seeds/dintero-orders-and-checkout.txt`) wins; CONTRACT §8 and Dintero's public API reference
 * fill the gaps. Where both are silent, this is what the sandbox assumes:
 *
 * Authentication:
 *   - `POST /v1/accounts/{aid}/auth/token` takes Basic `client_id:client_secret` and
 *     `{grant_type: "client_credentials", audience}`; it answers `{access_token, token_type:
 *     "Bearer", expires_in}`. The audience must end in `/v1/accounts/{aid}`; its host is not
 *     compared, because the sandbox is reached under several names (127.0.0.1, a published host).
 *   - Tokens are opaque random strings (real Dintero issues JWTs, which a client must not read
 *     anyway). One token works on both hosts, as Dintero's account audience covers the Checkout API.
 *     A missing, unknown, expired or revoked token -> 401 on every API path; another account's
 *     path -> 403. The checkout page needs no token.
 * Errors:
 *   - Every error is `{error: {code, message, errors?: [{path, message}]}}` with the HTTP status;
 *     `errors[0].path` names the offending request field. Codes used: BAD_REQUEST (400),
 *     TRANSACTION_STATUS_NOT_ALLOWED (400, the status does not allow the operation), UNAUTHORIZED
 *     (401), FORBIDDEN (403), NOT_FOUND (404), DUPLICATE_AUTHORIZATION (409), INTERNAL_ERROR (500).
 * Orders API:
 *   - A draft order `{options?: {generate_order_id}, order: {currency, merchant_reference?, items}}`
 *     answers 201 with the draft (`id`, `status: "DRAFT"`, `gross_amount` = the items' sum).
 *     `generate_order_id` is ALPHANUMERIC_<n> (upper-case letters and digits) or NUMERIC_<n>,
 *     n 6-20; without it the order id is the draft id. `PUT .../complete` answers 200 with the
 *     order (`status: "COMPLETED"`, `order_id`); completing again answers the same order.
 *   - Items: integer `line_id` (unique), `gross_amount` including tax, `tax_lines [{amount,
 *     percentage}]` with amount <= gross_amount. The sandbox does not recompute the tax.
 *   - `GET .../shopping/orders/{order_id}` answers the order with its `authorizations`, `captures`,
 *     `refunds` and `cancellations` lists (and `GET .../draft_orders/{id}` the draft).
 *   - Recordings (`POST .../authorizations | captures | refunds | cancel`) take `{id?, items:
 *     [{amount, line_id}], payment_details: {payment_id}, success}` (items optional for cancel) and
 *     answer 201 with the stored record. Per line, captures never exceed the gross amount and
 *     refunds never exceed the captures (400). They move no money and are not checked against the
 *     transaction.
 *   - ASSUMED, not in the seed (whose recording bodies have no `id`) nor in Dintero's public
 *     reference: (a) a recording whose `id` is already on that list is a replay: 200 with the
 *     stored record, nothing added; (b) a second successful authorization of the same payment_id
 *     under another id is 409 DUPLICATE_AUTHORIZATION. The adapter sends a deterministic `id` and
 *     treats 409 DUPLICATE_AUTHORIZATION as done. Against a Dintero without (a), a recording resent
 *     after a gateway died between Dintero's answer and storing "done" (the only resend: the
 *     shared claim in the store stops concurrent ones) is added twice; a second capture/refund
 *     record then usually breaches the per-line bounds and is refused (the adapter marks it
 *     failed, Info dintero.recording_failed), a second authorization record stays. Without (b)
 *     nothing changes: the adapter never sends an authorization under a second id.
 * Checkout API:
 *   - `POST /v1/sessions-profile` answers 200 `{id, url}`; `url` is the sandbox's checkout page
 *     `/v1/view/{id}`. `url.return_url` and `profile_id` (one of the account's profiles) are
 *     required, `order.merchant_reference` too; items' `amount` (incl. `vat_amount`) must sum to
 *     `order.amount`; `line_id` is a string. Sessions expire after `sessionTtlMs` (no payment
 *     after that; the page then shows EXPIRED, the session keeps no transaction_id).
 *   - `GET /v1/sessions/{id}` carries `transaction_id` once the buyer paid or was declined (a
 *     session leads to at most one transaction), `cancelled_at` once the buyer cancelled, and
 *     `events [{name, created_at}]` (SESSION_CREATED, TRANSACTION_AUTHORIZED, TRANSACTION_DECLINED,
 *     SESSION_CANCELLED).
 *   - A transaction: `{id, account_id, session_id, merchant_reference, merchant_reference_2?,
 *     amount, currency, status, payment_product, payment_product_type, items, events, url, ...}`.
 *     `events` is the money history: `{id, event: INITIALIZE|AUTHORIZE|CAPTURE|REFUND|VOID, success,
 *     amount, created_at, transaction_status, items?, capture_reference?, refund_reference?}`.
 *   - Capture `{amount, capture_reference?, items?}` from AUTHORIZED / PARTIALLY_CAPTURED /
 *     PARTIALLY_CAPTURED_REFUNDED while authorized amount remains (repeatable; Dintero's status
 *     reference lists "capture remaining" after a partial refund) -> PARTIALLY_CAPTURED or
 *     CAPTURED, or once something was refunded PARTIALLY_CAPTURED_REFUNDED or (all captured)
 *     PARTIALLY_REFUNDED. Refund `{amount, reason?, refund_reference?, items?}` up to what is
 *     captured -> PARTIALLY_CAPTURED_REFUNDED while part of the authorization is not captured
 *     (funds still reserved; also when everything captured so far is refunded), else REFUNDED when
 *     all is refunded, else PARTIALLY_REFUNDED. Void only from AUTHORIZED -> AUTHORIZATION_VOIDED.
 *     Items, when given, must name the transaction's lines and sum to `amount`. Every operation
 *     answers the transaction; its event carries the capture_reference / refund_reference sent.
 * Checkout page and callbacks:
 *   - Pay -> transaction AUTHORIZED; Decline -> transaction DECLINED (an AUTHORIZE event with
 *     success false); Cancel -> no transaction, the session is cancelled. Then 303 to `return_url`
 *     with `transaction_id`, `session_id`, `merchant_reference` (plus `error=failed` on decline;
 *     on cancel `error=cancelled` and no transaction_id).
 *   - The callback is a GET to `callback_url` with `transaction_id`, `session_id`,
 *     `merchant_reference` and `time`, unsigned; it is sent for a transaction only, so a cancelled
 *     session is learnt by reading the session. Not 2xx -> retried after each of
 *     `callbackRetryDelaysMs`. The page's knobs (defaults from the options) choose `before` (the
 *     redirect waits for the callback), `after` (`callbackDelayMs` after the redirect) or `never`,
 *     and 1-5 copies (duplicate deliveries).
 * Faults and knobs (test handle): `failNextRecordings(n)` (recordings answer 500, nothing stored),
 *   `refuseNextRecordings(n)` (recordings answer 400 BAD_REQUEST, nothing stored),
 *   `failNextRequests(n)` (any API request answers 500 before authentication, no effect),
 *   `loseNextAnswers(n)` (the next n requests take effect, then answer 502 as a proxy that lost
 *   Dintero's answer would: the caller cannot tell whether the money moved),
 *   `delayNextOperations(n, delayMs?)` (the next n captures / refunds / voids answer 504 at once,
 *   as a client-side timeout while Dintero is still processing, and take effect only `delayMs`
 *   later, or when `releaseDelayedOperations()` is called; until then a re-read does not show
 *   them), `revokeTokens()`, `setTransactionStatus(id, word)` (stores the word as given, any case).
 *   `faults` (and `/sandbox/faults` on either host) inject any fault of kit/faults.ts.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import type { DinteroConfig } from '../../config.js';
import type { SandboxListen } from '../../providers/context.js';
import { htmlReply, jsonReply, matchPath, redirectReply, send, type Reply } from '../kit/http.js';
import { onlyFields, withUnknownFields } from '../kit/seed-minimal.js';
import { FaultPlan, type SandboxFaults } from '../kit/faults.js';
import { listen, stopServer } from '../kit/server.js';
import { Timers } from '../kit/timers.js';
import { TokenIssuer } from './auth.js';
import { CallbackDispatcher, type DinteroSandboxCallbackAttempt, type DinteroSandboxCallbackTiming } from './callbacks.js';
import { Checkout } from './checkout.js';
import { DinteroFailure, forbidden, internalError, notFound } from './errors.js';
import { readForm, readJsonObject } from './http.js';
import { checkoutPage, closedPage, notFoundPage } from './pages.js';
import { ShoppingOrders, type RecordingKind } from './shopping.js';
import type { DinteroSandboxOrder, DinteroSandboxSession, DinteroSandboxTransaction } from './wire.js';

export type { DinteroSandboxCallbackAttempt, DinteroSandboxCallbackTiming } from './callbacks.js';
export type { DinteroSandboxOrder, DinteroSandboxRecording, DinteroSandboxSession, DinteroSandboxTransaction } from './wire.js';

export interface DinteroSandboxOptions extends SandboxListen {
  /** The gateway's base URL; unused (Dintero calls the callback_url of each session). */
  gatewayUrl?: string;
  /** Where the Checkout API and its pages listen (the Orders API uses the top-level listen options). */
  checkout?: SandboxListen;
  /** Default "T12345678" (T = Dintero's test environment). */
  accountId?: string;
  /** Default "sandbox-client"; the secret defaults to a random one. */
  clientId?: string;
  clientSecret?: string;
  /** The payment profile the returned config names; "default_profile" always exists too. */
  profileId?: string;
  /** Access token lifetime, seconds. Default 3600. */
  tokenTtlSec?: number;
  /** Default callback timing of the checkout page. Default "after". */
  callbackTiming?: DinteroSandboxCallbackTiming;
  /** Default number of callback copies. Default 1. */
  callbackCopies?: number;
  /** How long after the redirect an "after" callback is sent, ms. Default 300. */
  callbackDelayMs?: number;
  /** Waits before each retry of a callback not answered 2xx. Default [500, 2000, 10000]. */
  callbackRetryDelaysMs?: number[];
  /** Session lifetime, ms. Default 1 hour. */
  sessionTtlMs?: number;
  /** Clock for timestamps and token expiry. Default the system clock. */
  now?: () => Date;
  /**
   * Seed-minimal (kit/seed-minimal.ts): sessions and transactions carry fields no seed shows,
   * transaction statuses come in lower case (CONTRACT §8: any letter case), a transaction is
   * only its `id` and status (no order, amount, currency, items or events) and a session only its
   * `id`, `url`, `transaction_id` and `cancelled_at` (no expiry: it then never expires for the
   * gateway); a callback names only `transaction_id` and `session_id`. Default false.
   */
  seedMinimal?: boolean;
}

export interface DinteroSandboxRequest {
  host: 'api' | 'checkout';
  method: string;
  path: string;
  status: number;
  /** The parsed JSON body, for requests that had one. */
  body?: unknown;
}

export interface DinteroSandbox {
  /** The Orders API base (DINTERO_API_URL). */
  url: string;
  /** The Checkout API base (DINTERO_CHECKOUT_URL). */
  checkoutUrl: string;
  /** The configuration that points an adapter at this sandbox. */
  config: DinteroConfig;
  setGatewayUrl(url: string): void;
  close(): Promise<void>;
  /** Copies of the sandbox's records, or undefined when unknown. */
  getOrder(orderId: string): DinteroSandboxOrder | undefined;
  getSession(id: string): DinteroSandboxSession | undefined;
  getTransaction(id: string): DinteroSandboxTransaction | undefined;
  /** Every API request so far (pages excluded), oldest first. */
  requests(): DinteroSandboxRequest[];
  sentCallbacks(): DinteroSandboxCallbackAttempt[];
  /** Resolves once every scheduled callback was delivered or given up. */
  callbacksIdle(): Promise<void>;
  tokensIssued(): number;
  revokeTokens(): void;
  failNextRecordings(count: number): void;
  refuseNextRecordings(count: number): void;
  /** `only`: just the requests whose path matches (default every API request). */
  failNextRequests(count: number, only?: RegExp): void;
  /** The next `count` money operations answer 504 and take effect after `delayMs` (default: on release). */
  delayNextOperations(count: number, delayMs?: number): void;
  /** Applies every delayed money operation now. */
  releaseDelayedOperations(): void;
  loseNextAnswers(count: number, only?: RegExp): void;
  setTransactionStatus(id: string, status: string): void;
  /** Faults on demand on both hosts, aimed at requests (kit/faults.ts); before the request log. */
  faults: SandboxFaults;
}

const RECORDING_KINDS: Record<string, RecordingKind> = {
  authorizations: 'authorizations',
  captures: 'captures',
  refunds: 'refunds',
  cancel: 'cancel',
};

interface Settings {
  accountId: string;
  timing: DinteroSandboxCallbackTiming;
  copies: number;
}

class DinteroSandboxServer {
  readonly log: DinteroSandboxRequest[] = [];
  private failuresArmed = 0;
  private lostAnswersArmed = 0;
  /** Which requests the two faults above hit: the suite's pollers must not use them up. */
  private failuresOnly: RegExp | undefined;
  private lostAnswersOnly: RegExp | undefined;
  private delaysArmed = 0;
  private delayMs = Number.POSITIVE_INFINITY;
  private readonly delayed = new Set<() => void>();

  constructor(
    private readonly settings: Settings,
    private readonly timers: Timers,
    readonly tokens: TokenIssuer,
    readonly shopping: ShoppingOrders,
    readonly checkout: Checkout,
    readonly callbacks: CallbackDispatcher,
    private readonly seedMinimal = false,
  ) {}

  /**
   * A session or transaction as sent: in seed-minimal mode with fields no seed shows and a
   * lower-case status; a transaction then has only its `id` and its status (the seed says no more
   * of a transaction than "poll the current status"): no order, amount, currency, items or events;
   * a session only what CONTRACT §8 names (`id`, `url`, `transaction_id`, `cancelled_at`).
   */
  private present(value: object, kind: 'session' | 'transaction'): Reply {
    if (!this.seedMinimal) return jsonReply(200, value);
    const record = onlyFields(value, kind === 'transaction' ? ['id', 'status'] : ['id', 'url', 'transaction_id', 'cancelled_at']);
    return jsonReply(200, { ...withUnknownFields(record), ...(typeof record.status === 'string' ? { status: record.status.toLowerCase() } : {}) });
  }

  failNextRequests(count: number, only?: RegExp): void {
    this.failuresArmed = count;
    this.failuresOnly = only;
  }

  loseNextAnswers(count: number, only?: RegExp): void {
    this.lostAnswersArmed = count;
    this.lostAnswersOnly = only;
  }

  delayNextOperations(count: number, delayMs = Number.POSITIVE_INFINITY): void {
    this.delaysArmed = count;
    this.delayMs = delayMs;
  }

  releaseDelayedOperations(): void {
    for (const apply of [...this.delayed]) apply(); // each removes itself
  }

  /**
   * A money operation that answers 504 now and happens later: the caller timed out while Dintero
   * was still processing. A refusal at that later moment just means it did not happen.
   */
  private delay(operation: () => void): Reply {
    this.delaysArmed -= 1;
    const apply = (): void => {
      if (!this.delayed.delete(apply)) return;
      try {
        operation();
      } catch {
        // refused when it came to it: nothing happened
      }
    };
    this.delayed.add(apply);
    if (Number.isFinite(this.delayMs)) this.timers.set(apply, this.delayMs);
    return jsonReply(504, { error: { code: 'GATEWAY_TIMEOUT', message: 'the operation is still being processed' } });
  }

  async handle(host: 'api' | 'checkout', req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://sandbox');
    const method = req.method ?? 'GET';
    const entry: DinteroSandboxRequest = { host, method, path: url.pathname, status: 0 };
    const isPage = url.pathname.startsWith('/v1/view/');
    let reply: Reply;
    try {
      if (isPage && host === 'checkout') reply = await this.page(req, url.pathname);
      else {
        this.log.push(entry);
        if (this.failuresArmed > 0 && (!this.failuresOnly || this.failuresOnly.test(url.pathname))) {
          this.failuresArmed -= 1;
          throw internalError('sandbox fault');
        }
        reply = host === 'api' ? await this.routeApi(req, url.pathname, entry) : await this.routeCheckout(req, url.pathname, entry);
        if (this.lostAnswersArmed > 0 && (!this.lostAnswersOnly || this.lostAnswersOnly.test(url.pathname))) {
          this.lostAnswersArmed -= 1;
          reply = jsonReply(502, { error: { code: 'BAD_GATEWAY', message: 'upstream answer lost' } });
        }
      }
    } catch (error) {
      const failure = error instanceof DinteroFailure ? error : internalError('sandbox error');
      reply = jsonReply(failure.status, failure.body);
    }
    entry.status = reply.status;
    if (!res.headersSent) send(res, reply);
  }

  private async body(req: IncomingMessage, entry: DinteroSandboxRequest): Promise<Record<string, unknown>> {
    const body = await readJsonObject(req);
    entry.body = body;
    return body;
  }

  // --- api.dintero.com ------------------------------------------------------------------------

  private async routeApi(req: IncomingMessage, path: string, entry: DinteroSandboxRequest): Promise<Reply> {
    const method = req.method ?? 'GET';
    const account = matchPath(/^\/v1\/accounts\/([^/]+)(\/.*)$/, path);
    if (!account) throw notFound(`no endpoint ${method} ${path}`);
    const [aid = '', rest = ''] = account;
    if (rest === '/auth/token' && method === 'POST') {
      if (aid !== this.settings.accountId) throw notFound(`no account ${aid}`);
      return jsonReply(200, this.tokens.issue(req.headers.authorization, await this.body(req, entry)));
    }
    this.tokens.verify(req.headers.authorization);
    if (aid !== this.settings.accountId) throw forbidden(`the token does not grant account ${aid}`);

    if (rest === '/shopping/draft_orders' && method === 'POST') return jsonReply(201, this.shopping.createDraft(await this.body(req, entry)));
    const draft = matchPath(/^\/shopping\/draft_orders\/([^/]+)(\/complete)?$/, rest);
    if (draft) {
      const [id = '', complete] = draft;
      if (complete && method === 'PUT') return jsonReply(200, this.shopping.complete(id));
      if (!complete && method === 'GET') return jsonReply(200, this.shopping.getDraft(id));
    }
    const order = matchPath(/^\/shopping\/orders\/([^/]+)(?:\/(authorizations|captures|refunds|cancel))?$/, rest);
    if (order) {
      const [orderId = '', kind = ''] = order;
      if (!kind && method === 'GET') return jsonReply(200, this.shopping.get(orderId));
      const recording = RECORDING_KINDS[kind];
      if (recording && method === 'POST') {
        const result = this.shopping.record(orderId, recording, await this.body(req, entry));
        return jsonReply(result.replay ? 200 : 201, result.recording);
      }
    }
    throw notFound(`no endpoint ${method} ${path}`);
  }

  // --- checkout.dintero.com -------------------------------------------------------------------

  private async routeCheckout(req: IncomingMessage, path: string, entry: DinteroSandboxRequest): Promise<Reply> {
    const method = req.method ?? 'GET';
    this.tokens.verify(req.headers.authorization);
    if (path === '/v1/sessions-profile' && method === 'POST') return jsonReply(200, this.checkout.createSession(await this.body(req, entry)));
    const session = matchPath(/^\/v1\/sessions\/([^/]+)$/, path);
    if (session && method === 'GET') return this.present(this.checkout.getSession(session[0] ?? ''), 'session');
    const transaction = matchPath(/^\/v1\/transactions\/([^/]+)(?:\/(capture|refund|void))?$/, path);
    if (transaction) {
      const [id = '', operation] = transaction;
      if (!operation && method === 'GET') return this.present(this.checkout.getTransaction(id), 'transaction');
      if (method === 'POST' && operation) {
        const body = await this.body(req, entry);
        const run = (): DinteroSandboxTransaction =>
          operation === 'capture' ? this.checkout.capture(id, body) : operation === 'refund' ? this.checkout.refund(id, body) : this.checkout.void(id);
        if (this.delaysArmed > 0) {
          this.checkout.getTransaction(id); // an unknown transaction is still 404 at once
          return this.delay(run);
        }
        return this.present(run(), 'transaction');
      }
    }
    throw notFound(`no endpoint ${method} ${path}`);
  }

  // --- the checkout page ----------------------------------------------------------------------

  private async page(req: IncomingMessage, path: string): Promise<Reply> {
    const id = matchPath(/^\/v1\/view\/([^/]+)$/, path)?.[0];
    const session = id === undefined ? undefined : this.peekSession(id);
    if (!session) return htmlReply(404, notFoundPage(id ?? path));
    if (req.method === 'GET') {
      if (!this.checkout.isOpen(session)) return htmlReply(200, closedPage(session, this.closedStatus(session)));
      return htmlReply(200, checkoutPage(session, { timing: this.settings.timing, copies: this.settings.copies }));
    }
    if (req.method !== 'POST') return htmlReply(405, notFoundPage(session.id));
    const form = await readForm(req);
    if (!this.checkout.isOpen(session)) return htmlReply(409, closedPage(session, this.closedStatus(session)));
    const action = form.get('action');
    const timing = (['before', 'after', 'never'] as const).find((value) => value === form.get('callback')) ?? this.settings.timing;
    const copies = Math.min(5, Math.max(1, Number.parseInt(form.get('copies') ?? '', 10) || this.settings.copies));
    const back = new URL(session.url.return_url);
    back.searchParams.set('session_id', session.id);
    back.searchParams.set('merchant_reference', session.order.merchant_reference);
    if (action === 'cancel') {
      this.checkout.cancelSession(session.id);
      back.searchParams.set('error', 'cancelled');
      return redirectReply(back.toString());
    }
    if (action !== 'pay' && action !== 'decline') return htmlReply(400, checkoutPage(session, { timing, copies }));
    const transaction = this.checkout.completePayment(session.id, action);
    back.searchParams.set('transaction_id', transaction.id);
    if (action === 'decline') back.searchParams.set('error', 'failed');
    if (session.url.callback_url) {
      const job = { callbackUrl: session.url.callback_url, sessionId: session.id, transactionId: transaction.id, merchantReference: session.order.merchant_reference };
      await this.callbacks.dispatch(job, timing, copies);
    }
    return redirectReply(back.toString());
  }

  private peekSession(id: string): DinteroSandboxSession | undefined {
    try {
      return this.checkout.getSession(id);
    } catch {
      return undefined;
    }
  }

  private closedStatus(session: DinteroSandboxSession): string {
    if (session.transaction_id) return this.checkout.getTransaction(session.transaction_id).status;
    return session.cancelled_at ? 'CANCELLED' : 'EXPIRED';
  }
}

export async function startDinteroSandbox(options: DinteroSandboxOptions = {}): Promise<DinteroSandbox> {
  const now = options.now ?? (() => new Date());
  const accountId = options.accountId ?? 'T12345678';
  const clientId = options.clientId ?? 'sandbox-client';
  const clientSecret = options.clientSecret ?? randomBytes(18).toString('base64url');
  const profileId = options.profileId ?? 'default_profile';
  const timers = new Timers();
  let checkoutBase = '';

  const core = new DinteroSandboxServer(
    { accountId, timing: options.callbackTiming ?? 'after', copies: options.callbackCopies ?? 1 },
    timers,
    new TokenIssuer({ accountId, clientId, clientSecret, ttlSec: options.tokenTtlSec ?? 3600, now }),
    new ShoppingOrders({ now }),
    new Checkout({
      accountId,
      profiles: new Set(['default_profile', profileId]),
      publicUrl: () => checkoutBase,
      sessionTtlMs: options.sessionTtlMs ?? 60 * 60 * 1000,
      now,
    }),
    new CallbackDispatcher(timers, options.callbackRetryDelaysMs ?? [500, 2000, 10_000], options.callbackDelayMs ?? 300, now, options.seedMinimal ?? false),
    options.seedMinimal ?? false,
  );
  const faults = new FaultPlan(timers, {
    jsonContentType: 'application/json; charset=utf-8',
    errorBody: JSON.stringify({ error: { code: 'SERVICE_UNAVAILABLE', message: 'sandbox fault' } }),
  });
  const serve = (host: 'api' | 'checkout') => (req: IncomingMessage, res: ServerResponse) =>
    void faults.intercept(req, res).then(
      (taken) => (taken ? undefined : core.handle(host, req, res)),
      () => res.destroy(),
    );
  const api = createServer(serve('api'));
  const checkout = createServer(serve('checkout'));
  const url = await listen(api, options);
  try {
    checkoutBase = await listen(checkout, options.checkout ?? {});
  } catch (error) {
    api.close();
    throw error;
  }

  const copy = <T>(read: () => T): T | undefined => {
    try {
      return structuredClone(read());
    } catch {
      return undefined;
    }
  };
  let closing: Promise<void> | undefined;
  return {
    url,
    checkoutUrl: checkoutBase,
    config: { apiUrl: url, checkoutUrl: checkoutBase, accountId, clientId, clientSecret, profileId },
    setGatewayUrl: () => undefined,
    close: () =>
      (closing ??= (async () => {
        timers.close();
        await Promise.all([stopServer(api), stopServer(checkout)]);
      })()),
    getOrder: (orderId) => copy(() => core.shopping.get(orderId)),
    getSession: (id) => copy(() => core.checkout.getSession(id)),
    getTransaction: (id) => copy(() => core.checkout.getTransaction(id)),
    requests: () => structuredClone(core.log),
    sentCallbacks: () => core.callbacks.sent(),
    callbacksIdle: () => core.callbacks.idle(),
    tokensIssued: () => core.tokens.issuedCount,
    revokeTokens: () => core.tokens.revokeAll(),
    failNextRecordings: (count) => core.shopping.failNextRecordings(count),
    refuseNextRecordings: (count) => core.shopping.refuseNextRecordings(count),
    failNextRequests: (count, only) => core.failNextRequests(count, only),
    delayNextOperations: (count, delayMs) => core.delayNextOperations(count, delayMs),
    releaseDelayedOperations: () => core.releaseDelayedOperations(),
    loseNextAnswers: (count, only) => core.loseNextAnswers(count, only),
    setTransactionStatus: (id, status) => void core.checkout.setStatus(id, status),
    faults,
  };
}
