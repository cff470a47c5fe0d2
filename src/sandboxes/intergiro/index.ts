/**
 * Intergiro order API sandbox: an in-process simulator of `https://merchant.intergiro.com/v1/...`
 * faithful enough that the gateway's Intergiro adapter, pointed at it, behaves as it would against
 * the real service. The seed (`seeds/intergiro-orders.txt`) wins; CONTRACT §7/§8 and Intergiro's
 * public model (Order, Event, Item, Card payment, gracely errors) fill the gaps. Where both are
 * silent, this is what the sandbox assumes:
 *
 * Test card tokens (the token is opaque to real Intergiro; here its text picks the outcome,
 * case-insensitive, rules combine):
 *   - contains "3ds2": a hidden `method` step, then a visible `challenge` step, before authorizing;
 *     contains "3ds" (but not "3ds2"): one visible `challenge` step.
 *   - contains "deny": the authorization is declined -> status `denied` (event `deny`).
 *   - contains "pending": status `pending` (event `pend`); after `pendingSettleMs` it settles to
 *     `ordered` (event `order`), plus `charged` (event `charge`) when the order charges automatically.
 *   - anything else: `ordered` (event `order`), or `charged` (events `order`, `charge`) with
 *     top-level `"charge": "auto"` (or a customer payment's `charge: "auto"`).
 *   - a challenge answered with transStatus "N" -> `denied`, whatever the token says.
 *   - contains "mastercard" / "amex": the card payment's scheme, iin and last4 follow that brand;
 *     otherwise a Visa 411111...1111. `expires` is always [12, 30].
 * 3-D Secure:
 *   - While an order waits for a step it exists with status `created`, no events and a card payment
 *     without a reference; GET and list show it, PATCH can cancel it. No callback is sent for it:
 *     the verification-required answer is an error, not an order change.
 *   - One 3DS Server transaction per order: the method and the challenge step share the same
 *     `threeDSServerTransID` (as in EMV 3DS); the step `type` tells the two results apart.
 *   - A resubmission must carry the same currency and amount as the first request (else 400 on
 *     `currency` / `items`); other fields of the resubmission are ignored. Without
 *     `payment.verification` it answers the current step again. An `id` of an order that is not
 *     waiting for 3DS (unknown, finished, cancelled) -> 400 property `id`. A `verification` without
 *     an `id` -> 400 property `id`.
 *   - The ACS page only produces the iframe response string; it changes no state (the client must
 *     resubmit), so a forged "Y" string is accepted like a real one.
 * Orders:
 *   - `GET /v1/order/{id}` exists (public API) and follows the same Accept rule as create.
 *   - The Accept rule (JSON vs signed JWT) applies to single Orders only; the list, the PATCH echo,
 *     the verify answer and every error are always JSON (a JWT payload must be an object). "Includes
 *     application/json" is a substring test; no Accept header (or fetch's default, any type) -> JWT.
 *   - `GET /v1/order` dates are UTC calendar days of `created`, both ends inclusive; only `start` or
 *     only `end` is an open range; `end` before `start` -> 400 property `end`.
 *   - `number` must be a string; `meta` is echoed untouched; a customer payment's `schedule` and
 *     `due` are validated (number[] / string) and not otherwise simulated.
 *   - A customer payment (and a saved-card `subsequent` order) needs a `customer` from the
 *     `customers` option; the resulting order's payment is a Card payment of that saved card, as
 *     the seed's merchant-initiated response shows ("payment": "<Card payment>").
 *   - Item total = (price + vat) * quantity with `vat` a per-unit amount in major units (as in
 *     Intergiro's public model); a quantity may be fractional but a line must come out at a whole
 *     number of minor units. An amount with more decimals than the currency has is a 400, never
 *     rounded. Known currencies are the ISO 4217 codes the runtime's Intl knows.
 *   - The link page (`GET /link/{id}`, no API key) posts forms to `/link/{id}/pay|fail|cancel`. Pay
 *     with a required but empty cardholder name -> 400 page, nothing changes; the name is not
 *     stored. A link no longer `deferred` -> a page with the current status (409 on POST). After
 *     an outcome: 303 to `redirectUrl` with `order=<id>` added to its query, else a 200 receipt.
 *   - A defer order's payment keeps `type: "defer"` after the link is used; its `status` becomes
 *     the order's status word ("created" while the order is `deferred`). A card payment's status is
 *     the order's status word.
 * Changes (PATCH):
 *   - A charge takes `items` (number or Item[]); absent = the whole authorized amount. One charge
 *     only: a partial charge leaves the remainder uncapturable. A refund absent `items` refunds
 *     what is left. The order's stored event carries the resolved amount in `items` when the
 *     request gave none; the echo repeats the request as given plus `date`.
 *   - A failed event is `{type: "fail", original, error, date}`; `error` is gracely: 400
 *     "malformed content" for a bad event (content.property names the field of the event), 409
 *     "not allowed" for a state that does not allow it, 404 "not found" for an unknown order (that
 *     one is only echoed, there is no order to append it to).
 *   - A cancel takes no `items`; cancelling a `created` (3DS) order also ends its 3DS flow, and
 *     cancelling a `pending` one stops it from settling.
 * Callbacks:
 *   - One callback per change: a create (unless 3DS is required), each applied or failed PATCH
 *     event, a pending order settling, a 3DS completion, a payment-link outcome. The payload is
 *     the order snapshot at that change, signed then; retries and `resendLastCallback` send the
 *     very same token. The CONTRACT's "an Error is posted as application/json when an operation
 *     failed" is not simulated: the seed says the order is sent "updated with the ... failed
 *     Event", so failures arrive as the order JWT carrying the `fail` event.
 *   - Retry: attempt, then one retry after each `callbackRetryDelaysMs` entry, stopping at the
 *     first 2xx; a non-2xx, a network error or no answer within 5 s counts as a failure. Later
 *     changes of the same order wait for the earlier callback to finish (or give up).
 * Signing:
 *   - JWT header `{alg, typ: "JWT"}` (+ `kid` for RS256); payload = the Order plus `iat` and
 *     `exp` = iat + 600 s, iat from the `now` option. RS256's `kid` is the key's RFC 7638
 *     thumbprint; JWKS at `GET /.well-known/jwks.json` (404 under HS256, which has no public key).
 *   - The verify endpoint checks the signature with the sandbox's own key and `exp` against the
 *     `now` option; it needs `Content-Type: application/jwt` (else 400) and answers 404 when the
 *     token is genuine but names no known order.
 * Errors and faults:
 *   - 401 `not authorized` for a missing/wrong API key on every `/v1/` path; pages (`/link`, `/acs`)
 *     and the JWKS need no key. Unknown paths -> 404 `not found`.
 *   - `fault()` arms the next `/v1/` request, before authentication, and is used up by it. "http500"
 *     answers HTTP 500 `{status: 500, type: "backend failure"}` (gracely itself would say 502);
 *     "timeout" sends nothing and drops the connection after 30 s (or at close()); "malformed"
 *     answers 200 `application/json` with a truncated body. The faulted request has no effect.
 *   - `faults` (and `/sandbox/faults`) inject any fault of kit/faults.ts, aimed and counted;
 *     `fault()` is a shorthand on it.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { StatusWords, withUnknownFields } from '../kit/seed-minimal.js';
import { HANDLED, acceptsJson, htmlReply, jsonReply, matchPath, redirectReply, send, type Reply } from '../kit/http.js';
import { armLegacyFault, FaultPlan, type SandboxFaults } from '../kit/faults.js';
import { startSandboxServer } from '../kit/server.js';
import { Timers } from '../kit/timers.js';
import { CallbackDispatcher, type IntergiroSandboxCallbackAttempt } from './callbacks.js';
import { GracelyFailure, malformed, notFound, unauthorized } from './errors.js';
import { errorReply, readBody, readForm, readJson } from './http.js';
import { formatMinor } from './money.js';
import { OrderBook, type IntergiroSandboxLinkOutcome, type OrderRecord } from './orders.js';
import { acsChallengePage, acsNotFoundPage, acsResultPage, linkPage, notFoundPage, receiptPage } from './pages.js';
import { createOrderSigner, type IntergiroSandboxSigning, type OrderSigner } from './signing.js';
import { intergiroSandboxThreeDSResult } from './three-ds.js';
import { parseChangeRequests, parseDay } from './validation.js';
import type { IntergiroSandboxError, IntergiroSandboxOrder } from './wire.js';

// ---------------------------------------------------------------------------------------------
// Public API: the options and handle here, the rest re-exported from the modules that own it
// ---------------------------------------------------------------------------------------------

export type { IntergiroSandboxCallbackAttempt } from './callbacks.js';
export type { IntergiroSandboxLinkOutcome } from './orders.js';
export type { ThreeDSStepType as IntergiroSandboxThreeDSStepType } from './pages.js';
export type { IntergiroSandboxSigning } from './signing.js';
export { intergiroSandboxThreeDSResult } from './three-ds.js';
export type {
  IntergiroSandboxCardPayment,
  IntergiroSandboxDeferPayment,
  IntergiroSandboxError,
  IntergiroSandboxErrorType,
  IntergiroSandboxEvent,
  IntergiroSandboxEventType,
  IntergiroSandboxItem,
  IntergiroSandboxItems,
  IntergiroSandboxOrder,
  IntergiroSandboxStatus,
} from './wire.js';

export interface IntergiroSandboxOptions {
  /** TCP port to listen on; 0 picks a free one. Default 0. */
  port?: number;
  /** Interface to listen on. Default "127.0.0.1". */
  host?: string;
  /**
   * The base URL a browser reaches the sandbox at: `url`, payment links and ACS pages use it
   * (e.g. http://localhost:4001 when the port is published from a container). Default
   * `http://<host>:<port>`.
   */
  publicUrl?: string;
  /** The only accepted `Authorization: Bearer <apiKey>`; anything else answers 401 "not authorized". Required. */
  apiKey: string;
  /**
   * How callbacks and JWT answers are signed: HS256 with a shared secret, or RS256 with a key pair
   * generated at start whose public key is served at `GET /.well-known/jwks.json`. Required.
   */
  signing: IntergiroSandboxSigning;
  /** How long a card order whose token contains "pending" stays `pending` before it settles. Default 1500. */
  pendingSettleMs?: number;
  /** Waits before each retry of a callback that failed (non-2xx or no answer). Default [200, 1000, 3000]. */
  callbackRetryDelaysMs?: number[];
  /** Customer ids that have a saved card. Default ["TjbHYXXn6yEdhLgS", "cus_sandbox_1"]. */
  customers?: string[];
  /** Clock for `created`, event dates and JWT `iat`/`exp`; timers still run in real time. Default `() => new Date()`. */
  now?: () => Date;
  /**
   * Seed-minimal (kit/seed-minimal.ts): orders (answers, lists, callbacks) carry fields no seed
   * shows, status words are capitalised (the seed writes only "<Order status>"), and `GET
   * /v1/order/{id}` (Intergiro's public API, not the seed) answers 404. Default false.
   */
  seedMinimal?: boolean;
}

export type IntergiroSandboxFault = 'http500' | 'timeout' | 'malformed';

export interface IntergiroSandbox {
  /** Base URL, e.g. http://127.0.0.1:PORT: the gateway's INTERGIRO_URL. */
  readonly url: string;
  /** The JWKS with the RS256 public key; undefined under HS256, whose secret is shared out of band. */
  readonly jwksUrl: string | undefined;
  /** Stops the server, every timer, pending callback and hanging request. */
  close(): Promise<void>;
  /** A copy of the order as the API would return it, or undefined. */
  getOrder(id: string): IntergiroSandboxOrder | undefined;
  /** Every callback delivery attempt so far, oldest first (retries and duplicates included). */
  sentCallbacks(): IntergiroSandboxCallbackAttempt[];
  /** Sends the order's last signed callback once more, byte for byte: a duplicate delivery. Throws when none was sent. */
  resendLastCallback(orderId: string): void;
  /** Signs an order exactly like a callback (exp = iat + expiresInSec, default 600); `key: 'wrong'` signs with a foreign key. */
  signOrder(order: IntergiroSandboxOrder, opts?: { expiresInSec?: number; key?: 'wrong' }): Promise<string>;
  /** While paused, callbacks queue up; resuming sends them in order. */
  pauseCallbacks(paused: boolean): void;
  /** Arms a fault for the next API call (null disarms). */
  fault(next: IntergiroSandboxFault | null): void;
  /** Faults on demand, aimed at requests (kit/faults.ts). */
  faults: SandboxFaults;
  /**
   * Same as a person pressing Pay / Fail / Cancel on the link page (a required cardholder name
   * counts as entered); returns the order afterwards. Throws for an order without a link.
   */
  payLink(orderId: string, outcome: IntergiroSandboxLinkOutcome): IntergiroSandboxOrder;
  /** Resolves once every queued callback has been delivered or given up (never while paused). */
  callbacksIdle(): Promise<void>;
  /** From now on orders answer `word` as their status (e.g. one the gateway does not know); null: their own again. */
  setStatusWord(orderId: string, word: string | null): void;
}

const DEFAULT_CUSTOMERS = ['TjbHYXXn6yEdhLgS', 'cus_sandbox_1'];
/** What `fault()` aims at: the API, not the pages. */
const API_REQUESTS = /^\S+ \/v1\//;

// ---------------------------------------------------------------------------------------------
// The sandbox server: routing
// ---------------------------------------------------------------------------------------------

/** How orders are written: a status word chosen by a test, and seed-minimal's extra fields and letter case. */
function presenter(seedMinimal: boolean, words: StatusWords): (order: IntergiroSandboxOrder) => IntergiroSandboxOrder {
  return (order) => {
    const chosen = words.get(order.id);
    const status = chosen ?? (seedMinimal && order.status ? `${order.status.charAt(0).toUpperCase()}${order.status.slice(1)}` : order.status);
    const shown = { ...order, ...(status !== undefined ? { status } : {}) } as IntergiroSandboxOrder;
    return seedMinimal ? withUnknownFields(shown) : shown;
  };
}

interface SandboxConfig {
  /** Writes an order as answered or called back (see presenter). */
  present: (order: IntergiroSandboxOrder) => IntergiroSandboxOrder;
  /** Seed-minimal: no `GET /v1/order/{id}` (not in the seed), it answers 404 as an unknown path. */
  seedMinimal: boolean;
  baseUrl: string;
  apiKey: string;
  signer: OrderSigner;
  timers: Timers;
  callbacks: CallbackDispatcher;
  customers: ReadonlySet<string>;
  pendingSettleMs: number;
  now: () => Date;
}

class IntergiroSandboxServer {
  readonly book: OrderBook;

  constructor(private readonly config: SandboxConfig) {
    this.book = new OrderBook({
      baseUrl: config.baseUrl,
      now: config.now,
      timers: config.timers,
      customers: config.customers,
      pendingSettleMs: config.pendingSettleMs,
      changed: (order) => config.callbacks.orderChanged(order),
    });
  }

  payLink(orderId: string, outcome: IntergiroSandboxLinkOutcome): IntergiroSandboxOrder {
    return structuredClone(this.book.useLink(orderId, outcome).order);
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const reply = await this.route(req, res);
      if (reply !== HANDLED) send(res, reply);
    } catch (error) {
      const body: IntergiroSandboxError =
        error instanceof GracelyFailure ? error.body : { status: 500, type: 'backend failure', error: 'sandbox error' };
      if (!res.headersSent) send(res, errorReply(body));
      else res.destroy();
    }
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<Reply | typeof HANDLED> {
    const url = new URL(req.url ?? '/', this.config.baseUrl);
    const path = url.pathname;
    const method = req.method ?? 'GET';
    if (path.startsWith('/v1/')) return this.routeApi(req, res, url);
    if (path === '/.well-known/jwks.json' && method === 'GET') return this.jwks();

    const acs = matchPath(/^\/acs\/([^/]+)(?:\/(authenticate|reject))?$/, path);
    if (acs !== undefined) {
      const [orderId, decision] = acs;
      if (decision === undefined && (method === 'GET' || method === 'POST')) return this.acsPage(orderId);
      if (decision !== undefined && method === 'POST') return this.acsDecision(orderId, decision === 'authenticate' ? 'Y' : 'N');
    }
    const link = matchPath(/^\/link\/([^/]+)(?:\/(pay|fail|cancel))?$/, path);
    if (link !== undefined) {
      const [orderId, outcome] = link;
      if (outcome === undefined && method === 'GET') return this.linkPage(orderId);
      if ((outcome === 'pay' || outcome === 'fail' || outcome === 'cancel') && method === 'POST') {
        return this.linkAction(req, orderId, outcome);
      }
    }
    return errorReply(notFound(`no route ${method} ${path}`).body);
  }

  private async routeApi(req: IncomingMessage, res: ServerResponse, url: URL): Promise<Reply | typeof HANDLED> {
    if (req.headers.authorization !== `Bearer ${this.config.apiKey}`) {
      throw unauthorized('a valid API key is required');
    }
    const path = url.pathname;
    const method = req.method ?? 'GET';
    if (path === '/v1/order' || path === '/v1/order/') {
      if (method === 'POST') return this.createOrder(req);
      if (method === 'GET') return this.listOrders(url);
      if (method === 'PATCH') return this.changeOrders(req);
    }
    const single = matchPath(/^\/v1\/order\/([^/]+)$/, path);
    if (single !== undefined && method === 'GET' && !this.config.seedMinimal) return this.getOrder(req, single[0]);
    if (path === '/v1/worker-order/order/verify' && method === 'POST') return this.verify(req);
    throw notFound(`no endpoint ${method} ${path}`);
  }

  // --- API endpoints -------------------------------------------------------------------------

  private async orderReply(req: IncomingMessage, status: number, order: IntergiroSandboxOrder): Promise<Reply> {
    const shown = this.config.present(order);
    if (acceptsJson(req)) return jsonReply(status, shown);
    // Seed: "otherwise the Order will be in a signed JWT".
    return { status, contentType: 'application/jwt', body: await this.config.signer.sign(shown) };
  }

  private async createOrder(req: IncomingMessage): Promise<Reply> {
    const result = this.book.create(await readJson(req));
    if (result.kind === 'verify') return errorReply(result.error);
    return this.orderReply(req, 201, result.order);
  }

  private getOrder(req: IncomingMessage, id: string): Promise<Reply> {
    const record = this.book.get(id);
    if (record === undefined) throw notFound(`no order with id ${id}`);
    return this.orderReply(req, 200, record.order);
  }

  private listOrders(url: URL): Reply {
    const start = parseDay(url.searchParams.get('start'), 'start');
    const end = parseDay(url.searchParams.get('end'), 'end');
    if (start !== undefined && end !== undefined && end < start) {
      throw malformed('end', 'Date', 'end must not be before start');
    }
    return jsonReply(200, this.book.list(start, end).map(this.config.present));
  }

  private async changeOrders(req: IncomingMessage): Promise<Reply> {
    const requests = parseChangeRequests(await readJson(req));
    return jsonReply(200, this.book.applyChanges(requests));
  }

  private async verify(req: IncomingMessage): Promise<Reply> {
    const contentType = (req.headers['content-type'] ?? '').toLowerCase();
    if (!contentType.startsWith('application/jwt')) {
      throw malformed('body', 'application/jwt', 'the body must be a signed order with Content-Type application/jwt');
    }
    const token = (await readBody(req)).trim();
    const payload = await this.config.signer.verify(token);
    if (payload === undefined) throw unauthorized('the token is not a valid, unexpired order signed by Intergiro');
    const id = payload.id;
    const record = typeof id === 'string' ? this.book.get(id) : undefined;
    if (record === undefined) throw notFound('the token names no known order');
    return jsonReply(200, this.config.present(record.order));
  }

  private jwks(): Reply {
    const jwks = this.config.signer.jwks;
    if (jwks === undefined) return errorReply(notFound('no public keys: callbacks are signed with HS256').body);
    return { ...jsonReply(200, jwks), headers: { 'cache-control': 'public, max-age=300' } };
  }

  // --- pages ---------------------------------------------------------------------------------

  private amountText(record: OrderRecord): string {
    return formatMinor(record.totalMinor, record.exponent);
  }

  private acsPage(orderId: string): Reply {
    const current = this.book.threeDSStep(orderId);
    if (current === undefined) return htmlReply(404, acsNotFoundPage(orderId));
    const { record, step, state } = current;
    if (step === 'method') {
      // The method step needs no person: the ACS fingerprints the browser and answers at once.
      const result = intergiroSandboxThreeDSResult({ type: 'method', threeDSServerTransID: state.threeDSServerTransID });
      return htmlReply(200, acsResultPage({ step, result }));
    }
    return htmlReply(
      200,
      acsChallengePage({
        orderId,
        step,
        threeDSServerTransID: state.threeDSServerTransID,
        amount: this.amountText(record),
        currency: record.order.currency,
      }),
    );
  }

  private acsDecision(orderId: string, transStatus: 'Y' | 'N'): Reply {
    const current = this.book.threeDSStep(orderId);
    if (current === undefined || current.step !== 'challenge') return htmlReply(404, acsNotFoundPage(orderId));
    const result = intergiroSandboxThreeDSResult(
      { type: 'challenge', threeDSServerTransID: current.state.threeDSServerTransID },
      transStatus,
    );
    return htmlReply(200, acsResultPage({ step: 'challenge', result, transStatus }));
  }

  private linkPage(orderId: string): Reply {
    const record = this.book.get(orderId);
    if (record === undefined || record.order.payment.type !== 'defer') return htmlReply(404, notFoundPage(orderId));
    if (record.order.status !== 'deferred') return htmlReply(200, this.receipt(record, 'This payment link is no longer open.'));
    return htmlReply(200, this.checkoutPage(record));
  }

  private async linkAction(req: IncomingMessage, orderId: string, outcome: IntergiroSandboxLinkOutcome): Promise<Reply> {
    const form = await readForm(req);
    const record = this.book.get(orderId);
    if (record === undefined || record.order.payment.type !== 'defer') return htmlReply(404, notFoundPage(orderId));
    const payment = record.order.payment;
    if (record.order.status !== 'deferred') return htmlReply(409, this.receipt(record, 'This payment link is no longer open.'));
    const name = (form.get('cardholderName') ?? '').trim();
    if (outcome === 'pay' && payment.cardholderName === 'required' && name === '') {
      return htmlReply(400, this.checkoutPage(record, 'Enter the cardholder name.'));
    }
    this.book.useLink(orderId, outcome);
    if (payment.redirectUrl === undefined) return htmlReply(200, this.receipt(record));
    const location = new URL(payment.redirectUrl);
    location.searchParams.set('order', orderId);
    return redirectReply(location.toString());
  }

  private checkoutPage(record: OrderRecord, error?: string): string {
    const payment = record.order.payment;
    return linkPage({
      orderId: record.order.id,
      amount: this.amountText(record),
      currency: record.order.currency,
      status: record.order.status,
      cardholderNameRequired: payment.type === 'defer' && payment.cardholderName === 'required',
      ...(error === undefined ? {} : { error }),
    });
  }

  private receipt(record: OrderRecord, note?: string): string {
    return receiptPage({
      orderId: record.order.id,
      amount: this.amountText(record),
      currency: record.order.currency,
      status: record.order.status,
      ...(note === undefined ? {} : { note }),
    });
  }
}

// ---------------------------------------------------------------------------------------------
// Start
// ---------------------------------------------------------------------------------------------

export async function startIntergiroSandbox(options: IntergiroSandboxOptions): Promise<IntergiroSandbox> {
  if (options.apiKey.length === 0) throw new Error('the Intergiro sandbox needs a non-empty apiKey');
  if (options.signing.alg === 'HS256' && options.signing.secret.length === 0) {
    throw new Error('the Intergiro sandbox needs a non-empty HS256 secret');
  }
  const now = options.now ?? (() => new Date());
  const signer = await createOrderSigner(options.signing, now);
  const timers = new Timers();
  const faults = new FaultPlan(timers, {
    jsonContentType: 'application/json; charset=utf-8',
    errorBody: JSON.stringify({ status: 503, type: 'backend failure', error: 'sandbox fault' }),
  });
  const words = new StatusWords();
  const present = presenter(options.seedMinimal ?? false, words);
  const callbacks = new CallbackDispatcher(timers, options.callbackRetryDelaysMs ?? [200, 1000, 3000], (order) =>
    signer.sign(present(order)),
  );

  const running = await startSandboxServer(
    options,
    (url) =>
      new IntergiroSandboxServer({
        present,
        seedMinimal: options.seedMinimal ?? false,
        baseUrl: url,
        apiKey: options.apiKey,
        signer,
        timers,
        callbacks,
        customers: new Set(options.customers ?? DEFAULT_CUSTOMERS),
        pendingSettleMs: options.pendingSettleMs ?? 1500,
        now,
      }),
    () => timers.close(),
    faults,
  );
  const { url, core } = running;

  return {
    url,
    jwksUrl: signer.jwks === undefined ? undefined : `${url}/.well-known/jwks.json`,
    close: running.close,
    getOrder: (id) => {
      const order = core.book.get(id)?.order;
      return order === undefined ? undefined : structuredClone(order);
    },
    sentCallbacks: () => callbacks.sent(),
    resendLastCallback: (orderId) => callbacks.resendLast(orderId),
    signOrder: (order, opts) => signer.sign(order, { expiresInSec: opts?.expiresInSec, wrongKey: opts?.key === 'wrong' }),
    pauseCallbacks: (paused) => callbacks.pause(paused),
    fault: (next) =>
      armLegacyFault(faults, next, API_REQUESTS, {
        http500: JSON.stringify({ status: 500, type: 'backend failure', error: 'sandbox fault: backend failure' }),
        malformed: '{"id":"sandboxfault0000","status":"ord',
      }),
    faults,
    payLink: (orderId, outcome) => core.payLink(orderId, outcome),
    callbacksIdle: () => callbacks.idle(),
    setStatusWord: (orderId, word) => words.set(orderId, word),
  };
}
