/**
 * An independent Payway (Adyen place order) written from the seed alone
 * (/work/shared/seeds/payway-adyen-place-order.txt) plus CONTRACT §8's two extra paths, NOT from
 * our sandbox: it shares none of the adapter's assumptions. What it assumes, and why:
 *
 * - Paths: `POST /external/api/v1/adyen/place_order` (seed) and
 *   `POST /external/api/v1/adyen/perform_additional_action` `{details, session_reference, origin}`
 *   (CONTRACT §8: "answers like place_order"). `GET .../payment_methods` (CONTRACT §8) is answered
 *   as Adyen answers payment methods (`{paymentMethods: [...]}`, no price) or 404 when
 *   `paymentMethods: 'absent'`. Every other path is 404: the seed shows no read-back of a purchase.
 * - Requests are checked against the seed's parameter table (required fields, sizes, regexes,
 *   country codes, browser_info types), with `Authorization: Bearer <token>` and a JSON body. With
 *   `strict` on, it also refuses what the table does not list (an unknown field, a `null` where a
 *   string is due, a body not labelled `application/json`): a faithful Payway may.
 * - Answers: each success is HTTP 200 `{item: {...}}` as the seed shows; the test picks the answer
 *   of each call (`answers`), and the shape knobs vary only what the seed leaves open: content type
 *   (none, `application/JSON` as the seed writes it), `message` left out, extra fields in `item`
 *   and next to it, field order reversed.
 * - Errors: `{code, field, message, correlation_id}` with any status between 400 and 500; the
 *   correlation id only for third-party errors (so often absent), `field` null for errors about no
 *   field, and maybe "additional data for troubleshooting".
 * - Events (`order_closed`, `payment_failure`): no document shows their body or signature. `event()`
 *   builds one of a few plausible bodies, and `sendEvent` signs it one of the common ways with the
 *   webhook secret the gateway is configured with (CONTRACT §6 names only the secret).
 */
import { createHmac, randomUUID } from 'node:crypto';
import { createServer, STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export const PLACE_ORDER = '/external/api/v1/adyen/place_order';
export const PERFORM_ACTION = '/external/api/v1/adyen/perform_additional_action';
export const PAYMENT_METHODS = '/external/api/v1/adyen/payment_methods';

/** One request the gateway sent, as this server saw it. */
export interface SeenRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  raw: string;
  body: any;
}

/** What this server answers to one call: a status, a JSON value (or raw text) and headers. */
export interface Answer {
  status: number;
  body: unknown;
  /** Undefined: `application/json`; null: no Content-Type at all. */
  contentType?: string | null;
  /** Other headers of the answer (a redirect's `Location`, round thirteen). */
  headers?: Record<string, string>;
  /** Runs before the answer is sent (e.g. an event that overtakes the answer). */
  before?: () => Promise<void>;
  /**
   * The purchase is made (the call counts in `requests`) but its answer never arrives: `reset`
   * closes the connection, `hang` keeps it open past any timeout (round two: lost answers).
   */
  lose?: 'reset' | 'hang';
  /**
   * The body as written, in place of `JSON.stringify(body)` (round seventeen: an id beyond 2^53
   * written as a JSON number, which JSON.stringify cannot write); `body` stays what it means.
   */
  text?: string;
}

/** The shape knobs for the three success answers (what the seed leaves open). */
export interface ItemShape {
  omitMessage?: boolean;
  /** Fields the seed does not show, added to `item`. */
  extraItem?: Record<string, unknown>;
  /** Fields added next to `item`. */
  extraTop?: Record<string, unknown>;
  /** Keys of `item` written in reverse order. */
  reverse?: boolean;
  contentType?: string | null;
  /** The status word as written (the seed writes them lower case with `_`). */
  statusWord?: string;
}

function item(fields: Record<string, unknown>, status: string, message: string, shape: ItemShape): Answer {
  let inner: Record<string, unknown> = { ...fields, ...(shape.omitMessage ? {} : { message }), status: shape.statusWord ?? status, ...shape.extraItem };
  if (shape.reverse) inner = Object.fromEntries(Object.entries(inner).reverse());
  return { status: 200, body: { ...shape.extraTop, item: inner }, contentType: shape.contentType };
}

/** The seed's "Purchase complete". */
export function complete(ids: { receiptId?: string; orderId?: string } = {}, shape: ItemShape = {}): Answer {
  return item(
    { receipt_id: ids.receiptId ?? hex24(), order_id: ids.orderId ?? `ADEPRIMO-${Math.floor(Math.random() * 1e6)}` },
    'complete',
    'The payment was successfully authorised.',
    shape,
  );
}

/** The seed's "Payment pending": no order id, no receipt. */
export function pending(shape: ItemShape = {}): Answer {
  return item({}, 'pending', "It's not possible to obtain the final status of the payment at this time.", shape);
}

/** The seed's "Action required"; `action` is Adyen's action object (the seed's one by default). */
export function actionRequired(sessionReference: string | null, action: Record<string, unknown> = {}, shape: ItemShape = {}): Answer {
  return item(
    {
      action: { paymentMethodType: 'scheme', token: 'eyJ0aHJlZURTTWV0aG9kTm90aWZpY...', type: 'threeDS2Fingerprint', ...action },
      ...(sessionReference === null ? {} : { session_reference: sessionReference }),
    },
    'action_required',
    'The issuer requires further shopper interaction before the payment can be authenticated. Returned for 3D Secure 2 transactions.',
    shape,
  );
}

/** The seed's error body: the status and which of the optional parts are there are the caller's. */
export function error(
  status: number,
  code: string,
  options: { field?: string | null; correlationId?: string; extra?: Record<string, unknown>; contentType?: string | null } = {},
): Answer {
  return {
    status,
    body: {
      code,
      ...(options.field === undefined ? {} : { field: options.field }),
      message: `error message for ${code}`,
      ...(options.correlationId ? { correlation_id: options.correlationId } : {}),
      ...options.extra,
    },
    contentType: options.contentType === undefined ? 'application/JSON' : options.contentType,
  };
}

/**
 * Payway turning a request away for now (round eighteen): `status` (429 from a rate limit, 503
 * in maintenance or overloaded, 408) with `Retry-After`, and with Payway's error body as the
 * seed says every error carries ("in every response"), or a proxy's own text (`body: 'proxy'`).
 * No purchase is placed: the call is seen but nothing is noted as done.
 */
export function turnedAway(status: number, options: { retryAfter?: string; body?: 'payway' | 'proxy'; correlationId?: string } = {}): Answer {
  const headers = { 'retry-after': options.retryAfter ?? '1' };
  if (options.body === 'proxy') return { status, body: `<html><body><h1>${status}</h1>Service temporarily unavailable</body></html>`, contentType: 'text/html', headers };
  const code = status === 429 ? 'too_many_requests' : status === 408 ? 'request_timeout' : 'service_unavailable';
  return { ...error(status, code, { field: null, ...(options.correlationId ? { correlationId: options.correlationId } : {}) }), headers };
}

/**
 * Payway's error body answered with HTTP 200 (round twenty-three): a framework that never sets a
 * status on an error it renders (a Rails `render json: error` without `status:`, a .NET action
 * returning `Ok(error)`, an API gateway mapping every integration answer to 200). The seed says an
 * error "will have an HTTP status code ranging between 400-500", and shows the body only. `wrap`
 * says where the message is: the seed's bare body, under `item` as the seed wraps its answers,
 * under `item` beside a status word of its own (`status: "error"`), under `error` beside
 * `success: false`, or as the first of `errors`.
 */
export function errorInOk(
  code: string,
  options: { field?: string | null; correlationId?: string; extra?: Record<string, unknown>; wrap?: 'bare' | 'item' | 'item-status' | 'success-false' | 'errors' } = {},
): Answer {
  const message = error(400, code, options).body as Record<string, unknown>;
  const wrap = options.wrap ?? 'bare';
  const body =
    wrap === 'bare'
      ? message
      : wrap === 'item'
        ? { item: message }
        : wrap === 'item-status'
          ? { item: { status: 'error', ...message } }
          : wrap === 'success-false'
            ? { success: false, error: message }
            : { errors: [message] };
  return { status: 200, body };
}

/**
 * `answer` with every string of 16 or more digits in its body written as a JSON number (round
 * seventeen): a Payway keeping its ids as a Java `Long` or a .NET `long` (order, receipt,
 * session, Adyen's pspReference) writes them so, and such a number beyond 2^53 is more than a
 * double holds. `body` keeps the strings, for this server's own bookkeeping.
 */
export function longIdsAsNumbers(answer: Answer): Answer {
  const text = typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body);
  return { ...answer, text: text.replace(/"(\d{16,})"/g, '$1') };
}

/**
 * `answer` with one member of its `item` written twice (round nineteen): `first` written first,
 * then the item as it is, whose own `name` comes later. Jackson writes a declared property and
 * the same key again from an `@JsonAnyGetter` map of fields passed through from Adyen
 * (Newtonsoft.Json's `[JsonExtensionData]` likewise; Ruby's JSON.generate a Hash holding both
 * `:status` and `"status"`). `body` stays the item as it is (what JSON.parse makes of the text),
 * for this server's bookkeeping.
 */
export function withMemberTwice(answer: Answer, name: string, first: unknown): Answer {
  const text = JSON.stringify(answer.body);
  if (!text.startsWith('{"item":{')) throw new Error('withMemberTwice: an answer whose text begins with its item');
  return { ...answer, text: `{"item":{${JSON.stringify(name)}:${JSON.stringify(first)},${text.slice('{"item":{'.length)}` };
}

/**
 * `answer` with the ids it leaves unset written as `text` (see `unsetWrittenAs`): in the item of
 * one of the seed's answers, `order_id`, `receipt_id` and `session_reference`; in an error body,
 * `field` and `correlation_id`. Other answers (and one given as `text`) stay as they are.
 */
export function withUnsetWrittenAs(answer: Answer, text: string): Answer {
  if (answer.text !== undefined || answer.body === null || typeof answer.body !== 'object' || Array.isArray(answer.body)) return answer;
  const body = answer.body as Record<string, unknown>;
  const inner = body.item as Record<string, unknown> | undefined;
  const unset = (object: Record<string, unknown>, names: string[]) => Object.fromEntries(names.filter((name) => object[name] == null).map((name) => [name, text]));
  if (inner && typeof inner === 'object' && typeof inner.status === 'string') return { ...answer, body: { ...body, item: { ...inner, ...unset(inner, ['order_id', 'receipt_id', 'session_reference']) } } };
  if (typeof body.code === 'string') return { ...answer, body: { ...body, ...unset(body, ['field', 'correlation_id']) } };
  return answer;
}

export function hex24(): string {
  return randomUUID().replace(/-/g, '').slice(0, 24);
}

export interface IndependentPaywayOptions {
  token: string;
  /** Refuse fields the table does not list, `null` values, and bodies not labelled JSON. */
  strict?: boolean;
  /** payment_methods: Adyen's shape (no price), 404, a 500 with Payway's error body, or an answer that takes `slowMs`. */
  paymentMethods?: 'adyen' | 'absent' | 'error500' | 'slow' | 'priced';
  slowMs?: number;
  /**
   * With `paymentMethods: 'priced'`: the period's price, answered as `{item: {amount: {currency,
   * value}}}` (the adapter's assumed shape, minor units) and for the period alone, whatever
   * `discount_code` the query carries: CONTRACT §8 lists payment_methods' query as period_id,
   * product_code and origin (round six).
   */
  periodPrice?: { currency: string; value: number };
  /**
   * With `paymentMethods: 'priced'`: the price's `value` as the JSON text writes it, in place of
   * `periodPrice.value` (round eight): a Payway that keeps prices in major units as floats writes a
   * whole price as `129.0` (Ruby's Float#to_json), which JSON readers take for the integer 129.
   */
  periodPriceText?: string;
  /**
   * return_url and origin checked with a URI regex (the seed: "uri regex that is too long to show
   * here"), as RFC 3986 writes a URI: ASCII only, no spaces, `%` followed by two hex digits
   * (round three). Without it any string `new URL` parses passes.
   */
  uriRegex?: boolean;
  /**
   * perform_additional_action's `details` checked as Adyen's /payments/details checks its own
   * `details` (Payway forwards it): a request-level field inside it (`details`, `paymentData`:
   * the drop-in's whole state.data sent as the details) is refused with Payway's error body, as
   * Adyen's third-party validation error relayed (round eight). Without it any object passes.
   */
  adyenDetails?: boolean;
  /**
   * perform_additional_action's `session_reference` must name a session this Payway opened (an
   * action_required, or a pending answer carrying an action), compared as the text it was given
   * out as; another is refused with Payway's error body (400 `invalid_session`), as a Payway
   * looking the session up refuses it (round seventeen). Without it any session passes.
   */
  sessionsChecked?: boolean;
  /**
   * Every answer says `Connection: close` and the connection is closed after it (round eighteen):
   * a front tier that keeps no connection alive (an old load balancer, a proxy in HTTP/1.0 mode).
   * The seed says nothing of connections. Without it Node's keep-alive default.
   */
  connectionClose?: boolean;
  /**
   * An interim (1xx) answer written before each place_order / perform_additional_action answer
   * (round nineteen): `continue`, a `100 Continue` the gateway did not ask for (no `Expect`), as
   * IIS / HTTP.sys and some proxies write to every POST while they read its body; `early-hints`,
   * a `103 Early Hints` with a `Link` (a CDN's front tier). The seed says nothing of them; RFC
   * 9110 §15.2: "A client MUST be able to parse one or more 1xx responses received prior to a
   * final response, even if the client does not expect one."
   */
  informational?: 'continue' | 'early-hints';
  /**
   * place_order and perform_additional_action answered as an HTTP/1.0 server answers (round
   * twenty-three): the status line says `HTTP/1.0`, there is no Content-Length and no chunking,
   * and the body ends where the server closes the connection (RFC 9112 §6.3, the last way a
   * message's length is known). An old front tier or a proxy in HTTP/1.0 mode writes so; the
   * seed says nothing of HTTP versions. Round eighteen's `connectionClose` kept HTTP/1.1 framing.
   */
  http10?: boolean;
  /**
   * Every id of a place_order / perform_additional_action answer this Payway has no value for
   * (`order_id`, `receipt_id`, `session_reference` of the seed's answers; an error's `field` and
   * `correlation_id`) written as this text rather than left out (round twenty-four): `"null"` as
   * Java's `String.valueOf(null)` or a JavaScript template writes it, `"None"` as Python's
   * `str(None)`, `"undefined"`, `"nil"`. The seed shows its ids only as values and says nothing of
   * how an unset one is written (round two tried `null` and `""`). What the answer means (this
   * server's bookkeeping of completions and sessions) is unchanged.
   */
  unsetWrittenAs?: string;
  /**
   * The currency of every amount this Payway answers (Adyen's `amount` in a place_order /
   * perform_additional_action answer, payment_methods' price) written otherwise than the
   * letters given (round twenty-seven): `numeric`, ISO 4217's numeric code as a JSON number (`752`
   * for SEK, `36` for AUD: a number keeps no leading zero); `numeric-text`, the same as three
   * digits (`"752"`, `"036"`); `lower`, the letters in lower case (`"sek"`). The seed shows no
   * amount at all, so nothing says how its currency is written; a Payway passing on an acquirer's
   * figure (ISO 8583's field 49 is the numeric code) writes it by number. What the answer means
   * (the amount charged) is unchanged.
   */
  currencyWrittenAs?: CurrencyWriting;
  /**
   * How place_order's "Size range" limits (merchant_reference ..1024, traffic_source ..100,
   * discount_code 1..100) count a string (round twenty-eight): `code-points`, as a Ruby Payway's
   * length validation does. Default: UTF-16 units, as every earlier round.
   */
  sizesCountedIn?: SizeUnit;
}

export interface IndependentPayway {
  readonly url: string;
  readonly requests: SeenRequest[];
  /**
   * Picks the answer of each place_order / perform_additional_action call that passed the
   * parameter checks. Default: complete.
   */
  answers: (request: SeenRequest) => Answer;
  options: IndependentPaywayOptions;
  /**
   * The purchases this Payway completed in its answers (a `complete` to place_order or
   * perform_additional_action, its answer sent or lost): each one's Payway order id (if it named
   * one) and merchant reference (if known), for the harness's money check.
   */
  readonly completed: { orderId?: string; reference?: string }[];
  to(path: string): SeenRequest[];
  close(): Promise<void>;
}

const TABLE_FIELDS = new Set([
  'payment_method', 'product_code', 'period_id', 'return_url', 'origin', 'traffic_source', 'subscription_start_date',
  'discount_code', 'merchant_reference', 'browser_info', 'delivery_address',
]);
const BROWSER_STRINGS = ['browser_ip', 'browser_language', 'browser_user_agent', 'referer', 'accept_header'];
const BROWSER_INTS = ['color_depth', 'screen_height', 'screen_width', 'time_zone_offset'];
const ADDRESS_REQUIRED = ['first_name', 'last_name', 'street', 'zip_code', 'city', 'country_code'];
const ADDRESS_OPTIONAL = ['street_number', 'floor', 'apartment_number', 'entrance', 'dropbox'];

/**
 * How the table's "Size range" counts a string (round twenty-eight): `utf16-units` as JavaScript's
 * `length`, Java's `String#length()` or .NET's `Length`; `code-points` as Ruby's `String#length`
 * (Rails' length validation) or Python's `len`. The seed says "Size range: ..1024" and no unit.
 */
export type SizeUnit = 'utf16-units' | 'code-points';
const sizeOf = (value: string, unit: SizeUnit): number => (unit === 'code-points' ? Array.from(value).length : value.length);

const isString = (value: unknown, max = Infinity, min = 0): value is string => typeof value === 'string' && value.length >= min && value.length <= max;
const isAbsoluteUri = (value: unknown): boolean => {
  if (!isString(value, 1024, 1)) return false;
  try {
    return Boolean(new URL(value).protocol);
  } catch {
    return false;
  }
};

/** RFC 3986's URI characters, as a URI regex (Ruby's URI::RFC3986_Parser, say) allows them. */
const RFC3986_URI = /^[A-Za-z][A-Za-z0-9+.-]*:(?:[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2})*$/;

/** The seed's parameter table, as a check: the first offending field, or null. */
export function placeOrderProblem(body: any, strict: boolean, uriRegex = false, _adyenDetails = false, sizesIn: SizeUnit = 'utf16-units'): string | null {
  const sized = (value: unknown, max: number, min = 0): boolean => typeof value === 'string' && sizeOf(value, sizesIn) >= min && sizeOf(value, sizesIn) <= max;
  if (!body || typeof body !== 'object') return 'body';
  if (strict) {
    for (const [key, value] of Object.entries(body)) {
      if (!TABLE_FIELDS.has(key)) return key;
      if (value === null) return key;
    }
  }
  if (!body.payment_method || typeof body.payment_method !== 'object') return 'payment_method';
  if (!isString(body.product_code, 50, 1) || !/^[a-zA-Z\-_0-9]+$/.test(body.product_code)) return 'product_code';
  if (!isString(body.period_id, 24) || !/^[a-f\d]{24}$/i.test(body.period_id)) return 'period_id';
  if (!isAbsoluteUri(body.return_url) || (uriRegex && !RFC3986_URI.test(body.return_url))) return 'return_url';
  if (!isAbsoluteUri(body.origin) || (uriRegex && !RFC3986_URI.test(body.origin))) return 'origin';
  if (body.traffic_source !== undefined && !sized(body.traffic_source, 100)) return 'traffic_source';
  if (body.subscription_start_date !== undefined && !(isString(body.subscription_start_date) && /^\d{4}-\d{2}-\d{2}$/.test(body.subscription_start_date))) return 'subscription_start_date';
  if (body.discount_code !== undefined && !sized(body.discount_code, 100, 1)) return 'discount_code';
  if (body.merchant_reference !== undefined && !sized(body.merchant_reference, 1024)) return 'merchant_reference';
  const browser = body.browser_info;
  if (!browser || typeof browser !== 'object') return 'browser_info';
  for (const key of BROWSER_STRINGS) if (!isString(browser[key], Infinity, 1)) return `browser_info.${key}`;
  for (const key of BROWSER_INTS) if (!Number.isInteger(browser[key])) return `browser_info.${key}`;
  if (typeof browser.java_enabled !== 'boolean') return 'browser_info.java_enabled';
  if (strict) for (const key of Object.keys(browser)) if (![...BROWSER_STRINGS, ...BROWSER_INTS, 'java_enabled'].includes(key)) return `browser_info.${key}`;
  const address = body.delivery_address;
  if (address !== undefined) {
    if (!address || typeof address !== 'object') return 'delivery_address';
    for (const key of ADDRESS_REQUIRED) if (!isString(address[key], Infinity, 1)) return `delivery_address.${key}`;
    if (!['SE', 'FI', 'AX'].includes(address.country_code)) return 'delivery_address.country_code';
    for (const key of ADDRESS_OPTIONAL) if (address[key] !== undefined && !isString(address[key])) return `delivery_address.${key}`;
    if (strict) for (const key of Object.keys(address)) if (![...ADDRESS_REQUIRED, ...ADDRESS_OPTIONAL].includes(key)) return `delivery_address.${key}`;
  }
  return null;
}

/** CONTRACT §8's perform_additional_action body `{details, session_reference, origin}`. */
export function performActionProblem(body: any, strict: boolean, _uriRegex = false, adyenDetails = false, _sizesIn: SizeUnit = 'utf16-units'): string | null {
  if (!body || typeof body !== 'object') return 'body';
  if (strict) for (const [key, value] of Object.entries(body)) if (!['details', 'session_reference', 'origin'].includes(key) || value === null) return key;
  if (!body.details || typeof body.details !== 'object') return 'details';
  if (adyenDetails && ('details' in body.details || 'paymentData' in body.details)) return 'details';
  if (!isString(body.session_reference, Infinity, 1)) return 'session_reference';
  if (!isAbsoluteUri(body.origin)) return 'origin';
  return null;
}

async function readAll(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function send(response: ServerResponse, answer: Answer): void {
  const text = answer.text ?? (typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body));
  const contentType = answer.contentType === undefined ? 'application/json' : answer.contentType;
  response.writeHead(answer.status, { ...answer.headers, ...(contentType === null ? {} : { 'content-type': contentType }) });
  response.end(text);
}

/** `answer` written on the socket as an HTTP/1.0 server writes it (see `http10`), then the connection closed. */
function sendAsHttp10(request: IncomingMessage, answer: Answer): void {
  const text = answer.text ?? (typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body));
  const contentType = answer.contentType === undefined ? 'application/json' : answer.contentType;
  const headers = { ...answer.headers, ...(contentType === null ? {} : { 'content-type': contentType }) };
  const head = [`HTTP/1.0 ${answer.status} ${STATUS_CODES[answer.status] ?? 'Unknown'}`, ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`)];
  request.socket.end(`${head.join('\r\n')}\r\n\r\n${text}`);
}

export async function startIndependentPayway(options: IndependentPaywayOptions): Promise<IndependentPayway> {
  const requests: SeenRequest[] = [];
  const completed: { orderId?: string; reference?: string }[] = [];
  // The merchant reference of each session an action_required answer opened.
  const sessions = new Map<string, string | undefined>();
  /** Notes what the answer to `seen` said Payway did (a completion, a session opened). */
  const note = (seen: SeenRequest, answer: Answer): void => {
    const itemOf = (answer.body as { item?: Record<string, unknown> } | null)?.item;
    // Any status below 500 (round thirteen: the seed's answers may come under a 4xx).
    if (answer.status < 200 || answer.status > 499 || !itemOf || typeof itemOf.status !== 'string') return;
    const reference = seen.path === PLACE_ORDER ? (seen.body?.merchant_reference as string | undefined) : sessions.get(String(seen.body?.session_reference));
    if (/^\s*complete\s*$/i.test(itemOf.status)) {
      const purchase = { ...(itemOf.order_id ? { orderId: String(itemOf.order_id) } : {}), ...(reference ? { reference } : {}) };
      completed.push(purchase);
      completedPurchases.push(purchase);
    }
    // A pending answer may open a session too (round thirteen: Adyen's Pending with an action).
    if (/^\s*action[_ ]?required\s*$/i.test(itemOf.status) || (/^\s*pending\s*$/i.test(itemOf.status) && itemOf.session_reference)) sessions.set(String(itemOf.session_reference ?? seen.body?.session_reference), reference);
  };
  const server: IndependentPayway = {
    url: '',
    requests,
    completed,
    answers: () => complete(),
    options,
    to: (path) => requests.filter((request) => request.path === path),
    close: () =>
      new Promise<void>((resolve) => {
        http.close(() => resolve());
        // A held (slow) answer would keep close() waiting for it.
        http.closeAllConnections();
      }),
  };
  const http = createServer(async (request, response) => {
    const url = new URL(request.url ?? '/', 'http://payway');
    const raw = await readAll(request);
    let body: unknown;
    try {
      body = raw ? JSON.parse(raw) : undefined;
    } catch {
      body = undefined;
    }
    const seen: SeenRequest = { method: request.method ?? '', path: url.pathname, query: url.searchParams, headers: request.headers, raw, body };
    requests.push(seen);
    try {
      if (request.headers.authorization !== `Bearer ${server.options.token}`) return send(response, error(401, 'unauthorized', { field: null }));
      if (request.method === 'GET' && url.pathname === PAYMENT_METHODS) {
        if (server.options.paymentMethods === 'absent') return send(response, { status: 404, body: 'Not Found', contentType: 'text/plain' });
        if (server.options.paymentMethods === 'error500') return send(response, error(500, 'third_party_error', { field: null, correlationId: 'adyen-down' }));
        if (server.options.paymentMethods === 'priced') {
          const price = server.options.periodPrice ?? { currency: 'SEK', value: 14_900 };
          const written = server.options.periodPriceText;
          const currency = server.options.currencyWrittenAs === undefined ? price.currency : currencyWritten(price.currency, server.options.currencyWrittenAs);
          return send(response, { status: 200, body: written === undefined ? { item: { amount: { ...price, currency } } } : `{"item":{"amount":{"currency":${JSON.stringify(currency)},"value":${written}}}}` });
        }
        if (server.options.paymentMethods === 'slow') await new Promise((resolve) => setTimeout(resolve, server.options.slowMs ?? 5000));
        return send(response, { status: 200, body: { paymentMethods: [{ name: 'Cards', type: 'scheme', brands: ['visa', 'mc'] }] } });
      }
      const check = url.pathname === PLACE_ORDER ? placeOrderProblem : url.pathname === PERFORM_ACTION ? performActionProblem : null;
      if (request.method !== 'POST' || !check) return send(response, { status: 404, body: 'Not Found', contentType: 'text/plain' });
      if (server.options.strict && !/^application\/json\b/i.test(request.headers['content-type'] ?? '')) {
        return send(response, error(415, 'unsupported_media_type', { field: null }));
      }
      const problem = check(body, Boolean(server.options.strict), Boolean(server.options.uriRegex), Boolean(server.options.adyenDetails), server.options.sizesCountedIn);
      if (problem) return send(response, error(400, 'invalid_parameter', { field: problem }));
      if (server.options.sessionsChecked && url.pathname === PERFORM_ACTION && !sessions.has(String((body as { session_reference?: unknown }).session_reference))) {
        return send(response, error(400, 'invalid_session', { field: 'session_reference' }));
      }
      const meant = server.answers(seen);
      note(seen, meant);
      const unset = server.options.unsetWrittenAs === undefined ? meant : withUnsetWrittenAs(meant, server.options.unsetWrittenAs);
      const answer = server.options.currencyWrittenAs === undefined ? unset : withCurrencyWrittenAs(unset, server.options.currencyWrittenAs);
      await answer.before?.();
      if (answer.lose === 'reset') return void request.socket.destroy();
      if (answer.lose === 'hang') return;
      if (server.options.connectionClose) response.shouldKeepAlive = false;
      if (server.options.informational === 'continue') response.writeContinue();
      if (server.options.informational === 'early-hints') response.writeEarlyHints({ link: '</checkout.css>; rel=preload; as=style' });
      if (server.options.http10) return sendAsHttp10(request, answer);
      send(response, answer);
    } catch (failure) {
      send(response, { status: 500, body: `independent server failed: ${String(failure)}`, contentType: 'text/plain' });
    }
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  (server as { url: string }).url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  return server;
}

/**
 * Every event body sent to a gateway from this test file (a module per file): what Payway told
 * the gateway, for the harness's money check (an order_closed may settle a purchase no answer
 * completed: a pending one).
 */
export const sentEvents: string[] = [];

/** What `completed` holds, for every independent Payway this test file started. */
export const completedPurchases: { orderId?: string; reference?: string }[] = [];

/**
 * The ways an event may prove it knows the webhook secret (no document names one). Round sixteen
 * adds other HMAC digests and other ways of carrying the secret itself (SecretProof).
 */
export type EventSigning = 'hmac-hex' | 'hmac-base64-timestamped' | 'bearer-secret' | 'none' | 'wrong-secret' | `hmac-hex-timestamped-${SigningTimeFormat}` | SecretProof | StandardWebhooksSigning;

/**
 * Round twenty-five: Standard Webhooks (`webhook-id`, `webhook-timestamp`, `webhook-signature:
 * v1,<base64>` of "<id>.<timestamp>.<body>"). `standard-webhooks`: the timestamp in seconds, as
 * the specification writes it; `standard-webhooks-millis`: in milliseconds (a JavaScript sender
 * writing `Date.now()`); `standard-webhooks-millis-replayed`: milliseconds of ten minutes ago.
 */
export type StandardWebhooksSigning = 'standard-webhooks' | 'standard-webhooks-millis' | 'standard-webhooks-millis-replayed';

/**
 * Round sixteen: proofs of the secret no earlier round sent. `sha512-hex`: an HMAC-SHA512 of the
 * body, hex, in `X-Signature` (Ruby's `OpenSSL::HMAC.hexdigest('SHA512', ...)`);
 * `sha512-base64-timestamped`: the same of "<timestamp>.<body>" in base64 with
 * `X-Payway-Timestamp`; `sha1-prefixed`: `X-Hub-Signature: sha1=<hex>` (GitHub's older header,
 * which many senders copied); `rails-token`: Rails' own token scheme,
 * `Authorization: Token token="<secret>"` (ActionController::HttpAuthentication::Token);
 * `token-bare`: `Authorization: Token <secret>`; `basic-secret-user`: the secret as Basic's
 * user name with no password, what an HTTP client sends for a URL configured as
 * `https://<secret>@gateway/webhooks/payway`; `authorization-secret`: `Authorization: <secret>`
 * as a sender's "authorization header value" setting writes it.
 */
export type SecretProof = 'sha512-hex' | 'sha512-base64-timestamped' | 'sha1-prefixed' | 'rails-token' | 'token-bare' | 'basic-secret-user' | 'authorization-secret';

/**
 * How a timed signature's signing time is written (round twelve), in `X-Payway-Timestamp` and in
 * the signed "<timestamp>.<raw body>": no document names the scheme, let alone the time's format.
 * `ruby`: Ruby's Time#to_s in UTC ("2026-12-06 11:38:15 UTC"), what a Rails Payway interpolates
 * a Time as; `ruby-offset`: the same with its offset ("2026-12-06 12:38:15 +0100"); `http-date`:
 * an HTTP date ("Sun, 06 Dec 2026 11:38:15 GMT"); `float`: Unix seconds with a fraction
 * (Ruby's Time#to_f, "1796557095.123456").
 */
export type SigningTimeFormat = 'ruby' | 'ruby-offset' | 'http-date' | 'float' | ZonelessSigningTime | SigningTimeFormat25 | SigningTimeFormat26;

/**
 * Round twenty-six: C's asctime, no zone, the day padded with a space. `asctime-utc`: RFC 9110's
 * third HTTP date form (GMT), or Ruby's Time#ctime / Python's time.ctime() on a server kept in UTC
 * ("Mon Dec  7 07:45:12 2026"); `asctime-stockholm`: the same of Stockholm's wall clock (a server
 * in Payway's own zone); `asctime-replayed`: `asctime-utc` of ten minutes ago.
 */
export type SigningTimeFormat26 = 'asctime-utc' | 'asctime-stockholm' | 'asctime-replayed';

/** `at` as C's asctime writes `zone`'s wall clock: "Mon Dec  7 07:45:12 2026". */
export function asctime(at: Date, zone = 'UTC'): string {
  const wall = wallClock(zone, at);
  const [year, month, day] = wall.date.split('-').map(Number) as [number, number, number];
  const weekday = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'][new Date(Date.UTC(year, month - 1, day)).getUTCDay()];
  const monthName = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][month - 1];
  return `${weekday} ${monthName} ${String(day).padStart(2, ' ')} ${wall.time} ${year}`;
}

/**
 * Round twenty-five: signing times as other stacks write them. `micros`: Unix microseconds (16
 * digits: Go's `time.Now().UnixMicro()`); `nanos`: Unix nanoseconds (19 digits: Go's
 * `UnixNano()`, Python's `time.time_ns()`); `rfc2822`: RFC 5322's date with a numeric zone (Ruby's
 * `Time#rfc2822` on a server in Stockholm, PHP's `date(DATE_RFC2822)`, "Mon, 07 Dec 2026 08:45:12
 * +0100"); `rfc2822-utc`: Python's `email.utils.formatdate()` ("Mon, 07 Dec 2026 07:45:12
 * -0000"); `postgres`: PostgreSQL's `timestamptz` as text in a Stockholm session ("2026-12-07
 * 08:45:12.123456+01", an offset of hours alone); `java-zoned`: Java's `ZonedDateTime.toString()`
 * ("2026-12-07T08:45:12.123+01:00[Europe/Stockholm]"); `iso-comma`: ISO 8601 with the comma
 * before the fraction, as GNU `date --iso-8601=ns` writes it ("2026-12-07T08:45:12,123456789+01:00");
 * `rfc2822-replayed`: `rfc2822` of ten minutes ago.
 */
export type SigningTimeFormat25 = 'micros' | 'nanos' | 'rfc2822' | 'rfc2822-utc' | 'postgres' | 'java-zoned' | 'iso-comma' | 'rfc2822-replayed';

/**
 * Round nineteen: a signing time written as a wall clock without its zone, in Payway's own region
 * (the seed's Payway is Swedish; its addresses are SE, FI or AX). `stockholm-local`: Java's
 * `LocalDateTime.now().toString()` in a JVM on Europe/Stockholm (`2026-12-07T07:45:12.123`);
 * `helsinki-sql`: a SQL `Timestamp#toString` on Europe/Helsinki (`2026-12-07 08:45:12.0`);
 * `stockholm-local-replayed`: Stockholm's wall clock of 90 minutes ago (a replay, in no zone's
 * reading within five minutes of now).
 */
export type ZonelessSigningTime = 'stockholm-local' | 'helsinki-sql' | 'stockholm-local-replayed';

/** The wall clock of `zone` at `at`, as `YYYY-MM-DD`, `HH:MM:SS` (DST as the zone has it). */
export function wallClock(zone: string, at: Date): { date: string; time: string } {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' })
      .formatToParts(at)
      .map((part) => [part.type, part.value]),
  );
  return { date: `${parts['year']}-${parts['month']}-${parts['day']}`, time: `${parts['hour']}:${parts['minute']}:${parts['second']}` };
}

export function writtenSigningTime(format: SigningTimeFormat, at = new Date()): string {
  if (format === 'stockholm-local' || format === 'stockholm-local-replayed') {
    const wall = wallClock('Europe/Stockholm', format === 'stockholm-local' ? at : new Date(at.getTime() - 90 * 60_000));
    return `${wall.date}T${wall.time}.${String(at.getTime() % 1000).padStart(3, '0')}`;
  }
  if (format === 'helsinki-sql') {
    const wall = wallClock('Europe/Helsinki', at);
    return `${wall.date} ${wall.time}.0`;
  }
  const pad = (n: number) => String(n).padStart(2, '0');
  const utc = (date: Date) => `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())} ${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}`;
  if (format === 'asctime-utc') return asctime(at);
  if (format === 'asctime-stockholm') return asctime(at, 'Europe/Stockholm');
  if (format === 'asctime-replayed') return asctime(new Date(at.getTime() - 10 * 60_000));
  const written25 = writtenSigningTime25(format, at);
  if (written25 !== undefined) return written25;
  if (format === 'ruby') return `${utc(at)} UTC`;
  if (format === 'ruby-offset') return `${utc(new Date(at.getTime() + 3_600_000))} +0100`;
  if (format === 'http-date') return at.toUTCString();
  return `${Math.floor(at.getTime() / 1000)}.${String(at.getTime() % 1000).padStart(3, '0')}456`;
}

/** Round twenty-five's signing times (SigningTimeFormat25), else undefined. */
function writtenSigningTime25(format: SigningTimeFormat, at: Date): string | undefined {
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  const millis = at.getTime();
  // Stockholm's wall clock and its offset at `at` (DST as the zone has it).
  const wall = wallClock('Europe/Stockholm', at);
  const offsetHours = Math.round((Date.parse(`${wall.date}T${wall.time}Z`) - Math.floor(millis / 1000) * 1000) / 3_600_000);
  const offset = `${offsetHours >= 0 ? '+' : '-'}${pad(Math.abs(offsetHours))}`;
  const fraction = pad(millis % 1000, 3);
  const rfc2822 = (when: Date) => {
    const w = wallClock('Europe/Stockholm', when);
    const [year, month, day] = w.date.split('-').map(Number) as [number, number, number];
    const weekday = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'][new Date(Date.UTC(year, month - 1, day)).getUTCDay()];
    const monthName = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][month - 1];
    return `${weekday}, ${pad(day)} ${monthName} ${year} ${w.time} ${offset}00`;
  };
  switch (format) {
    case 'micros':
      return `${millis}${pad(Math.floor(Math.random() * 1000), 3)}`;
    case 'nanos':
      return `${millis}${pad(Math.floor(Math.random() * 1e6), 6)}`;
    case 'rfc2822':
      return rfc2822(at);
    case 'rfc2822-replayed':
      return rfc2822(new Date(millis - 10 * 60_000));
    case 'rfc2822-utc':
      return at.toUTCString().replace(/GMT$/, '-0000');
    case 'postgres':
      return `${wall.date} ${wall.time}.${fraction}456${offset}`;
    case 'java-zoned':
      return `${wall.date}T${wall.time}.${fraction}${offset}:00[Europe/Stockholm]`;
    case 'iso-comma':
      return `${wall.date}T${wall.time},${fraction}456789${offset}:00`;
    default:
      return undefined;
  }
}

/**
 * Posts a purchase event to the gateway as Payway might (the body is the caller's; see `eventBody`),
 * labelled `contentType` (null: unlabelled). Answers the gateway's HTTP status.
 */
export async function sendEvent(gatewayUrl: string, body: unknown, secret: string, signing: EventSigning, contentType: string | null = 'application/json'): Promise<number> {
  return sendRawEvent(gatewayUrl, JSON.stringify(body), secret, signing, contentType);
}

/** An event's body as given (a form, say: round four), signed and labelled like sendEvent's. */
export async function sendRawEvent(
  gatewayUrl: string,
  raw: string,
  secret: string,
  signing: EventSigning,
  contentType: string | null,
  extraHeaders: Record<string, string> = {},
): Promise<number> {
  return sendEventSignedOver(gatewayUrl, raw, raw, secret, signing, contentType, extraHeaders);
}

/**
 * Posts `raw` signed as if it were `signedText` (round sixteen): a sender that signs one
 * serialisation of the event and posts another. A Rails Payway that signs `payload.to_json`
 * (ActiveSupport, which escapes `&`, `<` and `>` as `\u0026`, `\u003c`, `\u003e`) and posts the
 * payload through a JSON middleware writing `JSON.generate` (which does not), or the other way
 * round: the two texts differ only where a string holds one of those characters, such as a
 * merchant reference that is "an url" (seed) with a query string.
 */
export async function sendEventSignedOver(
  gatewayUrl: string,
  raw: string,
  signedText: string,
  secret: string,
  signing: EventSigning,
  contentType: string | null,
  extraHeaders: Record<string, string> = {},
): Promise<number> {
  sentEvents.push(raw);
  const headers: Record<string, string> = { ...extraHeaders, ...(contentType === null ? {} : { 'content-type': contentType }), ...secretProofHeaders(signedText, secret, signing) };
  // A Buffer body, since fetch labels a string body text/plain on its own.
  const response = await fetch(`${gatewayUrl}/webhooks/payway`, { method: 'POST', headers, body: Buffer.from(raw) });
  await response.text();
  return response.status;
}

/** The headers by which `signing` proves the secret for an event whose signed text is `raw`. */
function secretProofHeaders(raw: string | Buffer, secret: string, signing: EventSigning): Record<string, string> {
  const headers: Record<string, string> = {};
  const key = signing === 'wrong-secret' ? `${secret}-not` : secret;
  if (signing === 'hmac-hex' || signing === 'wrong-secret') headers['x-signature'] = createHmac('sha256', key).update(raw).digest('hex');
  if (signing === 'hmac-base64-timestamped') {
    const timestamp = String(Math.floor(Date.now() / 1000));
    headers['x-payway-timestamp'] = timestamp;
    headers['x-payway-signature'] = createHmac('sha256', key).update(`${timestamp}.`).update(raw).digest('base64');
  }
  if (signing.startsWith('hmac-hex-timestamped-')) {
    const timestamp = writtenSigningTime(signing.slice('hmac-hex-timestamped-'.length) as SigningTimeFormat);
    headers['x-payway-timestamp'] = timestamp;
    headers['x-payway-signature'] = `sha256=${createHmac('sha256', key).update(`${timestamp}.`).update(raw).digest('hex')}`;
  }
  if (signing.startsWith('standard-webhooks')) {
    const millis = Date.now() - (signing === 'standard-webhooks-millis-replayed' ? 10 * 60_000 : 0);
    const timestamp = signing === 'standard-webhooks' ? String(Math.floor(millis / 1000)) : String(millis);
    const id = `msg_${randomUUID().replace(/-/g, '')}`;
    headers['webhook-id'] = id;
    headers['webhook-timestamp'] = timestamp;
    headers['webhook-signature'] = `v1,${createHmac('sha256', key).update(`${id}.${timestamp}.`).update(raw).digest('base64')}`;
  }
  if (signing === 'bearer-secret') headers['authorization'] = `Bearer ${key}`;
  if (signing === 'sha512-hex') headers['x-signature'] = createHmac('sha512', key).update(raw).digest('hex');
  if (signing === 'sha512-base64-timestamped') {
    const timestamp = String(Math.floor(Date.now() / 1000));
    headers['x-payway-timestamp'] = timestamp;
    headers['x-payway-signature'] = createHmac('sha512', key).update(`${timestamp}.`).update(raw).digest('base64');
  }
  if (signing === 'sha1-prefixed') headers['x-hub-signature'] = `sha1=${createHmac('sha1', key).update(raw).digest('hex')}`;
  if (signing === 'rails-token') headers['authorization'] = `Token token="${key}"`;
  if (signing === 'token-bare') headers['authorization'] = `Token ${key}`;
  if (signing === 'basic-secret-user') headers['authorization'] = `Basic ${Buffer.from(`${key}:`).toString('base64')}`;
  if (signing === 'authorization-secret') headers['authorization'] = key;
  return headers;
}

/**
 * Posts an event's bytes as given (round seventeen: a body in another charset than UTF-8, named by
 * `contentType`'s `charset`, as Apache HttpClient's `new StringEntity(json)` posts it,
 * `text/plain; charset=ISO-8859-1`), signed over `signed` (the bytes posted by default); `text`
 * is what the bytes say, for the harness's money check; `extraHeaders` such as a
 * `Content-Encoding` the bytes are in (round seventeen: an HTTP client compressing what it posts).
 */
export async function sendEventBytes(
  gatewayUrl: string,
  bytes: Buffer,
  text: string,
  secret: string,
  signing: EventSigning,
  contentType: string | null,
  signed: Buffer | string = bytes,
  extraHeaders: Record<string, string> = {},
): Promise<number> {
  sentEvents.push(text);
  const headers: Record<string, string> = { ...extraHeaders, ...(contentType === null ? {} : { 'content-type': contentType }), ...secretProofHeaders(signed, secret, signing) };
  const response = await fetch(`${gatewayUrl}/webhooks/payway`, { method: 'POST', headers, body: new Uint8Array(bytes) });
  await response.text();
  return response.status;
}

/**
 * `value` as a JSON writer that escapes every character outside ASCII writes it (round
 * seventeen): Python's `json.dumps` (ensure_ascii), Ruby's `JSON.generate(..., ascii_only: true)`
 * with `\u00e5` in lower case, Jackson's ESCAPE_NON_ASCII with `\u00E5` in upper case.
 */
export function asciiJson(value: unknown, hex: 'lower' | 'upper' = 'lower'): string {
  return JSON.stringify(value).replace(/[\u0080-\uffff]/g, (char) => {
    const code = char.charCodeAt(0).toString(16).padStart(4, '0');
    return `\\u${hex === 'upper' ? code.toUpperCase() : code}`;
  });
}

/**
 * `value` as PHP's `json_encode` writes it by default: `/` as `\\/`, every character outside
 * ASCII as a lower-case `\\u` escape (round seventeen).
 */
export function phpJson(value: unknown): string {
  return asciiJson(value).replace(/\//g, '\\/');
}

/**
 * `value` as Gson writes it by default (HTML-safe): `<`, `>`, `&`, `=` and `'` inside strings as
 * `\u003c`, `\u003e`, `\u0026`, `\u003d`, `\u0027` (round seventeen: a Java Payway).
 */
export function gsonJson(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&='\u2028\u2029]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * `value` as ActiveSupport's `to_json` writes it (Rails' default `escape_html_entities_in_json`):
 * `&`, `<`, `>` and U+2028 / U+2029 inside strings as `\u` escapes (round sixteen).
 */
export function railsJson(value: unknown): string {
  return JSON.stringify(value).replace(/[&<>\u2028\u2029]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * Event bodies a Payway may send: the seed names the events, not their shape. `in-item` wraps
 * the whole event, its name too, in `item` as the seed wraps every answer; `in-data` in `data`
 * with the name as its `type`; `data-object` as Stripe's events, the purchase under `data.object`
 * (round four).
 */
export type EventShape = 'flat' | 'nested-data' | 'item-like' | 'in-item' | 'in-data' | 'data-object';

export function eventBody(
  name: 'order_closed' | 'payment_failure',
  facts: { merchantReference: string; orderId?: string; receiptId?: string },
  shape: EventShape,
): unknown {
  const purchase = {
    merchant_reference: facts.merchantReference,
    ...(facts.orderId ? { order_id: facts.orderId } : {}),
    ...(facts.receiptId ? { receipt_id: facts.receiptId } : {}),
  };
  if (shape === 'flat') return { event: name, ...purchase, occurred_at: new Date().toISOString() };
  if (shape === 'nested-data') return { id: randomUUID(), event_type: name, created: Math.floor(Date.now() / 1000), data: purchase };
  if (shape === 'in-item') return { item: { event: name, ...purchase, message: name === 'order_closed' ? 'The order was closed.' : 'The payment failed.' } };
  if (shape === 'data-object') return { id: `evt_${randomUUID()}`, object: 'event', type: name, created: Math.floor(Date.now() / 1000), data: { object: purchase } };
  if (shape === 'in-data') return { data: { id: randomUUID(), type: name, created_at: new Date().toISOString(), ...purchase } };
  return { event: name, item: { ...purchase, status: name === 'order_closed' ? 'complete' : 'failed' } };
}

/**
 * Where a delivery of several events puts them (round twelve): `array` is the JSON array itself
 * (round two); `items` the list as Payway's API answers a list (the seed wraps one answer in
 * `item`), with a `meta` beside it; `events` and `data` as other senders name a batch.
 */
export type EventBatch = 'array' | 'items' | 'events' | 'data';

export function eventBatch(events: unknown[], batch: EventBatch): unknown {
  if (batch === 'array') return events;
  if (batch === 'items') return { items: events, meta: { count: events.length, page: 1 } };
  if (batch === 'events') return { delivery_id: randomUUID(), events };
  return { object: 'list', data: events };
}

/**
 * Sends Adyen's notification `body` (adyenNotification) as JSON to the gateway's Payway webhook,
 * proved the way Adyen proves its notifications by default: Basic authentication whose password
 * is the secret; its status.
 */
export function sendAdyenNotification(gatewayUrl: string, body: unknown, secret: string): Promise<number> {
  const basic = `Basic ${Buffer.from(`adyen-notifications:${secret}`).toString('base64')}`;
  return sendRawEvent(gatewayUrl, JSON.stringify(body), secret, 'none', 'application/json', { authorization: basic });
}

/**
 * Adyen's standard notification (round fourteen): `{live, notificationItems: [{NotificationRequestItem:
 * {eventCode, success, merchantReference, pspReference, amount, reason, ...}}]}`, with `success`
 * written as Adyen writes it (the string "true" / "false"). The seed says Payway "will receive a
 * callback" for a pending payment: a Payway may pass Adyen's notification on to the merchant as it
 * came, Adyen's merchantReference being the merchant_reference the purchase was placed under.
 */
/**
 * How a Payway or Adyen may write "the first 80 characters" of a longer reference in Adyen's
 * notification (round twenty-eight): `utf16-units` (Java's `substring(0, 80)`: a pair may be cut
 * in two, its lone half then written as the JSON escape, as U+FFFD, as `?`, or left out) or
 * `code-points` (Ruby's `reference[0, 80]`).
 */
export type AdyenCut = 'utf16-units' | 'utf16-replaced' | 'utf16-question-mark' | 'utf16-dropped' | 'code-points';
export function adyenCutOf(reference: string, cut: AdyenCut = 'utf16-units'): string {
  if (cut === 'code-points') return Array.from(reference).slice(0, 80).join('');
  const units = reference.slice(0, 80);
  const lone = /[\uD800-\uDBFF]$/.test(units);
  if (!lone || cut === 'utf16-units') return units;
  return units.slice(0, -1) + (cut === 'utf16-replaced' ? '\uFFFD' : cut === 'utf16-question-mark' ? '?' : '');
}

export function adyenNotification(items: { eventCode: string; success: boolean | string; merchantReference: string; value?: number; currency?: string | number; reason?: string }[]): unknown {
  return {
    live: 'false',
    notificationItems: items.map((entry) => ({
      NotificationRequestItem: {
        additionalData: { hmacSignature: 'not-checked-by-the-gateway' },
        amount: { currency: entry.currency ?? 'SEK', value: entry.value ?? 14_900 },
        eventCode: entry.eventCode,
        eventDate: new Date().toISOString(),
        merchantAccountCode: 'AdeprimoECOM',
        merchantReference: entry.merchantReference,
        pspReference: `${Math.floor(Math.random() * 1e15)}`.padStart(16, '8'),
        reason: entry.reason ?? (String(entry.success) === 'true' ? '034021:1111:03/2030' : 'Refused'),
        success: typeof entry.success === 'string' ? entry.success : String(entry.success),
      },
    })),
  };
}

/**
 * `notification` (adyenNotification's) with each item signed the way Adyen signs one (round
 * fourteen): `additionalData.hmacSignature`, the base64 HMAC-SHA256 of
 * "pspReference:originalReference:merchantAccountCode:merchantReference:value:currency:eventCode:success",
 * keyed by `key` hex-decoded when it is hex (Adyen's HMAC keys), else by its bytes.
 */
export function adyenSigned(notification: unknown, key: string): unknown {
  const bytes = /^(?:[0-9a-f]{2})+$/i.test(key) ? Buffer.from(key, 'hex') : Buffer.from(key, 'utf8');
  const { notificationItems, ...rest } = notification as { notificationItems: { NotificationRequestItem: Record<string, any> }[] };
  return {
    ...rest,
    notificationItems: notificationItems.map(({ NotificationRequestItem: item }) => {
      const signed = [item.pspReference, item.originalReference, item.merchantAccountCode, item.merchantReference, item.amount?.value, item.amount?.currency, item.eventCode, item.success].map((value) => (value === undefined ? '' : String(value))).join(':');
      return { NotificationRequestItem: { ...item, additionalData: { ...item.additionalData, hmacSignature: createHmac('sha256', bytes).update(signed, 'utf8').digest('base64') } } };
    }),
  };
}

/**
 * How a JWT event's time claims are written (round twenty-one): no document names the signing
 * scheme, and a JWT signed with the secret is one the gateway takes. A Payway signing JWTs
 * writes its own clock into them, which need not be the gateway's:
 * - `aheadSeconds`: Payway's clock ahead of the gateway's (its `iat` and `nbf` are its now);
 * - `expiresInSeconds`: `exp` that far after Payway's now (Ruby's jwt examples use 60 s; none: no `exp`);
 * - `queuedSeconds`: the token signed that long before it is posted (a delivery that waited in
 *   Payway's queue, or a redelivery of the token as first signed);
 * - `numericDate`: `number` as RFC 7519's NumericDate; `string` its digits as a JSON string (a
 *   payload built by hand: `exp: expiry.to_s`); `millis` milliseconds (`Date.now()` in a JS signer).
 */
export interface JwtTimes {
  aheadSeconds?: number;
  expiresInSeconds?: number;
  queuedSeconds?: number;
  notBefore?: boolean;
  numericDate?: 'number' | 'string' | 'millis';
}

/** `claims` (the event) as a compact HS256 JWT signed with `secret`, its time claims written as `times` says. */
export function jwtEvent(claims: Record<string, unknown>, secret: string, times: JwtTimes = {}): string {
  const paywayNow = Date.now() / 1000 + (times.aheadSeconds ?? 0) - (times.queuedSeconds ?? 0);
  const written = (seconds: number): number | string => {
    const whole = Math.floor(seconds);
    if (times.numericDate === 'string') return String(whole);
    if (times.numericDate === 'millis') return Math.floor(seconds * 1000);
    return whole;
  };
  const payload = {
    ...claims,
    iat: written(paywayNow),
    ...(times.notBefore === false ? {} : { nbf: written(paywayNow) }),
    ...(times.expiresInSeconds === undefined ? {} : { exp: written(paywayNow + times.expiresInSeconds) }),
  };
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const signed = `${part({ alg: 'HS256', typ: 'JWT' })}.${part(payload)}`;
  return `${signed}.${createHmac('sha256', secret).update(signed).digest('base64url')}`;
}

/**
 * Posts `raw` with its HMAC-SHA256 signature header written once per key (round twenty-one): a
 * Payway rotating the webhook secret signs with the old key and the new one for a while and adds
 * one `X-Payway-Signature` line per key (Ruby Net::HTTP's `add_field`, a header list in Java's
 * HttpClient), `sha256=<hex>` each, timed (`X-Payway-Timestamp`) or not. RFC 9110 §5.3: a
 * recipient may combine the lines into one, comma-separated (Node does so for such a header).
 * Sent with node:http so that the lines really are separate on the wire.
 */
export async function sendEventSignedByKeys(gatewayUrl: string, raw: string, keys: string[], options: { timed?: boolean; oneLine?: boolean; staleBy?: number } = {}): Promise<number> {
  sentEvents.push(raw);
  // `staleBy`: signed that many seconds ago (a replay).
  const timestamp = String(Math.floor(Date.now() / 1000) - (options.staleBy ?? 0));
  const signatures = keys.map((key) => `sha256=${createHmac('sha256', key).update(options.timed ? `${timestamp}.` : '').update(raw).digest('hex')}`);
  const headers: Record<string, string | string[]> = {
    'content-type': 'application/json',
    'x-payway-signature': options.oneLine ? signatures.join(', ') : signatures,
    ...(options.timed ? { 'x-payway-timestamp': timestamp } : {}),
  };
  const { request } = await import('node:http');
  return new Promise<number>((resolve, reject) => {
    const sent = request(`${gatewayUrl}/webhooks/payway`, { method: 'POST', headers }, (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode ?? 0));
    });
    sent.on('error', reject);
    sent.end(raw);
  });
}

/**
 * A merchant reference as a Payway that normalises what it keeps echoes it (round twenty-six):
 * `NFD` as macOS's file system, a Java `Normalizer.normalize(s, NFD)` or a decomposing collation
 * writes it (`å` as `a` + U+030A), `NFC` composed. The seed's merchant_reference is any String.
 */
export const echoedReference = (reference: string, form: 'NFC' | 'NFD'): string => reference.normalize(form);

/**
 * Posts `raw` with header lines as given (round twenty-six): a name may come twice, e.g. two
 * `Content-Type` lines (a framework's default beside the one the code set, or a proxy adding its
 * own). Sent with node:http so that both lines are on the wire; signed with an HMAC-SHA256 hex of
 * the body in `X-Signature` unless `lines` says otherwise. Answers the gateway's status.
 */
export async function sendEventWithLines(gatewayUrl: string, raw: string | Buffer, text: string, secret: string, lines: Record<string, string | string[]>): Promise<number> {
  sentEvents.push(text);
  const headers: Record<string, string | string[]> = { 'x-signature': createHmac('sha256', secret).update(raw).digest('hex'), ...lines };
  const { request } = await import('node:http');
  return new Promise<number>((resolve, reject) => {
    const sent = request(`${gatewayUrl}/webhooks/payway`, { method: 'POST', headers }, (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode ?? 0));
    });
    sent.on('error', reject);
    sent.end(raw);
  });
}

/** How `currencyWrittenAs` writes a currency (round twenty-seven). */
export type CurrencyWriting = 'numeric' | 'numeric-text' | 'lower';
/** ISO 4217's numeric codes of the letter codes these tests use. */
const ISO_NUMERIC: Record<string, string> = { SEK: '752', EUR: '978', NOK: '578', DKK: '208', AUD: '036', USD: '840' };

/** `currency` (letters) as `writing` writes it. */
export function currencyWritten(currency: string, writing: CurrencyWriting): string | number {
  if (writing === 'lower') return currency.toLowerCase();
  const digits = ISO_NUMERIC[currency.toUpperCase()];
  if (digits === undefined) throw new Error(`no numeric code known here for ${currency}`);
  return writing === 'numeric' ? Number(digits) : digits;
}

/** `answer` with the currency of the `amount` in its item written as `writing` (see `currencyWrittenAs`). */
export function withCurrencyWrittenAs(answer: Answer, writing: CurrencyWriting): Answer {
  const body = answer.body as { item?: { amount?: { currency?: unknown } } } | null;
  const item = body?.item;
  const amount = item?.amount;
  if (answer.text !== undefined || !body || !item || !amount || typeof amount.currency !== 'string') return answer;
  return { ...answer, body: { ...body, item: { ...item, amount: { ...amount, currency: currencyWritten(amount.currency, writing) } } } };
}

/**
 * `text` written in CESU-8 (round twenty-nine): UTF-8 in which each UTF-16 surrogate is three
 * bytes of its own (a pair six, a lone half three), as Oracle's `UTF8` character set, Java's
 * `Charset.forName("CESU-8")` or Python's `encode('utf-8', 'surrogatepass')` write it. Text
 * without a surrogate is its UTF-8.
 */
export function cesu8Bytes(text: string): Buffer {
  const parts: Buffer[] = [];
  let plain = '';
  for (let index = 0; index < text.length; index += 1) {
    const unit = text.charCodeAt(index);
    if (unit < 0xd800 || unit > 0xdfff) {
      plain += text[index];
      continue;
    }
    parts.push(Buffer.from(plain, 'utf8'), Buffer.from([0xe0 | (unit >> 12), 0x80 | ((unit >> 6) & 0x3f), 0x80 | (unit & 0x3f)]));
    plain = '';
  }
  parts.push(Buffer.from(plain, 'utf8'));
  return Buffer.concat(parts);
}
