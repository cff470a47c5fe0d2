/**
 * Pei order API sandbox: an in-process simulator of `https://api.pei.is/api/orders...`, its token
 * endpoint and its checkout page ("gattin"), faithful enough that the gateway's Pei adapter, pointed
 * at it, behaves as it would against the real service. The seed (`seeds/pei-orders.txt`) wins;
 * CONTRACT §7/§8 fill gaps. Where both are silent, this is what the sandbox assumes:
 *
 * Paths and auth
 *   - One port serves everything: the API under `/api/orders`, the token endpoint at
 *     `/core/connect/token` (Pei's IdentityServer path), the checkout page at `/checkout/{orderId}`
 *     (`config.checkoutUrl` = `<url>/checkout`, standing in for https://gattin.pei.is).
 *   - Token: `POST` form-encoded `grant_type=client_credentials` (optional `scope=externalapi`), the
 *     client authenticated with HTTP Basic or `client_id`/`client_secret` form fields (or only
 *     one of them: `clientAuthentication`). Answers
 *     `{access_token, expires_in, token_type: "Bearer", scope}`; a wrong client is 400
 *     `{error: "invalid_client"}`, another grant 400 `{error: "unsupported_grant_type"}` (OAuth2 / IdentityServer).
 *   - Every `/api/` call needs `Authorization: Bearer <token>`; a missing, unknown, expired or
 *     revoked token is 401 `{message: "Authorization has been denied for this request."}` with
 *     `WWW-Authenticate: Bearer`. A token acts for one merchant: a `merchantId` of another is 403.
 * Errors
 *   - The seed shows none; Pei is an ASP.NET Web API, so errors are its body `{message}` plus, for a
 *     request that fails validation, 400 `{message: "The request is invalid.", modelState:
 *     {"order.items[1].isDefaultSelected": ["..."]}}` (keys camelCase like the JSON). No message repeats
 *     a submitted value, except the purchase-access refusal, which names the buyer's kennitala (so
 *     the gateway is proven to mask it). There is no correlation id.
 *   - Property names bind without regard to letter case ("MerchantId" = "merchantId"), and
 *     SequenceType binds from its name or its number (0/1/2), as .NET model binding does. A DateTime
 *     without a zone (the seed's "2018-07-31 13:33:33.337") is Icelandic time, i.e. UTC.
 * Orders
 *   - Submit validates: merchantId (integer), amount (> 0; whole krónur: Pei charges ISK only, which
 *     has no minor units), sequenceType, buyer (an object; its fields optional; a Ssn must be 10
 *     digits, a hyphen allowed), at least one item with a name, at most one isDefaultSelected item
 *     per groupName, absolute http(s) URLs, expirationDate in the future (default one day ahead),
 *     mandateId null unless Recurring and required (and a mandate of this merchant) with Recurring,
 *     subscriptionOptions complete when given (startDate as "2016-05-12", "28.6.2015" or "28-06-2015";
 *     frequency Week|Month; cycles a number or a numeric string). Amount is not checked against the
 *     items (items' amounts are optional in the seed); the buyer cannot change group/optional
 *     selections on the page: the purchase is for `amount`.
 *   - Submit answers 200 `{orderId}` (32 letters and digits, like the seed's ids).
 *   - `GET /api/orders/{id}` and `GET /api/orders?merchantId&date` (the seed leaves their output
 *     empty) answer the order as submitted plus `status` ("Pending" | "Confirmed" | "Cancelled"),
 *     `created`, `confirmed`, `purchaseId` and `mandateId`, with `null` for absent values. DateTimes
 *     are ISO 8601 UTC ("...Z") by default; `dateFormat: "seed"` writes the seed's zone-less
 *     "2018-07-31 13:33:33.337" instead. Enums (status, sequenceType) are names by default;
 *     `enumFormat: "number"` writes their numbers (status Pending 0, Confirmed 1, Cancelled 2 —
 *     assumed, the seed numbers only SequenceType), as a .NET service without a string enum
 *     converter would. (The gateway believes no status number, for that reason: it reads such an
 *     order by its purchaseId and expirationDate, so a Cancelled 2 waits for the expiry.) The list
 *     is the merchant's orders whose `created` falls on `date` (UTC, which is Icelandic time); both
 *     parameters are required (400 otherwise). Another merchant's order is 404.
 *   - By default an order left Pending past its expirationDate stays "Pending" in the API, and the
 *     checkout page refuses it ("This order has expired", 409 on POST): the reader decides expiry
 *     from `expirationDate`. In seed-minimal mode the API says "expired" for it, as Pei itself
 *     reports such an order (the reader must take Pei's word at once). `setStatusWord` makes the
 *     API answer any word for an order (one the gateway does not know).
 *   - Checkout: Confirm -> "Confirmed" with a new purchaseId (counting from the seed's 966127), then
 *     303 to successReturnUrl (unchanged) or a receipt page. Cancel is offered only with a
 *     cancelReturnUrl -> "Cancelled", 303 to cancelReturnUrl; the page of a closed order shows its
 *     status (409 on POST). The page shows the buyer's kennitala masked to its last four digits.
 *   - A First order, once confirmed, carries a new mandateId; a Recurring order with it is charged by
 *     itself `recurringChargeMs` after submission (Pending until then) and keeps that mandateId.
 *   - Orders/Pay requires buyer name, ssn and email, takes no group fields, and needs purchase access
 *     for the buyer (`purchaseAccess`; else 403 naming the buyer). It answers 200
 *     `{orderId, purchaseId}` (the seed shows no output; `payAnswer: "orderId"` answers only
 *     `{orderId}`) and the order is Confirmed (a OneOff) at once.
 * Postbacks
 *   - On every confirmation (checkout, recurring charge, Orders/Pay) the body
 *     `{orderId, purchaseId, mandateId}` (mandateId null unless First/Recurring) is POSTed as JSON to
 *     the order's postbackUrl, unsigned. A cancel posts nothing. A non-2xx or no answer within 5 s is
 *     retried after each `postbackRetryDelaysMs` entry.
 * Faults
 *   - `fault()` arms the next `/api/` request, before authentication: "http500" answers 500
 *     `{message: "An error has occurred."}`, "malformed" a 200 with a truncated JSON body, "timeout"
 *     holds the request without answering (until 30 s or close()). The faulted request has no effect,
 *     except with "lost": the request is carried out, then the connection is dropped without an
 *     answer (an answer lost on the way back: the order exists, the caller does not know it).
 *   - `faults` (and `/sandbox/faults`) inject any fault of kit/faults.ts, aimed and counted;
 *     `fault()` other than "lost" is a shorthand on it.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { PeiConfig } from '../../config.js';
import type { SandboxListen } from '../../providers/context.js';
import { HANDLED, htmlReply, jsonReply, matchPath, redirectReply, send, type Reply } from '../kit/http.js';
import { armLegacyFault, FaultPlan, type SandboxFaults } from '../kit/faults.js';
import { startSandboxServer } from '../kit/server.js';
import { formatSeedDateTime } from '../../providers/pei/dates.js';
import { Timers } from '../kit/timers.js';
import { onlyFields, StatusWords, UNKNOWN_FIELDS } from '../kit/seed-minimal.js';
import { forbidden, invalidRequest, notFound, PeiFailure, unauthorized } from './errors.js';
import { readBody, readForm, readJson } from './http.js';
import { OrderBook } from './orders.js';
import { checkoutPage, notFoundPage, statusPage } from './pages.js';
import { PostbackDispatcher, type PeiSandboxPostbackAttempt } from './postbacks.js';
import { type ClientAuthentication, TokenIssuer } from './tokens.js';
import { parsePay, parseSubmit } from './validation.js';
import type { PeiSandboxOrder } from './wire.js';

export type { PeiSandboxPostbackAttempt } from './postbacks.js';
export type { PeiSandboxError, PeiSandboxOrder, PeiSandboxPostback, PeiSandboxStatus } from './wire.js';

export interface PeiSandboxOptions extends SandboxListen {
  /** Kept for the common sandbox interface; Pei posts to each order's own PostbackUrl. */
  gatewayUrl?: string;
  /** The OAuth2 client the token endpoint accepts. Default "sandbox-client". */
  clientId?: string;
  /** Its secret. Default: random per start. */
  clientSecret?: string;
  /** The merchant the client acts for. Default "4" (the seed's demo merchant). */
  merchantId?: string;
  /** `expires_in` of issued access tokens, seconds. Default 3600. */
  tokenLifetimeSec?: number;
  /** How long after submission a Recurring order is charged on its mandate. Default 1000. */
  recurringChargeMs?: number;
  /** Waits before each retry of a postback that failed. Default [1000, 5000, 15000]. */
  postbackRetryDelaysMs?: number[];
  /** Kennitölur the merchant has purchase access for (Orders/Pay). Default ["0102882849"] (the seed's example). */
  purchaseAccess?: string[];
  /** Clock for order dates, expiry and token lifetimes; timers still run in real time. Default the system clock. */
  now?: () => Date;
  /** How read orders write DateTimes: "iso" (`2018-07-31T13:33:33.337Z`) or "seed" (`2018-07-31 13:33:33.337`, UTC). Default "iso". */
  dateFormat?: 'iso' | 'seed';
  /** How read orders write status and sequenceType: "name" ("Confirmed") or "number" (1). Default "name". */
  enumFormat?: 'name' | 'number';
  /** What Orders/Pay answers: "full" `{orderId, purchaseId}` or "orderId" `{orderId}` alone. Default "full". */
  payAnswer?: 'full' | 'orderId';
  /**
   * Seed-minimal (kit/seed-minimal.ts): read orders carry only the seed's Order fields plus
   * `status` (no `created`, `confirmed`, `purchaseId`, `buyer`), status words in lower case, an
   * order left Pending past its expirationDate says "expired", DateTimes in the seed's format,
   * Orders/Pay answers `{orderId}` alone, postbacks use the seed prose's "OrderId, PurchaseId,
   * MandateId", and every answer has fields no seed shows. Default false.
   */
  seedMinimal?: boolean;
  /**
   * How the token endpoint lets the client authenticate: "either" (HTTP Basic or `client_id` /
   * `client_secret` form fields, as IdentityServer does), "basic" or "form" alone (the contract
   * says only "with the client id and secret": a token endpoint may take just one). Default "either".
   */
  clientAuthentication?: ClientAuthentication;
}

export type PeiSandboxFault = 'http500' | 'timeout' | 'malformed' | 'lost';

/** How the API writes orders (see the header: dates, enums, Orders/Pay's answer). */
interface PeiSandboxWireStyle {
  dateFormat: 'iso' | 'seed';
  enumFormat: 'name' | 'number';
  payAnswer: 'full' | 'orderId';
  seedMinimal: boolean;
  /** Status words a test chose per order. */
  words: StatusWords;
  now: () => Date;
}

/** The seed's Order fields (its schema and example), plus the status no read works without. */
const SEED_ORDER_FIELDS = [
  'orderId',
  'merchantId',
  'amount',
  'reference',
  'status',
  'expirationDate',
  'sequenceType',
  'mandateId',
  'successReturnUrl',
  'cancelReturnUrl',
  'postbackUrl',
  'items',
  'subscriptionOptions',
] as const;

const STATUS_NUMBERS: Record<PeiSandboxOrder['status'], number> = { Pending: 0, Confirmed: 1, Cancelled: 2 };
const SEQUENCE_TYPE_NUMBERS: Record<PeiSandboxOrder['sequenceType'], number> = { OneOff: 0, First: 1, Recurring: 2 };

/** An order as the API writes it, in the configured style. */
function present(order: PeiSandboxOrder, style: PeiSandboxWireStyle): Record<string, unknown> {
  const date = (iso: string | null): string | null => (iso === null || style.dateFormat === 'iso' ? iso : formatSeedDateTime(new Date(iso)));
  const numbers = style.enumFormat === 'number';
  const chosen = style.words.of(order.orderId, order.status);
  const full = {
    ...order,
    status: chosen !== order.status ? chosen : numbers ? STATUS_NUMBERS[order.status] : order.status,
    sequenceType: numbers ? SEQUENCE_TYPE_NUMBERS[order.sequenceType] : order.sequenceType,
    created: date(order.created),
    expirationDate: date(order.expirationDate),
    confirmed: date(order.confirmed),
  };
  if (!style.seedMinimal) return full;
  const expired = order.status === 'Pending' && order.sequenceType !== 'Recurring' && Date.parse(order.expirationDate) <= style.now().getTime();
  const word = chosen !== order.status ? chosen : expired ? 'expired' : order.status.toLowerCase();
  return { ...onlyFields(full, SEED_ORDER_FIELDS), status: word, ...UNKNOWN_FIELDS };
}

export interface PeiSandbox {
  /** Base URL, e.g. http://127.0.0.1:PORT: the gateway's PEI_URL. */
  url: string;
  /** The configuration that points an adapter at this sandbox, with its credentials. */
  config: PeiConfig;
  setGatewayUrl(url: string): void;
  close(): Promise<void>;
  /** A copy of the order as the API answers it, or undefined. */
  getOrder(orderId: string): PeiSandboxOrder | undefined;
  /** How many requests the token endpoint has had (good or bad). */
  tokenRequests(): number;
  /** Every access token issued so far stops working now (as if it expired early). */
  revokeTokens(): void;
  /** Every postback attempt so far, oldest first (retries and duplicates included). */
  postbacks(): PeiSandboxPostbackAttempt[];
  /** Posts the order's postback once more, same body: a duplicate delivery. Resolves when delivered. */
  resendPostback(orderId: string): Promise<void>;
  /** While false, confirmations send no postback (a lost postback). Default true. */
  setPostbacksEnabled(enabled: boolean): void;
  /** Resolves once every postback under way has been delivered or given up. */
  postbacksIdle(): Promise<void>;
  /**
   * Arms a fault for the next API call (null disarms); with `only`, for the next one whose
   * `"<METHOD> <path>"` matches (so a gateway polling other orders does not use it up).
   */
  fault(next: PeiSandboxFault | null, only?: RegExp): void;
  /** From now on the API answers `word` as the order's status (e.g. one the gateway does not know); null: its real status again. */
  setStatusWord(orderId: string, word: string | null): void;
  /** Faults on demand, aimed at requests (kit/faults.ts). */
  faults: SandboxFaults;
}

const CHECKOUT_PATH = '/checkout';
const TOKEN_PATH = '/core/connect/token';
/** What `fault()` aims at unless told: the API, not the token endpoint or the pages. */
const API_REQUESTS = /^\S+ \/api\//;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

class PeiSandboxServer {
  /** The "lost" fault (the others live in the fault plan): the request is carried out, the answer dropped. */
  private lostArmed = false;
  /** Which requests (`"<METHOD> <path>"`) it is for; unset: the next one. */
  private lostOnly: RegExp | undefined;

  constructor(
    private readonly baseUrl: string,
    readonly book: OrderBook,
    readonly tokens: TokenIssuer,
    private readonly timers: Timers,
    private readonly now: () => Date,
    private readonly style: PeiSandboxWireStyle,
  ) {}

  armLost(armed: boolean, only?: RegExp): void {
    this.lostArmed = armed;
    this.lostOnly = only;
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const reply = await this.route(req, res);
      if (reply !== HANDLED) send(res, reply);
    } catch (error) {
      const reply = error instanceof PeiFailure ? jsonReply(error.status, error.body) : jsonReply(500, { message: 'An error has occurred.' });
      if (error instanceof PeiFailure && error.status === 401) reply.headers = { 'www-authenticate': 'Bearer' };
      if (!res.headersSent) send(res, reply);
      else res.destroy();
    }
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<Reply | typeof HANDLED> {
    const url = new URL(req.url ?? '/', this.baseUrl);
    const path = url.pathname;
    const method = req.method ?? 'GET';
    if (path === TOKEN_PATH && method === 'POST') return this.token(req);
    if (path === '/api/orders' || path.startsWith('/api/orders/')) return this.routeApi(req, res, url);

    const checkout = matchPath(/^\/checkout\/([^/]+)(?:\/(confirm|cancel))?$/, path);
    if (checkout !== undefined) {
      const [orderId = '', decision = ''] = checkout;
      if (decision === '' && method === 'GET') return this.checkoutPage(orderId);
      if (decision !== '' && method === 'POST') return this.checkoutDecision(req, orderId, decision as 'confirm' | 'cancel');
    }
    throw notFound(`No HTTP resource was found that matches the request URI '${path}'.`);
  }

  private async token(req: IncomingMessage): Promise<Reply> {
    const contentType = (req.headers['content-type'] ?? '').toLowerCase();
    const form = contentType.startsWith('application/x-www-form-urlencoded') ? await readForm(req) : new URLSearchParams();
    const answer = this.tokens.request(req.headers.authorization, form);
    return jsonReply(answer.ok ? 200 : answer.status, answer.body, { 'cache-control': 'no-store' });
  }

  private async routeApi(req: IncomingMessage, res: ServerResponse, url: URL): Promise<Reply | typeof HANDLED> {
    const aimed = !this.lostOnly || this.lostOnly.test(`${req.method ?? 'GET'} ${url.pathname}`);
    if (aimed && this.lostArmed) {
      this.lostArmed = false;
      // Carry the request out, then drop the connection: the answer is lost on its way back.
      await this.routeApi(req, res, url).catch(() => undefined);
      res.destroy();
      return HANDLED;
    }
    const merchantId = this.tokens.authenticate(req.headers.authorization);
    if (merchantId === undefined) throw unauthorized();

    const path = url.pathname.replace(/\/$/, '');
    const method = req.method ?? 'GET';
    if (path === '/api/orders' && method === 'POST') {
      const request = parseSubmit(await readJson(req), this.now());
      this.requireMerchant(merchantId, request.merchantId);
      return jsonReply(200, { orderId: this.book.submit(request).orderId });
    }
    if (path === '/api/orders/pay' && method === 'POST') {
      const request = parsePay(await readJson(req));
      this.requireMerchant(merchantId, request.merchantId);
      const order = this.book.pay(request);
      return jsonReply(200, this.style.payAnswer === 'full' ? { orderId: order.orderId, purchaseId: order.purchaseId } : { orderId: order.orderId });
    }
    if (path === '/api/orders' && method === 'GET') return this.listByDate(merchantId, url.searchParams);
    const single = matchPath(/^\/api\/orders\/([^/]+)$/, path);
    if (single !== undefined && method === 'GET') return jsonReply(200, present(this.book.getFor(merchantId, single[0] ?? ''), this.style));
    throw notFound(`No HTTP resource was found that matches the request URI '${url.pathname}'.`);
  }

  private requireMerchant(tokenMerchant: number, requested: number): void {
    if (requested !== tokenMerchant) throw forbidden(`The client has no access to merchant ${requested}.`);
  }

  private listByDate(merchantId: number, query: URLSearchParams): Reply {
    const requested = query.get('merchantId');
    const date = query.get('date');
    if (requested === null || !/^\d+$/.test(requested)) throw invalidRequest('merchantId', 'The merchantId parameter is required.');
    if (date === null || !DAY.test(date) || Number.isNaN(Date.parse(`${date}T00:00:00Z`))) {
      throw invalidRequest('date', 'The date parameter is required, as YYYY-MM-DD.');
    }
    this.requireMerchant(merchantId, Number(requested));
    return jsonReply(200, this.book.listByDate(merchantId, date).map((order) => present(order, this.style)));
  }

  // --- checkout page ------------------------------------------------------------------------

  private checkoutPage(orderId: string): Reply {
    const order = this.book.get(orderId);
    if (order === undefined) return htmlReply(404, notFoundPage(orderId));
    const state = this.book.checkoutState(order);
    if (state === 'expired') return htmlReply(200, statusPage(order, 'This order has expired.'));
    if (state === 'closed') return htmlReply(200, statusPage(order, 'This order is no longer open.'));
    return htmlReply(200, checkoutPage(order, CHECKOUT_PATH));
  }

  private async checkoutDecision(req: IncomingMessage, orderId: string, decision: 'confirm' | 'cancel'): Promise<Reply> {
    await readBody(req);
    const known = this.book.get(orderId);
    if (known === undefined) return htmlReply(404, notFoundPage(orderId));
    try {
      if (decision === 'confirm') {
        const order = this.book.buyerConfirms(orderId);
        return order.successReturnUrl === null ? htmlReply(200, statusPage(order)) : redirectReply(order.successReturnUrl);
      }
      const order = this.book.buyerCancels(orderId);
      return redirectReply(order.cancelReturnUrl ?? '/');
    } catch (error) {
      if (error instanceof PeiFailure) return htmlReply(error.status, statusPage(known, error.message));
      throw error;
    }
  }
}

export async function startPeiSandbox(options: PeiSandboxOptions = {}): Promise<PeiSandbox> {
  const now = options.now ?? (() => new Date());
  const clientId = options.clientId ?? 'sandbox-client';
  const clientSecret = options.clientSecret ?? randomBytes(18).toString('base64url');
  const merchantId = options.merchantId ?? '4';
  if (!/^\d+$/.test(merchantId)) throw new Error('the Pei sandbox merchantId is a whole number');

  const timers = new Timers();
  const postbacks = new PostbackDispatcher(timers, options.postbackRetryDelaysMs ?? [1000, 5000, 15000], options.seedMinimal ?? false);
  const book = new OrderBook({
    now,
    timers,
    recurringChargeMs: options.recurringChargeMs ?? 1000,
    purchaseAccess: new Set(options.purchaseAccess ?? ['0102882849']),
    confirmed: (order) => postbacks.confirmed(order),
  });
  const tokens = new TokenIssuer({ clientId, clientSecret, merchantId: Number(merchantId) }, options.tokenLifetimeSec ?? 3600, now, options.clientAuthentication ?? 'either');

  const words = new StatusWords();
  const faults = new FaultPlan(timers, { jsonContentType: 'application/json; charset=utf-8', errorBody: JSON.stringify({ message: 'An error has occurred.' }) });
  const running = await startSandboxServer(options, (url) =>
      new PeiSandboxServer(url, book, tokens, timers, now, {
        dateFormat: options.dateFormat ?? (options.seedMinimal ? 'seed' : 'iso'),
        enumFormat: options.enumFormat ?? 'name',
        payAnswer: options.payAnswer ?? (options.seedMinimal ? 'orderId' : 'full'),
        seedMinimal: options.seedMinimal ?? false,
        words,
        now,
      }), () => timers.close(), faults);
  const { url, core } = running;

  return {
    url,
    config: { url, tokenUrl: `${url}${TOKEN_PATH}`, clientId, clientSecret, merchantId, checkoutUrl: `${url}${CHECKOUT_PATH}` },
    setGatewayUrl: () => undefined,
    close: running.close,
    getOrder: (orderId) => {
      const order = book.get(orderId);
      return order === undefined ? undefined : structuredClone(order);
    },
    tokenRequests: () => tokens.requestCount,
    revokeTokens: () => tokens.revokeAll(),
    postbacks: () => postbacks.sent(),
    resendPostback: (orderId) => postbacks.resend(orderId),
    setPostbacksEnabled: (enabled) => {
      postbacks.enabled = enabled;
    },
    postbacksIdle: () => postbacks.idle(),
    fault: (next, only) => {
      core.armLost(next === 'lost', only);
      armLegacyFault(faults, next === 'lost' ? null : next, only ?? API_REQUESTS, {
        http500: JSON.stringify({ message: 'An error has occurred.' }),
        malformed: '{"orderId":"sandboxfault',
      });
    },
    faults,
    setStatusWord: (orderId, word) => words.set(orderId, word),
  };
}
