/**
 * Intershop ICM order REST API (v1) sandbox: an in-process simulator of
 * `https://<host>/INTERSHOP/rest/WFS/inSPIRED-inTRONICS-Site/-/orders...` and of the demo PSP page
 * ICM redirects to, faithful enough that the gateway's Intershop adapter behaves against it as it
 * would against a real ICM 7.10. The seed (`seeds/intershop-icm-order-rest-v1.txt`) wins; CONTRACT
 * §7/§8 fill gaps. Where both are silent, this is what the sandbox assumes:
 *
 * Layout and auth:
 *   - REST base (the adapter's INTERSHOP_URL) `<origin>/INTERSHOP/rest/WFS/inSPIRED-inTRONICS-Site/-`;
 *     the PSP page lives under `<origin>/INTERSHOP/web/WFS/inSPIRED-inTRONICS-Site/en_US/-/<CUR>/`.
 *   - Every REST call needs the `authentication-token` header with the sandbox's token (`config.authToken`);
 *     without it, or with another: 401 `{errors: [{code: "authentication.token.invalid.error", status: "401", ...}]}`.
 *     Tokens never expire. Pages (PSP) and the sandbox-only routes need none.
 *   - Errors are `{errors: [{code, message, status (HTTP status as a string), paths?, causes?}]}`; 400 for a
 *     malformed body, 404 for an unknown order, 422 for business rules (unknown basket, T&C not
 *     accepted, a SUCCESS redirect result the PSP did not confirm). The codes are the sandbox's own.
 * Versioning (seed §2.1):
 *   - v1 = the Accept header contains `application/vnd.intershop.order.v1+json`; v1 answers carry that
 *     media type as Content-Type. Anything else (plain `application/json`, `*\/*`, no Accept) is the
 *     legacy API: GET answers the legacy representation (`{type: "Order", documentNo, creationDate
 *     as epoch ms, totals.grandTotal {value, currencyMnemonic}, uri}`, lists as a ResourceCollection
 *     of Links), legacy POST /orders answers 400 text/plain (it wants a `basketID` and knows no
 *     creation chain), legacy PATCH answers 405. Nothing changes on a legacy request.
 * Baskets (ICM's Basket API is not simulated):
 *   - Seeded at start: `nNQKAB2_tMYAAAFuc9BdhmPm` (the seed's basket: 24 x 201807171 at 25.00 + 1 x
 *     201807195 at 28.34 = 628.34 USD, ISH_ONLINEPAY), `sandbox-basket-eur` (2 x 1000042 at 19.95 =
 *     39.90 EUR, ISH_ONLINEPAY), `sandbox-basket-sale` (1 x 1000043 at 49.90 EUR, ISH_ONLINEPAY_SALE).
 *   - More with `createBasket(spec)` or `POST <origin>/sandbox/baskets` (JSON `{currency, lines:
 *     [{product, quantity, price: "24.99"}], paymentMethod?, id?}` -> 201 `{id}`).
 *   - Checkout takes the basket: POST /orders with a basket that is unknown or already ordered -> 422
 *     `basket.not_found.error`. A rollback restores it (seed §3.2.5), so it can be ordered again.
 *   - termsAndConditionsAccepted must be true (422 `order.terms_and_conditions.not_accepted.error`,
 *     the basket stays open). No tax: gross = net. The user is always patricia@test.intershop.de.
 * Payment methods: both redirect after checkout (capability RedirectAfterCheckout).
 *   `ISH_ONLINEPAY` ("ISH Demo Online Pay") authorizes; `ISH_ONLINEPAY_SALE` captures at once.
 * The creation chain (seed §2.2, §3.2.5):
 *   - `creationDate` is ISO 8601 with milliseconds and a `+00:00` offset (the seed shows seconds; the
 *     milliseconds keep "newest first" exact for orders placed within one second).
 *   - Document shapes: POST answers and list entries carry seed §2.2's `data` (with `creationDate`,
 *     `purchaseCurrency` and `totals.grandTotal`/`itemTotal`); PATCH answers carry seed §3.2.3's,
 *     which has no `creationDate` or `purchaseCurrency` and elides `totals` (`"totals": { ... }`):
 *     the sandbox leaves all three out. GET /orders/{id} has no example in the seed; it answers
 *     PATCH's shape, so a client cannot come to rely on what the seed does not promise. The seed's
 *     address/shipping ids (commonShipToAddress, invoiceToAddress...) are not simulated.
 *   - `include=`: seed §2.2's dotted names, plus `lineItems` (no seed shows that name nor a line
 *     item: the line shape is the sandbox's own); other names are ignored. An ICM may refuse a name
 *     it does not know: the adapter then asks again without `lineItems` (test/support/independent).
 *   - One payment per order, the open tender (`openTender: true`, seed §2.2); limited tenders (gift
 *     cards, seed §3.1) are not simulated.
 *   - POST /orders -> 201 (Location: the order), STOPPED Workflow `redirect_urls_required`, info order.creation_stopped.info,
 *     statusCode PENDING, payment `Unprocessed`. The redirect URLs are never taken from the basket.
 *   - PATCH CONTINUE with all three URLs (absolute, else 400) -> STOPPED Redirect with the PSP page's
 *     `redirectUrl` (also echoed in `orderCreation.redirect`), payment PENDING. The URL carries what
 *     the seed's does except the PSP merchant/password pair and the buyer's address.
 *   - PATCH CONTINUE with a redirect result while at the Redirect stop: the PSP's record wins over
 *     the status the shop sends (the return URL is the buyer's to edit, and ICM cannot undo money
 *     the PSP moved): paid -> COMPLETED (statusCode NEW, payment AUTHORIZED or CAPTURED), also for a
 *     CANCEL or FAILURE; pending -> STOPPED Workflow `waiting_for_pending_payments` (payment
 *     AUTHORIZED/CAPTURED "(pending)" as the seed's table says); cancelled/failed at the PSP ->
 *     ROLLED_BACK. Nothing recorded: SUCCESS -> 422 `order.creation.redirect.not_confirmed.error`,
 *     CANCEL / FAILURE -> ROLLED_BACK (the buyer left the PSP page undecided). A SUCCESS whose
 *     `transactionID` (when given) is not the PSP's -> 422 likewise.
 *   - A CONTINUE that lacks what the current stop needs stops at the same place again (200, unchanged);
 *     any CONTINUE while waiting for a notification or after the chain ended answers the current
 *     state unchanged (seed: "not harmed or restarted"). `orderCreation.status` other than CONTINUE -> 400.
 *   - ROLLED_BACK: statusCode PAYMENT_CANCELLED, payment AUTHORIZATIONVOIDED, info order.cancelled.info.
 *     The order stays readable. The failure outcome rolls back exactly like a cancel (seed: "The
 *     payment failed or the user canceled the payment").
 * The PSP page (`ISHPayRedirect-OnlinePay?PaymentTransactionUUID=...`): buttons Pay, Pay later
 *   (pending, then approved), Pay later (pending, then declined), Fail, Cancel. A decision answers 303
 *   to successURL (pay, both pending ones) / failURL / cancelURL with `transactionID`, `orderID`,
 *   `paymentID` and `PaymentTransactionUUID` added to its query. A transaction decided already -> 409 page.
 * PSP notifications (seed "workflow redirect after checkout with notification"): a synchronous Pay is
 *   confirmed only by the shop's CONTINUE; every other decision is also reported by the PSP to ICM
 *   `notificationMs` after it was made (default 2000): pending-approved completes the order, the
 *   others roll it back, whether or not the shop ever continues. A notification for an order whose
 *   chain has ended changes nothing. `pauseNotifications(true)` holds them until resumed.
 * Lists: GET /orders answers the orders (one user), newest first, a page at a time: `offset` (default
 *   0) and `limit` (default and maximum `listPageSize`, 10 unless configured; a larger limit is cut)
 *   select the page, `info` carries `{limit, offset, total}`; a non-numeric one -> 400. Includes work
 *   as on a single order, for the orders of the page. GET /orders/{id}/payments is seed §3.1's
 *   shape (`{gross: {...}}` amounts, includes `paymentMethod` / `paymentInstrument`), without a status.
 * Faults: `fault("http500")` answers the next REST call 500 with an ICM error body, `fault("malformed")`
 *   answers it 200 with a truncated body, `fault("payments_http500")` answers the next GET
 *   /orders/{id}/payments 500; the faulted call has no effect (and is in `requests()`). Any fault of
 *   kit/faults.ts through `faults` or `/sandbox/faults` (those come before the REST log).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import type { IntershopConfig } from '../../config.js';
import type { SandboxListen } from '../../providers/context.js';
import { htmlReply, redirectReply, send, type Reply } from '../kit/http.js';
import { FaultPlan, type SandboxFaults } from '../kit/faults.js';
import { startSandboxServer } from '../kit/server.js';
import { Timers } from '../kit/timers.js';
import { BasketBook, SEEDED_BASKETS, type IntershopSandboxBasketSpec } from './catalog.js';
import { legacyCollection, legacyOrder, orderDocument, orderListDocument, parseIncludes, paymentsDocument, type DocumentContext } from './documents.js';
import { IntershopSandboxFailure, malformed, notFound, unauthorized } from './errors.js';
import { StatusWords, UNKNOWN_FIELDS, withUnknownFields } from '../kit/seed-minimal.js';
import { isRecord, jsonReply, readForm, readJson, textReply, v1Reply, wantsV1 } from './http.js';
import { formatMinor } from './money.js';
import { OrderBook, PSP_OUTCOMES, totalMinor, type IntershopSandboxPspOutcome, type SandboxOrder } from './orders.js';
import { pspMessagePage, pspPage } from './pages.js';

export type { IntershopSandboxBasketSpec } from './catalog.js';
export type { IntershopSandboxPspOutcome } from './orders.js';

const SITE_PATH = '/INTERSHOP/rest/WFS/inSPIRED-inTRONICS-Site/-';
const WEB_PATH = '/INTERSHOP/web/WFS/inSPIRED-inTRONICS-Site';

export interface IntershopSandboxOptions extends SandboxListen {
  /** The gateway's base URL; unused (ICM never calls the gateway), kept for startSandboxes. */
  gatewayUrl?: string;
  /** The only `authentication-token` accepted. Default: random per start. */
  authToken?: string;
  /** How long after the buyer's decision the PSP notifies ICM (pending, cancel, failure). Default 2000. */
  notificationMs?: number;
  /** Clock for `creationDate`. Default the system clock. */
  now?: () => Date;
  /** GET /orders answers at most this many orders a page (also the default `limit`). Default 10. */
  listPageSize?: number;
  /**
   * Seed-minimal (kit/seed-minimal.ts): v1 order documents and lists carry fields no seed shows
   * (the documents are already the seed's shapes: GET answers PATCH's, without creationDate,
   * purchaseCurrency or totals), and reads (GET of one order, list entries) carry no
   * `orderCreation`, which the seed shows in POST and PATCH answers only. Default false.
   */
  seedMinimal?: boolean;
}

/**
 * `http500` / `malformed`: the next REST call answers 500 with an ICM error body / 200 with a
 * truncated body. `payments_http500`: the next GET /orders/{id}/payments answers 500 (other calls
 * pass until then).
 */
export type IntershopSandboxFault = 'http500' | 'malformed' | 'payments_http500';

/** One REST call as the sandbox saw it (the token's value is never kept). */
export interface IntershopSandboxRequest {
  method: string;
  /** Path and query, relative to the REST base (e.g. `/orders?include=payments`). */
  path: string;
  accept: string | undefined;
  authenticated: boolean;
}

export interface IntershopSandbox {
  /** The REST base up to `/-`: the gateway's INTERSHOP_URL. */
  url: string;
  /** Scheme, host and port, for the sandbox-only routes. */
  origin: string;
  /** The configuration that points an adapter at this sandbox. */
  config: IntershopConfig;
  setGatewayUrl(url: string): void;
  close(): Promise<void>;
  /** Opens a basket (see the header); answers its id. */
  createBasket(spec: IntershopSandboxBasketSpec): string;
  /** The order as GET /orders/{id} with every include answers it (v1), or undefined. */
  getOrder(id: string): Record<string, unknown> | undefined;
  /** Every REST call so far, oldest first. */
  requests(): IntershopSandboxRequest[];
  /** While paused, PSP notifications wait; resuming delivers the held ones at once. */
  pauseNotifications(paused: boolean): void;
  /** With `only`, the fault waits for a call whose `"<METHOD> <path>"` matches (pollers must not use it up). */
  fault(next: IntershopSandboxFault | null, only?: RegExp): void;
  /** Faults on demand, aimed at requests (kit/faults.ts); `only` sees the full path. */
  faults: SandboxFaults;
  /** From now on the order's payments answer `word` as their status (e.g. one the gateway does not know); null: their own again. */
  setStatusWord(orderId: string, word: string | null): void;
}

const ALL_INCLUDES = new Set(['lineItems', 'payments', 'payments.paymentInstrument', 'payments.paymentMethod']);

class IntershopSandboxServer implements DocumentContext {
  readonly restBase: string;
  readonly webBase: string;
  readonly log: IntershopSandboxRequest[] = [];
  private armedFault: IntershopSandboxFault | null = null;
  /** Which calls (`"<METHOD> <path>"`) the armed fault is for; unset: the next one. */
  private faultOnly: RegExp | undefined;

  constructor(
    private readonly origin: string,
    private readonly authToken: string,
    readonly book: OrderBook,
    readonly baskets: BasketBook,
    private readonly listPageSize: number,
    private readonly seedMinimal = false,
    readonly words = new StatusWords(),
  ) {
    this.restBase = `${origin}${SITE_PATH}`;
    this.webBase = `${origin}${WEB_PATH}`;
  }

  /**
   * A v1 order document (or list) as sent: the payment status word a test chose for an order in
   * place of its own, and in seed-minimal mode fields no seed shows on the document and its data,
   * and no `orderCreation` on a read (`read`: a GET of one order or a list).
   */
  present(document: Record<string, unknown>, read = false): Record<string, unknown> {
    const entries = (Array.isArray(document.data) ? document.data : [document.data]) as { id?: string; payments?: string[] }[];
    const payments = (document.included as { payments?: Record<string, { status?: string }> } | undefined)?.payments;
    for (const data of entries) {
      const word = data.id === undefined ? undefined : this.words.get(data.id);
      if (word === undefined) continue;
      for (const id of data.payments ?? []) {
        const payment = payments?.[id];
        if (payment) payment.status = word;
      }
    }
    if (!this.seedMinimal) return document;
    // The seed shows `orderCreation` in POST and PATCH answers only: a read (GET of one order, a list) goes without it.
    const minimal = (data: Record<string, unknown>) => withUnknownFields(read ? withoutKey(data, 'orderCreation') : data);
    const data = Array.isArray(document.data) ? document.data.map(minimal) : minimal(document.data as Record<string, unknown>);
    return { ...document, ...UNKNOWN_FIELDS, data };
  }

  pspUrl(order: SandboxOrder): string {
    return this.book.pspUrl(order, this.webBase);
  }

  fault(next: IntershopSandboxFault | null, only?: RegExp): void {
    this.armedFault = next;
    this.faultOnly = only;
  }

  /** The armed fault, if it is for this call (it is then used up). */
  private takeFault(method: string, path: string): IntershopSandboxFault | null {
    const fault = this.armedFault;
    if (fault === 'payments_http500' && !(method === 'GET' && /^\/orders\/[^/]+\/payments$/.test(path))) return null;
    if (this.faultOnly && !this.faultOnly.test(`${method} ${path}`)) return null;
    this.armedFault = null;
    return fault;
  }

  /** `offset` / `limit` of a list request: ICM's paging; a limit above the page size is cut to it. */
  private page(query: URLSearchParams): { offset: number; limit: number } {
    const number = (name: string, fallback: number): number => {
      const raw = query.get(name);
      if (raw === null) return fallback;
      if (!/^\d{1,9}$/.test(raw)) throw malformed(`'${name}' must be a whole number of 0 or more.`);
      return Number(raw);
    };
    return { offset: number('offset', 0), limit: Math.min(number('limit', this.listPageSize), this.listPageSize) };
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let reply: Reply;
    try {
      reply = await this.route(req);
    } catch (error) {
      reply =
        error instanceof IntershopSandboxFailure
          ? jsonReply(error.httpStatus, { errors: [error.error] })
          : jsonReply(500, { errors: [{ code: 'internal.error', message: 'Internal error.', status: '500' }] });
    }
    send(res, reply);
  }

  private route(req: IncomingMessage): Promise<Reply> | Reply {
    const url = new URL(req.url ?? '/', this.origin);
    const method = req.method ?? 'GET';
    if (url.pathname.startsWith(`${SITE_PATH}/`)) return this.routeRest(req, url);
    if (url.pathname === '/sandbox/baskets' && method === 'POST') return this.createBasketRoute(req);
    const psp = /^\/INTERSHOP\/web\/WFS\/inSPIRED-inTRONICS-Site\/en_US\/-\/([A-Z]{3})\/ISHPay(Redirect-OnlinePay|Redirect-Decide)$/.exec(url.pathname);
    if (psp && psp[2] === 'Redirect-OnlinePay' && method === 'GET') return this.pspPageRoute(url);
    if (psp && psp[2] === 'Redirect-Decide' && method === 'POST') return this.decideRoute(req);
    throw notFound('The resource');
  }

  // ---- REST ---------------------------------------------------------------------------------

  private async routeRest(req: IncomingMessage, url: URL): Promise<Reply> {
    const path = url.pathname.slice(SITE_PATH.length);
    const method = req.method ?? 'GET';
    const authenticated = req.headers['authentication-token'] === this.authToken;
    this.log.push({ method, path: `${path}${url.search}`, accept: req.headers.accept, authenticated });
    const fault = this.takeFault(method, path);
    if (fault === 'http500' || fault === 'payments_http500') return jsonReply(500, { errors: [{ code: 'internal.error', message: 'Internal error.', status: '500' }] });
    if (fault === 'malformed') return { status: 200, contentType: 'application/json', body: '{"data": {"id": ' };
    if (!authenticated) throw unauthorized();

    const v1 = wantsV1(req);
    const includes = parseIncludes(url.searchParams);
    if (path === '/orders') {
      if (method === 'POST') {
        if (!v1) return textReply(400, 'basketID is required.');
        const order = this.book.create(await readJson(req));
        return { ...v1Reply(201, this.present(orderDocument(order, includes, this, 'created'))), headers: { location: `${this.restBase}/orders/${order.id}` } };
      }
      if (method === 'GET') {
        const orders = this.book.list();
        if (!v1) return jsonReply(200, legacyCollection('orders', orders.map((order) => ({ title: order.documentNumber, uri: `${this.restBase}/orders/${order.id}` }))));
        return v1Reply(200, this.present(orderListDocument(orders, this.page(url.searchParams), includes, this), true));
      }
    }
    const single = /^\/orders\/([^/]+)(\/payments)?$/.exec(path);
    if (single) {
      const order = this.book.get(decodeURIComponent(single[1] ?? ''));
      if (!order) throw notFound('The order');
      if (single[2]) {
        if (method !== 'GET') return textReply(405, 'Method not allowed.');
        if (!v1) return jsonReply(200, legacyCollection('payments', [{ title: order.payment.id, uri: `${this.restBase}/orders/${order.id}/payments/${order.payment.id}` }]));
        return v1Reply(200, paymentsDocument(order, includes));
      }
      if (method === 'GET') return v1 ? v1Reply(200, this.present(orderDocument(order, includes, this, 'continued'), true)) : jsonReply(200, legacyOrder(order, this));
      if (method === 'PATCH') {
        if (!v1) return textReply(405, 'Method not allowed.');
        this.book.continueCreation(order, await readJson(req));
        return v1Reply(200, this.present(orderDocument(order, includes, this, 'continued')));
      }
      return textReply(405, 'Method not allowed.');
    }
    throw notFound('The resource');
  }

  // ---- sandbox-only -------------------------------------------------------------------------

  private async createBasketRoute(req: IncomingMessage): Promise<Reply> {
    const body = await readJson(req);
    try {
      if (!isRecord(body)) throw new Error('the body is a basket spec object');
      const basket = this.baskets.create(body as unknown as IntershopSandboxBasketSpec);
      return jsonReply(201, { id: basket.id });
    } catch (error) {
      if (error instanceof IntershopSandboxFailure) throw error;
      return jsonReply(400, { errors: [{ code: 'sandbox.basket.invalid', message: (error as Error).message, status: '400' }] });
    }
  }

  // ---- the PSP ------------------------------------------------------------------------------

  private pspPageRoute(url: URL): Reply {
    const order = this.book.findByTransaction(url.searchParams.get('PaymentTransactionUUID') ?? '');
    if (!order) return htmlReply(404, pspMessagePage('Unknown payment', 'There is no such payment transaction.'));
    if (order.phase !== 'redirect' || order.psp) return htmlReply(409, pspMessagePage('Payment already processed', 'This payment has already been decided.'));
    const currency = order.basket.currency;
    return htmlReply(
      200,
      pspPage({
        transactionUuid: order.payment.transactionUuid,
        orderId: order.id,
        amount: formatMinor(totalMinor(order), currency),
        currency,
        decideUrl: `${this.webBase}/en_US/-/${currency}/ISHPayRedirect-Decide`,
      }),
    );
  }

  private async decideRoute(req: IncomingMessage): Promise<Reply> {
    const form = await readForm(req);
    const order = this.book.findByTransaction(form.get('PaymentTransactionUUID') ?? '');
    const outcome = PSP_OUTCOMES.find((candidate) => candidate === form.get('outcome'));
    if (!order) return htmlReply(404, pspMessagePage('Unknown payment', 'There is no such payment transaction.'));
    if (!outcome) return htmlReply(400, pspMessagePage('Unknown choice', 'Choose one of the buttons.'));
    if (!this.book.decide(order, outcome)) return htmlReply(409, pspMessagePage('Payment already processed', 'This payment has already been decided.'));
    return redirectReply(returnUrl(order, outcome));
  }
}

/** Where the PSP sends the buyer back, with its transaction parameters added. */
function returnUrl(order: SandboxOrder, outcome: IntershopSandboxPspOutcome): string {
  const urls = order.redirect;
  if (!urls) throw new Error('a decided order has redirect URLs');
  const base = outcome === 'cancel' ? urls.cancelUrl : outcome === 'failure' ? urls.failureUrl : urls.successUrl;
  const target = new URL(base);
  target.searchParams.set('transactionID', order.payment.transactionId);
  target.searchParams.set('orderID', order.id);
  target.searchParams.set('paymentID', order.payment.id);
  target.searchParams.set('PaymentTransactionUUID', order.payment.transactionUuid);
  return target.toString();
}

export async function startIntershopSandbox(options: IntershopSandboxOptions = {}): Promise<IntershopSandbox> {
  const authToken = options.authToken ?? `icm_sandbox_${randomBytes(12).toString('hex')}`;
  const timers = new Timers();
  const baskets = new BasketBook();
  for (const spec of SEEDED_BASKETS) baskets.create(spec);
  const book = new OrderBook({ baskets, timers, now: options.now ?? (() => new Date()), notificationMs: options.notificationMs ?? 2000 });

  const faults = new FaultPlan(timers, {
    jsonContentType: 'application/vnd.intershop.order.v1+json;charset=UTF-8',
    errorBody: JSON.stringify({ errors: [{ code: 'internal.error', message: 'Internal error.', status: '503' }] }),
  });
  const running = await startSandboxServer(options, (origin) => new IntershopSandboxServer(origin, authToken, book, baskets, options.listPageSize ?? 10, options.seedMinimal ?? false), () => timers.close(), faults);
  const { url: origin, core } = running;

  return {
    url: core.restBase,
    origin,
    config: { url: core.restBase, authToken },
    setGatewayUrl: () => undefined,
    close: running.close,
    createBasket: (spec) => baskets.create(spec).id,
    getOrder: (id) => {
      const order = book.get(id);
      return order ? orderDocument(order, ALL_INCLUDES, core, 'continued') : undefined;
    },
    requests: () => core.log.map((entry) => ({ ...entry })),
    pauseNotifications: (paused) => book.pauseNotifications(paused),
    fault: (next, only) => core.fault(next, only),
    faults,
    setStatusWord: (orderId, word) => core.words.set(orderId, word),
  };
}

function withoutKey(record: Record<string, unknown>, key: string): Record<string, unknown> {
  const { [key]: _left, ...rest } = record;
  return rest;
}
