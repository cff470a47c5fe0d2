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
 */
import { randomInt, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  SignJWT,
  calculateJwkThumbprint,
  exportJWK,
  generateKeyPair,
  jwtVerify,
  type CryptoKey,
  type JSONWebKeySet,
  type JWTPayload,
} from 'jose';
import {
  acsChallengePage,
  acsNotFoundPage,
  acsResultPage,
  linkPage,
  notFoundPage,
  receiptPage,
  type ThreeDSStepType,
} from './sandbox-pages.js';

// ---------------------------------------------------------------------------------------------
// Public types
// ---------------------------------------------------------------------------------------------

export type { ThreeDSStepType as IntergiroSandboxThreeDSStepType } from './sandbox-pages.js';

export type IntergiroSandboxSigning = { alg: 'HS256'; secret: string } | { alg: 'RS256' };

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
}

export type IntergiroSandboxFault = 'http500' | 'timeout' | 'malformed';
export type IntergiroSandboxLinkOutcome = 'pay' | 'fail' | 'cancel';

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
  /**
   * Same as a person pressing Pay / Fail / Cancel on the link page (a required cardholder name
   * counts as entered); returns the order afterwards. Throws for an order without a link.
   */
  payLink(orderId: string, outcome: IntergiroSandboxLinkOutcome): IntergiroSandboxOrder;
  /** Resolves once every queued callback has been delivered or given up (never while paused). */
  callbacksIdle(): Promise<void>;
}

export type IntergiroSandboxStatus =
  | 'created'
  | 'deferred'
  | 'pending'
  | 'denied'
  | 'ordered'
  | 'cancelled'
  | 'charged'
  | 'paid'
  | 'refunded'
  | 'settled'
  | 'synchronized';

export interface IntergiroSandboxItem {
  name: string;
  price: number;
  quantity: number;
  unit?: string;
  vat?: number;
}
export type IntergiroSandboxItems = number | IntergiroSandboxItem | IntergiroSandboxItem[];

export type IntergiroSandboxErrorType =
  | 'malformed content'
  | 'not found'
  | 'not authorized'
  | 'not allowed'
  | 'backend failure';

/** Intergiro's error body ("gracely"). */
export interface IntergiroSandboxError {
  status: number;
  type: IntergiroSandboxErrorType;
  content?: { property: string; type: string; description: string; details?: unknown };
  error?: string;
  id?: string;
}

export type IntergiroSandboxEventType = 'defer' | 'pend' | 'deny' | 'order' | 'cancel' | 'charge' | 'refund';

export type IntergiroSandboxEvent =
  | {
      type: IntergiroSandboxEventType;
      date: string;
      items?: IntergiroSandboxItems;
      reference?: string;
      descriptor?: string;
    }
  | { type: 'fail'; original: string; error: IntergiroSandboxError; date: string };

export interface IntergiroSandboxCardPayment {
  type: 'card';
  created: string;
  amount: number;
  currency: string;
  status: string;
  /** The acquirer's reference; absent while 3-D Secure is still running. */
  reference?: string;
  service: 'intergiro';
  scheme: string;
  iin: string;
  last4: string;
  expires: [number, number];
}

export interface IntergiroSandboxDeferPayment {
  type: 'defer';
  method: 'link';
  created: string;
  status: string;
  service: 'defer';
  amount: number;
  currency: string;
  link: string;
  redirectUrl?: string;
  cardholderName?: 'required';
}

export interface IntergiroSandboxOrder {
  id: string;
  number?: string;
  created: string;
  customer?: string;
  items: IntergiroSandboxItems;
  currency: string;
  charge?: 'auto';
  payment: IntergiroSandboxCardPayment | IntergiroSandboxDeferPayment;
  callback?: string;
  meta?: unknown;
  event: IntergiroSandboxEvent[];
  status: IntergiroSandboxStatus;
}

export interface IntergiroSandboxCallbackAttempt {
  orderId: string;
  /** The order status inside the signed body. */
  status: IntergiroSandboxStatus;
  contentType: string;
  /** The compact JWS that was posted. */
  body: string;
  /** The receiver's HTTP status, or null when it could not be reached or did not answer in time. */
  responseStatus: number | null;
}

/**
 * What the sandbox's ACS page returns for a 3-D Secure step: base64url of
 * `{threeDSServerTransID, transStatus}` for a challenge, of `{threeDSServerTransID}` for a method.
 * Tests resubmit it as `payment.verification = {type: step.type, data: <this>}`.
 */
export function intergiroSandboxThreeDSResult(
  step: { type: ThreeDSStepType; threeDSServerTransID: string },
  transStatus: 'Y' | 'N' = 'Y',
): string {
  const payload =
    step.type === 'challenge'
      ? { threeDSServerTransID: step.threeDSServerTransID, transStatus }
      : { threeDSServerTransID: step.threeDSServerTransID };
  return Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
}

// ---------------------------------------------------------------------------------------------
// Constants
// ---------------------------------------------------------------------------------------------

const DEFAULT_CUSTOMERS = ['TjbHYXXn6yEdhLgS', 'cus_sandbox_1'];
const CALLBACK_CONTENT_TYPE = 'application/jwt; charset=utf-8';
const JWT_LIFETIME_SEC = 600;
const CALLBACK_TIMEOUT_MS = 5_000;
const HANG_MS = 30_000;
const MAX_BODY_BYTES = 1_000_000;
const THREE_DS_MESSAGE_VERSION = '2.2.0';
const ITEMS_TYPE = 'number | Item | Item[]';

/** Statuses a cancel may leave (CONTRACT §8: "allowed up to ordered"). */
const CANCELLABLE: ReadonlySet<IntergiroSandboxStatus> = new Set(['created', 'deferred', 'pending', 'ordered']);
const REFUNDABLE: ReadonlySet<IntergiroSandboxStatus> = new Set(['charged', 'paid', 'refunded']);

// ---------------------------------------------------------------------------------------------
// Money: major-unit JSON numbers on the wire, integer minor units inside
// ---------------------------------------------------------------------------------------------

const KNOWN_CURRENCIES: ReadonlySet<string> = new Set(Intl.supportedValuesOf('currency'));
const EXPONENT_0: ReadonlySet<string> = new Set(['ISK', 'JPY', 'KRW']);
const EXPONENT_3: ReadonlySet<string> = new Set(['BHD', 'KWD', 'JOD', 'OMR', 'TND']);

function exponentOf(currency: string): number {
  if (EXPONENT_0.has(currency)) return 0;
  if (EXPONENT_3.has(currency)) return 3;
  return 2;
}

/**
 * A major-unit number in minor units, or undefined when it carries more decimals than the
 * currency has. Division by a power of ten is correctly rounded, so `minor / scale === value`
 * holds exactly for every value that is a whole number of minor units (1.15, 0.29...).
 */
function toMinor(value: number, exponent: number): number | undefined {
  if (!Number.isFinite(value)) return undefined;
  const scale = 10 ** exponent;
  const minor = Math.round(value * scale);
  if (!Number.isSafeInteger(minor) || minor / scale !== value) return undefined;
  return minor;
}

function toMajor(minor: number, exponent: number): number {
  return minor / 10 ** exponent;
}

/** "398.00" for 39800 minor units of a 2-decimal currency; for pages only. */
function formatMinor(minor: number, exponent: number): string {
  const scale = 10 ** exponent;
  const sign = minor < 0 ? '-' : '';
  const abs = Math.abs(minor);
  const whole = Math.floor(abs / scale).toString();
  if (exponent === 0) return sign + whole;
  return `${sign}${whole}.${(abs % scale).toString().padStart(exponent, '0')}`;
}

// ---------------------------------------------------------------------------------------------
// Gracely errors
// ---------------------------------------------------------------------------------------------

/** Thrown inside the sandbox to answer with a gracely error body. */
class GracelyFailure extends Error {
  constructor(readonly body: IntergiroSandboxError) {
    super(body.content?.description ?? body.error ?? body.type);
  }
}

function malformed(property: string, type: string, description: string, details?: unknown): GracelyFailure {
  const content = details === undefined ? { property, type, description } : { property, type, description, details };
  return new GracelyFailure({ status: 400, type: 'malformed content', content });
}

function notFound(error: string): GracelyFailure {
  return new GracelyFailure({ status: 404, type: 'not found', error });
}

function notAllowed(error: string): GracelyFailure {
  return new GracelyFailure({ status: 409, type: 'not allowed', error });
}

function unauthorized(error: string): GracelyFailure {
  return new GracelyFailure({ status: 401, type: 'not authorized', error });
}

// ---------------------------------------------------------------------------------------------
// Validation of the Order Creatable
// ---------------------------------------------------------------------------------------------

type CardCreatable = {
  type: 'card';
  card: string;
  subsequent?: { reference: string; initiator: 'cardholder' | 'merchant' };
  verification?: unknown;
};
type CustomerCreatable = { type: 'customer'; schedule?: number[]; charge?: 'auto'; due?: string };
type DeferCreatable = { type: 'defer'; method: 'link'; cardholderName?: 'required'; redirectUrl?: string };
type PaymentCreatable = CardCreatable | CustomerCreatable | DeferCreatable;

interface OrderCreatable {
  id?: string;
  number?: string;
  customer?: string;
  items: IntergiroSandboxItems;
  totalMinor: number;
  currency: string;
  exponent: number;
  charge?: 'auto';
  callback?: string;
  meta?: unknown;
  payment: PaymentCreatable;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function optionalString(value: unknown, property: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw malformed(property, 'string', `${property} must be a string`);
  return value;
}

function httpUrl(value: unknown, property: string): string {
  if (typeof value === 'string' && URL.canParse(value)) {
    const protocol = new URL(value).protocol;
    if (protocol === 'http:' || protocol === 'https:') return value;
  }
  throw malformed(property, 'string', `${property} must be an absolute http(s) URL`);
}

function parseCurrency(value: unknown): string {
  if (typeof value === 'string' && /^[A-Z]{3}$/.test(value) && KNOWN_CURRENCIES.has(value)) return value;
  throw malformed('currency', 'Currency', 'currency must be a known ISO 4217 code');
}

function parseAmount(value: unknown, exponent: number, property: string): number {
  const minor = typeof value === 'number' ? toMinor(value, exponent) : undefined;
  if (minor === undefined) {
    throw malformed(property, 'number', `${property} must be a number with at most ${exponent} decimals`);
  }
  return minor;
}

/** One line in minor units: (price + vat) * quantity, which must land on a whole minor unit. */
function itemMinor(value: unknown, exponent: number, property: string): { item: IntergiroSandboxItem; minor: number } {
  if (!isRecord(value)) throw malformed(property, 'Item', `${property} must be an Item`);
  const name = value.name;
  if (typeof name !== 'string') throw malformed(`${property}.name`, 'string', 'an item needs a name');
  const price = parseAmount(value.price, exponent, `${property}.price`);
  const vat = value.vat === undefined ? 0 : parseAmount(value.vat, exponent, `${property}.vat`);
  const quantity = value.quantity;
  if (typeof quantity !== 'number' || !Number.isFinite(quantity) || quantity <= 0) {
    throw malformed(`${property}.quantity`, 'number', 'quantity must be a number greater than 0');
  }
  const unit = optionalString(value.unit, `${property}.unit`);
  const exact = (price + vat) * quantity;
  const minor = Math.round(exact);
  // A fractional quantity (2.5 kg) is fine as long as the line is a whole number of minor units.
  if (Math.abs(exact - minor) > 1e-6 || !Number.isSafeInteger(minor)) {
    throw malformed(`${property}.quantity`, 'number', 'the line total is not a whole number of minor units');
  }
  const item: IntergiroSandboxItem = { name, price: value.price as number, quantity };
  if (unit !== undefined) item.unit = unit;
  if (value.vat !== undefined) item.vat = value.vat as number;
  return { item, minor };
}

/** `items` is a plain amount, one Item or an array of Items; returns the echo and the total. */
function parseItems(value: unknown, exponent: number, property: string): { items: IntergiroSandboxItems; minor: number } {
  if (typeof value === 'number') return { items: value, minor: parseAmount(value, exponent, property) };
  if (Array.isArray(value)) {
    if (value.length === 0) throw malformed(property, ITEMS_TYPE, `${property} must not be empty`);
    const lines = value.map((line, index) => itemMinor(line, exponent, `${property}[${index}]`));
    return { items: lines.map((line) => line.item), minor: lines.reduce((sum, line) => sum + line.minor, 0) };
  }
  if (isRecord(value)) {
    const line = itemMinor(value, exponent, property);
    return { items: line.item, minor: line.minor };
  }
  throw malformed(property, ITEMS_TYPE, `${property} must be an amount, an Item or an array of Items`);
}

function parseChargeMode(value: unknown, property: string): 'auto' | undefined {
  if (value === undefined || value === 'auto') return value;
  throw malformed(property, '"auto"', `${property} must be "auto" when given`);
}

function parseCardPayment(payment: Record<string, unknown>): CardCreatable {
  const card = payment.card;
  if (typeof card !== 'string' || card.length === 0) {
    throw malformed('payment.card', 'Card.Token', 'a card payment needs a card token');
  }
  const result: CardCreatable = { type: 'card', card };
  if (payment.subsequent !== undefined) {
    const subsequent = payment.subsequent;
    if (
      !isRecord(subsequent) ||
      typeof subsequent.reference !== 'string' ||
      subsequent.reference.length === 0 ||
      (subsequent.initiator !== 'cardholder' && subsequent.initiator !== 'merchant')
    ) {
      throw malformed(
        'payment.subsequent',
        '{ reference: string, initiator: "cardholder" | "merchant" }',
        'subsequent needs a reference and an initiator of "cardholder" or "merchant"',
      );
    }
    result.subsequent = { reference: subsequent.reference, initiator: subsequent.initiator };
  }
  if (payment.verification !== undefined) result.verification = payment.verification;
  return result;
}

function parseCustomerPayment(payment: Record<string, unknown>): CustomerCreatable {
  const result: CustomerCreatable = { type: 'customer' };
  const schedule = payment.schedule;
  if (schedule !== undefined) {
    if (!Array.isArray(schedule) || !schedule.every((day): day is number => typeof day === 'number')) {
      throw malformed('payment.schedule', 'number[]', 'schedule must be an array of numbers');
    }
    result.schedule = schedule;
  }
  const charge = parseChargeMode(payment.charge, 'payment.charge');
  if (charge !== undefined) result.charge = charge;
  const due = optionalString(payment.due, 'payment.due');
  if (due !== undefined) result.due = due;
  return result;
}

function parseDeferPayment(payment: Record<string, unknown>): DeferCreatable {
  if (payment.method !== 'link') throw malformed('payment.method', '"link"', 'a defer payment needs method "link"');
  const result: DeferCreatable = { type: 'defer', method: 'link' };
  if (payment.cardholderName !== undefined) {
    if (payment.cardholderName !== 'required') {
      throw malformed('payment.cardholderName', '"required"', 'cardholderName must be "required" when given');
    }
    result.cardholderName = 'required';
  }
  if (payment.redirectUrl !== undefined) result.redirectUrl = httpUrl(payment.redirectUrl, 'payment.redirectUrl');
  return result;
}

function parsePayment(value: unknown): PaymentCreatable {
  if (!isRecord(value)) {
    throw malformed('payment', 'Payment.Creatable', 'payment must be a card, customer or defer Payment Creatable');
  }
  switch (value.type) {
    case 'card':
      return parseCardPayment(value);
    case 'customer':
      return parseCustomerPayment(value);
    case 'defer':
      return parseDeferPayment(value);
    default:
      throw malformed('payment.type', '"card" | "customer" | "defer"', 'payment.type must be card, customer or defer');
  }
}

function parseOrderCreatable(body: unknown, customers: ReadonlySet<string>): OrderCreatable {
  if (!isRecord(body)) throw malformed('order', 'Order.Creatable', 'the body must be an Order Creatable');
  const id = optionalString(body.id, 'id');
  const number = optionalString(body.number, 'number');
  const customer = optionalString(body.customer, 'customer');
  const currency = parseCurrency(body.currency);
  const exponent = exponentOf(currency);
  const { items, minor: totalMinor } = parseItems(body.items, exponent, 'items');
  if (totalMinor <= 0) throw malformed('items', ITEMS_TYPE, 'the order amount must be greater than 0');
  const charge = parseChargeMode(body.charge, 'charge');
  const callback = body.callback === undefined ? undefined : httpUrl(body.callback, 'callback');
  const payment = parsePayment(body.payment);
  const needsCustomer = payment.type === 'customer' || (payment.type === 'card' && payment.subsequent !== undefined);
  if (needsCustomer && (customer === undefined || !customers.has(customer))) {
    throw malformed('customer', 'Customer.Identifier', 'a known customer id with a saved card is required');
  }
  const creatable: OrderCreatable = { items, totalMinor, currency, exponent, payment };
  if (id !== undefined) creatable.id = id;
  if (number !== undefined) creatable.number = number;
  if (customer !== undefined) creatable.customer = customer;
  if (charge !== undefined) creatable.charge = charge;
  if (callback !== undefined) creatable.callback = callback;
  if (body.meta !== undefined) creatable.meta = body.meta;
  return creatable;
}

/** What the ACS page's response string says, after checking its shape. */
function parseVerification(value: unknown): { type: ThreeDSStepType; transId: string; transStatus?: string } {
  const invalid = (description: string): GracelyFailure =>
    malformed('verification', '{ type: "method" | "challenge", data: string }', description);
  if (!isRecord(value) || (value.type !== 'method' && value.type !== 'challenge') || typeof value.data !== 'string') {
    throw invalid('verification must be { type: "method" | "challenge", data: string }');
  }
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(value.data, 'base64url').toString('utf8'));
  } catch {
    throw invalid('verification data is not a 3-D Secure result');
  }
  if (!isRecord(decoded) || typeof decoded.threeDSServerTransID !== 'string') {
    throw invalid('verification data is not a 3-D Secure result');
  }
  const result: { type: ThreeDSStepType; transId: string; transStatus?: string } = {
    type: value.type,
    transId: decoded.threeDSServerTransID,
  };
  if (typeof decoded.transStatus === 'string') result.transStatus = decoded.transStatus;
  return result;
}

// ---------------------------------------------------------------------------------------------
// Card test rules
// ---------------------------------------------------------------------------------------------

type CardOutcome = 'approve' | 'deny' | 'pending';

interface CardRules {
  threeDS: ThreeDSStepType[];
  outcome: CardOutcome;
  scheme: string;
  iin: string;
  last4: string;
  /** Prefix of the acquirer reference, shaped like the seed's "MCA1400001202". */
  referencePrefix: string;
}

function cardRules(token: string): CardRules {
  const text = token.toLowerCase();
  const threeDS: ThreeDSStepType[] = text.includes('3ds2') ? ['method', 'challenge'] : text.includes('3ds') ? ['challenge'] : [];
  const outcome: CardOutcome = text.includes('deny') ? 'deny' : text.includes('pending') ? 'pending' : 'approve';
  if (text.includes('mastercard')) {
    return { threeDS, outcome, scheme: 'mastercard', iin: '555555', last4: '4444', referencePrefix: 'MCA' };
  }
  if (text.includes('amex')) {
    return { threeDS, outcome, scheme: 'amex', iin: '378282', last4: '0005', referencePrefix: 'AMX' };
  }
  return { threeDS, outcome, scheme: 'visa', iin: '411111', last4: '1111', referencePrefix: 'VIS' };
}

/** Stands in for the token of a customer's saved card: no test word, so it authorizes plainly. */
const SAVED_CARD_TOKEN = 'saved-card';

const ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function randomChars(alphabet: string, length: number): string {
  let text = '';
  for (let i = 0; i < length; i++) text += alphabet.charAt(randomInt(alphabet.length));
  return text;
}

function newOrderId(): string {
  return randomChars(ID_ALPHABET, 16);
}

function acquirerReference(prefix: string): string {
  return prefix + randomChars('0123456789', 10);
}

// ---------------------------------------------------------------------------------------------
// Timers: real timers, every one cleared on close
// ---------------------------------------------------------------------------------------------

class Timers {
  closed = false;
  private readonly handles = new Set<NodeJS.Timeout>();
  private readonly closeListeners = new Set<() => void>();

  set(callback: () => void, ms: number): NodeJS.Timeout {
    const handle = setTimeout(() => {
      this.handles.delete(handle);
      callback();
    }, ms);
    this.handles.add(handle);
    return handle;
  }

  clear(handle: NodeJS.Timeout | undefined): void {
    if (handle === undefined) return;
    clearTimeout(handle);
    this.handles.delete(handle);
  }

  /** Resolves after `ms`, or at once when the sandbox closes (callers check `closed`). */
  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      if (this.closed) return resolve();
      const unsubscribe = this.onClose(resolve);
      this.set(() => {
        unsubscribe();
        resolve();
      }, ms);
    });
  }

  onClose(listener: () => void): () => void {
    this.closeListeners.add(listener);
    return () => this.closeListeners.delete(listener);
  }

  close(): void {
    this.closed = true;
    for (const handle of this.handles) clearTimeout(handle);
    this.handles.clear();
    for (const listener of [...this.closeListeners]) listener();
    this.closeListeners.clear();
  }
}

// ---------------------------------------------------------------------------------------------
// Signing
// ---------------------------------------------------------------------------------------------

interface Signer {
  readonly jwks: JSONWebKeySet | undefined;
  sign(payload: JWTPayload, iatSec: number, expiresInSec: number, wrongKey?: boolean): Promise<string>;
  /** The payload when the token is ours and not expired at `currentDate`, else undefined. */
  verify(token: string, currentDate: Date): Promise<JWTPayload | undefined>;
}

async function createSigner(signing: IntergiroSandboxSigning): Promise<Signer> {
  if (signing.alg === 'HS256') return hs256Signer(signing.secret);
  return rs256Signer();
}

function hs256Signer(secret: string): Signer {
  const key = new TextEncoder().encode(secret);
  // A forger who does not know the secret: same algorithm, different key.
  const wrong = new TextEncoder().encode(`${secret}:forged`);
  return {
    jwks: undefined,
    sign: (payload, iat, expiresIn, wrongKey = false) =>
      new SignJWT(payload)
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setIssuedAt(iat)
        .setExpirationTime(iat + expiresIn)
        .sign(wrongKey ? wrong : key),
    verify: (token, currentDate) => verifyWith(token, key, 'HS256', currentDate),
  };
}

async function rs256Signer(): Promise<Signer> {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  const jwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(jwk);
  let forger: Promise<CryptoKey> | undefined;
  // The forger copies our kid, so only the signature check can tell the tokens apart.
  const wrongKey = (): Promise<CryptoKey> => (forger ??= generateKeyPair('RS256').then((pair) => pair.privateKey));
  return {
    jwks: { keys: [{ ...jwk, kid, alg: 'RS256', use: 'sig' }] },
    sign: async (payload, iat, expiresIn, wrong = false) =>
      new SignJWT(payload)
        .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid })
        .setIssuedAt(iat)
        .setExpirationTime(iat + expiresIn)
        .sign(wrong ? await wrongKey() : privateKey),
    verify: (token, currentDate) => verifyWith(token, publicKey, 'RS256', currentDate),
  };
}

async function verifyWith(
  token: string,
  key: CryptoKey | Uint8Array,
  alg: 'HS256' | 'RS256',
  currentDate: Date,
): Promise<JWTPayload | undefined> {
  try {
    const { payload } = await jwtVerify(token, key, { algorithms: [alg], currentDate });
    return payload;
  } catch {
    return undefined;
  }
}

/** A deep copy, so a change racing an in-flight signature cannot alter what gets signed. */
function orderPayload(order: IntergiroSandboxOrder): JWTPayload {
  return { ...structuredClone(order) };
}

// ---------------------------------------------------------------------------------------------
// Callbacks: per-order sequential delivery with retries
// ---------------------------------------------------------------------------------------------

interface CallbackJob {
  orderId: string;
  url: string;
  status: IntergiroSandboxStatus;
  /** Signed when the change happened, so a retry or a duplicate repeats the same bytes. */
  token: Promise<string>;
}

class CallbackDispatcher {
  private readonly chains = new Map<string, Promise<void>>();
  private readonly attempts: IntergiroSandboxCallbackAttempt[] = [];
  private paused = false;
  private resumeWaiters: (() => void)[] = [];

  constructor(
    private readonly timers: Timers,
    private readonly retryDelaysMs: readonly number[],
  ) {
    timers.onClose(() => this.releaseWaiters());
  }

  enqueue(job: CallbackJob): void {
    const previous = this.chains.get(job.orderId) ?? Promise.resolve();
    const next = previous.then(() => this.deliver(job));
    this.chains.set(job.orderId, next);
    void next.then(() => {
      if (this.chains.get(job.orderId) === next) this.chains.delete(job.orderId);
    });
  }

  sent(): IntergiroSandboxCallbackAttempt[] {
    return this.attempts.map((attempt) => ({ ...attempt }));
  }

  pause(paused: boolean): void {
    this.paused = paused;
    if (!paused) this.releaseWaiters();
  }

  async idle(): Promise<void> {
    while (this.chains.size > 0) await Promise.all([...this.chains.values()]);
  }

  private releaseWaiters(): void {
    const waiters = this.resumeWaiters;
    this.resumeWaiters = [];
    for (const resume of waiters) resume();
  }

  private whenResumed(): Promise<void> {
    if (!this.paused || this.timers.closed) return Promise.resolve();
    return new Promise((resolve) => this.resumeWaiters.push(resolve));
  }

  /** Never rejects: a chain that threw would stop every later callback of the order. */
  private async deliver(job: CallbackJob): Promise<void> {
    let body: string;
    try {
      body = await job.token;
    } catch {
      return;
    }
    for (let attempt = 0; ; attempt++) {
      await this.whenResumed();
      if (this.timers.closed) return;
      const responseStatus = await this.post(job.url, body);
      if (this.timers.closed) return;
      this.attempts.push({ orderId: job.orderId, status: job.status, contentType: CALLBACK_CONTENT_TYPE, body, responseStatus });
      if (responseStatus !== null && responseStatus >= 200 && responseStatus < 300) return;
      const delay = this.retryDelaysMs[attempt];
      if (delay === undefined) return;
      await this.timers.sleep(delay);
    }
  }

  private async post(url: string, body: string): Promise<number | null> {
    const controller = new AbortController();
    const timeout = this.timers.set(() => controller.abort(), CALLBACK_TIMEOUT_MS);
    const unsubscribe = this.timers.onClose(() => controller.abort());
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': CALLBACK_CONTENT_TYPE },
        body,
        signal: controller.signal,
      });
      await response.arrayBuffer(); // drain, so the connection can be reused
      return response.status;
    } catch {
      return null;
    } finally {
      this.timers.clear(timeout);
      unsubscribe();
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Order book: the state machine
// ---------------------------------------------------------------------------------------------

interface ThreeDSState {
  steps: ThreeDSStepType[];
  index: number;
  threeDSServerTransID: string;
  acsTransID: string;
}

interface OrderRecord {
  order: IntergiroSandboxOrder;
  exponent: number;
  /** The authorized amount: the order total. */
  totalMinor: number;
  chargedMinor: number;
  refundedMinor: number;
  chargeAuto: boolean;
  card?: CardRules;
  threeDS?: ThreeDSState;
  settleTimer?: NodeJS.Timeout;
  lastCallback?: CallbackJob;
}

interface EventCreatable {
  type: 'charge' | 'refund' | 'cancel';
  items?: IntergiroSandboxItems;
  amountMinor?: number;
  reference?: string;
  descriptor?: string;
}

type EventEcho = Record<string, unknown>;

interface ChangeRequest {
  id: string;
  event: Record<string, unknown>[];
}

interface OrderBookDeps {
  baseUrl: string;
  now: () => Date;
  timers: Timers;
  customers: ReadonlySet<string>;
  pendingSettleMs: number;
  /** Called after every change of an order, with the record already updated. */
  changed: (record: OrderRecord) => void;
}

/** A created order or the 3-D Secure step the client must perform first. */
type CreateResult = { kind: 'order'; order: IntergiroSandboxOrder } | { kind: 'verify'; error: IntergiroSandboxError };

class OrderBook {
  private readonly records = new Map<string, OrderRecord>();

  constructor(private readonly deps: OrderBookDeps) {}

  get(id: string): OrderRecord | undefined {
    return this.records.get(id);
  }

  list(start: string | undefined, end: string | undefined): IntergiroSandboxOrder[] {
    return [...this.records.values()]
      .map((record) => record.order)
      .filter((order) => {
        const day = order.created.slice(0, 10);
        return (start === undefined || day >= start) && (end === undefined || day <= end);
      })
      .sort((a, b) => a.created.localeCompare(b.created));
  }

  create(body: unknown): CreateResult {
    const creatable = parseOrderCreatable(body, this.deps.customers);
    if (creatable.id !== undefined) return this.resubmit(creatable.id, creatable);
    if (creatable.payment.type === 'card' && creatable.payment.verification !== undefined) {
      throw malformed('id', 'string', 'a verification must be sent with the id of the order it belongs to');
    }
    const record = this.newRecord(creatable);
    this.records.set(record.order.id, record);
    const payment = creatable.payment;
    if (payment.type === 'defer') {
      this.change(record, 'deferred', [this.event('defer')]);
    } else {
      const rules = record.card ?? cardRules(payment.type === 'card' ? payment.card : SAVED_CARD_TOKEN);
      if (rules.threeDS.length > 0) return this.startThreeDS(record, rules.threeDS);
      this.authorizeCard(record, rules.outcome);
    }
    return { kind: 'order', order: record.order };
  }

  /** PATCH /v1/order: each element and each event stands alone; one failure never fails another. */
  applyChanges(requests: ChangeRequest[]): { id: string; event: EventEcho[] }[] {
    return requests.map((request) => {
      const record = this.records.get(request.id);
      const event = request.event.map((raw) => {
        if (record === undefined) return this.failEcho(raw, notFound(`no order with id ${request.id}`).body);
        return this.applyEvent(record, raw);
      });
      return { id: request.id, event };
    });
  }

  /** A person on the link page; nothing changes once the order has left `deferred`. */
  useLink(id: string, outcome: IntergiroSandboxLinkOutcome): { record: OrderRecord; changed: boolean } {
    const record = this.records.get(id);
    if (record === undefined || record.order.payment.type !== 'defer') throw notFound(`no payment link for order ${id}`);
    if (record.order.status !== 'deferred') return { record, changed: false };
    switch (outcome) {
      case 'pay':
        this.approve(record);
        break;
      case 'fail':
        this.change(record, 'denied', [this.event('deny')]);
        break;
      case 'cancel':
        this.change(record, 'cancelled', [this.event('cancel')]);
        break;
    }
    return { record, changed: true };
  }

  /** The current 3-D Secure step of an order, for the ACS page. */
  threeDSStep(id: string): { record: OrderRecord; step: ThreeDSStepType; state: ThreeDSState } | undefined {
    const record = this.records.get(id);
    const state = record?.threeDS;
    const step = state?.steps[state.index];
    if (record === undefined || state === undefined || step === undefined) return undefined;
    return { record, step, state };
  }

  // --- creation ------------------------------------------------------------------------------

  private newRecord(creatable: OrderCreatable): OrderRecord {
    const id = newOrderId();
    const created = this.deps.now().toISOString();
    const amount = toMajor(creatable.totalMinor, creatable.exponent);
    // A customer payment is paid with the customer's saved card, which follows the default rules.
    const card =
      creatable.payment.type === 'defer'
        ? undefined
        : cardRules(creatable.payment.type === 'card' ? creatable.payment.card : SAVED_CARD_TOKEN);
    const payment: IntergiroSandboxOrder['payment'] =
      creatable.payment.type === 'defer'
        ? this.deferPayment(id, created, amount, creatable.currency, creatable.payment)
        : this.cardPayment(created, amount, creatable.currency, card ?? cardRules(SAVED_CARD_TOKEN));
    const order: IntergiroSandboxOrder = {
      id,
      ...(creatable.number === undefined ? {} : { number: creatable.number }),
      created,
      ...(creatable.customer === undefined ? {} : { customer: creatable.customer }),
      items: creatable.items,
      currency: creatable.currency,
      ...(creatable.charge === undefined ? {} : { charge: creatable.charge }),
      payment,
      ...(creatable.callback === undefined ? {} : { callback: creatable.callback }),
      ...(creatable.meta === undefined ? {} : { meta: creatable.meta }),
      event: [],
      status: 'created',
    };
    const chargeAuto =
      creatable.charge === 'auto' || (creatable.payment.type === 'customer' && creatable.payment.charge === 'auto');
    const record: OrderRecord = {
      order,
      exponent: creatable.exponent,
      totalMinor: creatable.totalMinor,
      chargedMinor: 0,
      refundedMinor: 0,
      chargeAuto,
    };
    if (card !== undefined) record.card = card;
    return record;
  }

  private cardPayment(created: string, amount: number, currency: string, rules: CardRules): IntergiroSandboxCardPayment {
    return {
      type: 'card',
      created,
      amount,
      currency,
      status: 'created',
      service: 'intergiro',
      scheme: rules.scheme,
      iin: rules.iin,
      last4: rules.last4,
      expires: [12, 30],
    };
  }

  private deferPayment(
    id: string,
    created: string,
    amount: number,
    currency: string,
    payment: DeferCreatable,
  ): IntergiroSandboxDeferPayment {
    return {
      type: 'defer',
      method: 'link',
      created,
      status: 'created',
      service: 'defer',
      amount,
      currency,
      link: `${this.deps.baseUrl}/link/${id}`,
      ...(payment.redirectUrl === undefined ? {} : { redirectUrl: payment.redirectUrl }),
      ...(payment.cardholderName === undefined ? {} : { cardholderName: payment.cardholderName }),
    };
  }

  // --- 3-D Secure ----------------------------------------------------------------------------

  private startThreeDS(record: OrderRecord, steps: ThreeDSStepType[]): CreateResult {
    record.threeDS = { steps, index: 0, threeDSServerTransID: randomUUID(), acsTransID: randomUUID() };
    return { kind: 'verify', error: this.verificationRequired(record) };
  }

  private verificationRequired(record: OrderRecord): IntergiroSandboxError {
    const state = record.threeDS;
    const step = state?.steps[state.index];
    if (state === undefined || step === undefined) throw new Error('order is not waiting for 3-D Secure');
    const data = threeDSStepData(step, state);
    return {
      status: 400,
      type: 'malformed content',
      error: 'verification required',
      id: record.order.id,
      content: {
        property: 'card',
        type: 'Card.Creatable | Card.Token',
        description: 'verification required',
        details: {
          visible: step === 'challenge',
          method: 'POST',
          url: `${this.deps.baseUrl}/acs/${record.order.id}`,
          data,
        },
      },
    };
  }

  private resubmit(id: string, creatable: OrderCreatable): CreateResult {
    const record = this.records.get(id);
    const state = record?.threeDS;
    const step = state?.steps[state.index];
    if (record === undefined || state === undefined || step === undefined || record.order.status !== 'created') {
      throw malformed('id', 'string', `order ${id} is not waiting for verification`);
    }
    if (creatable.currency !== record.order.currency) {
      throw malformed('currency', 'Currency', 'currency differs from the order being verified');
    }
    if (creatable.totalMinor !== record.totalMinor) {
      throw malformed('items', ITEMS_TYPE, 'amount differs from the order being verified');
    }
    if (creatable.payment.type !== 'card') {
      throw malformed('payment.type', '"card"', 'the order being verified is a card order');
    }
    if (creatable.payment.verification === undefined) return { kind: 'verify', error: this.verificationRequired(record) };
    const verification = parseVerification(creatable.payment.verification);
    if (verification.type !== step) {
      throw malformed('verification', 'Verification', `expected the result of the ${step} step`);
    }
    if (verification.transId !== state.threeDSServerTransID) {
      throw malformed('verification', 'Verification', 'the verification belongs to another 3-D Secure transaction');
    }
    if (step === 'challenge' && verification.transStatus !== 'Y' && verification.transStatus !== 'N') {
      throw malformed('verification', 'Verification', 'a challenge result needs transStatus "Y" or "N"');
    }
    state.index += 1;
    if (state.index < state.steps.length) return { kind: 'verify', error: this.verificationRequired(record) };
    delete record.threeDS;
    const authenticated = step !== 'challenge' || verification.transStatus === 'Y';
    this.authorizeCard(record, authenticated ? (record.card?.outcome ?? 'approve') : 'deny');
    return { kind: 'order', order: record.order };
  }

  // --- transitions ---------------------------------------------------------------------------

  private authorizeCard(record: OrderRecord, outcome: CardOutcome): void {
    const payment = record.order.payment;
    if (payment.type === 'card') payment.reference = acquirerReference(record.card?.referencePrefix ?? 'VIS');
    switch (outcome) {
      case 'deny':
        this.change(record, 'denied', [this.event('deny')]);
        break;
      case 'pending':
        this.change(record, 'pending', [this.event('pend')]);
        record.settleTimer = this.deps.timers.set(() => this.settle(record), this.deps.pendingSettleMs);
        break;
      case 'approve':
        this.approve(record);
        break;
    }
  }

  private settle(record: OrderRecord): void {
    delete record.settleTimer;
    if (record.order.status === 'pending') this.approve(record);
  }

  /** Authorized: `ordered`, and `charged` at once when the order charges automatically. */
  private approve(record: OrderRecord): void {
    const events: IntergiroSandboxEvent[] = [this.event('order')];
    if (!record.chargeAuto) return this.change(record, 'ordered', events);
    record.chargedMinor = record.totalMinor;
    events.push({ ...this.event('charge'), items: toMajor(record.totalMinor, record.exponent) });
    this.change(record, 'charged', events);
  }

  private change(record: OrderRecord, status: IntergiroSandboxStatus, events: IntergiroSandboxEvent[]): void {
    record.order.event.push(...events);
    record.order.status = status;
    // A link keeps saying "created" until it is used; otherwise the payment mirrors the order.
    record.order.payment.status = status === 'deferred' ? 'created' : status;
    this.deps.changed(record);
  }

  private event(type: IntergiroSandboxEventType): { type: IntergiroSandboxEventType; date: string } {
    return { type, date: this.deps.now().toISOString() };
  }

  // --- PATCH events --------------------------------------------------------------------------

  private applyEvent(record: OrderRecord, raw: Record<string, unknown>): EventEcho {
    try {
      const creatable = parseEventCreatable(raw, record.exponent);
      const { status, stored } = this.eventEffect(record, creatable);
      this.change(record, status, [stored]);
      return { ...echoFields(creatable), date: stored.date };
    } catch (error) {
      if (!(error instanceof GracelyFailure)) throw error;
      const fail = this.failEcho(raw, error.body);
      this.change(record, record.order.status, [fail]);
      return fail;
    }
  }

  /** Checks the event against the order and books its amounts; throws when it cannot apply. */
  private eventEffect(
    record: OrderRecord,
    creatable: EventCreatable,
  ): { status: IntergiroSandboxStatus; stored: IntergiroSandboxEvent } {
    const status = record.order.status;
    const date = this.deps.now().toISOString();
    const base = { ...echoFields(creatable), date };
    switch (creatable.type) {
      case 'cancel': {
        if (!CANCELLABLE.has(status)) throw notAllowed(`an order that is ${status} cannot be cancelled`);
        this.deps.timers.clear(record.settleTimer);
        delete record.settleTimer;
        delete record.threeDS;
        return { status: 'cancelled', stored: base };
      }
      case 'charge': {
        if (status !== 'ordered') throw notAllowed(`an order that is ${status} cannot be charged`);
        const amount = creatable.amountMinor ?? record.totalMinor;
        if (amount > record.totalMinor) throw malformed('items', ITEMS_TYPE, 'the charge exceeds the authorized amount');
        record.chargedMinor = amount;
        return { status: 'charged', stored: { ...base, items: creatable.items ?? toMajor(amount, record.exponent) } };
      }
      case 'refund': {
        if (!REFUNDABLE.has(status)) throw notAllowed(`an order that is ${status} cannot be refunded`);
        const refundable = record.chargedMinor - record.refundedMinor;
        if (refundable <= 0) throw notAllowed('the order has nothing left to refund');
        const amount = creatable.amountMinor ?? refundable;
        if (amount > refundable) throw malformed('items', ITEMS_TYPE, 'the refund exceeds the charged amount not yet refunded');
        record.refundedMinor += amount;
        return { status: 'refunded', stored: { ...base, items: creatable.items ?? toMajor(amount, record.exponent) } };
      }
    }
  }

  private failEcho(raw: Record<string, unknown>, error: IntergiroSandboxError): IntergiroSandboxEvent {
    return { type: 'fail', original: String(raw.type), error, date: this.deps.now().toISOString() };
  }
}

/**
 * `details.data` of a verification-required error: what the client's iframe form posts to the
 * ACS. Shaped after EMV 3DS: the method step carries `threeDSMethodData`, the challenge a `creq`.
 */
function threeDSStepData(step: ThreeDSStepType, state: ThreeDSState): Record<string, string> {
  const encode = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');
  const common = { type: step, threeDSServerTransID: state.threeDSServerTransID, messageVersion: THREE_DS_MESSAGE_VERSION };
  if (step === 'method') {
    return { ...common, threeDSMethodData: encode({ threeDSServerTransID: state.threeDSServerTransID }) };
  }
  const creq = encode({
    threeDSServerTransID: state.threeDSServerTransID,
    acsTransID: state.acsTransID,
    messageVersion: THREE_DS_MESSAGE_VERSION,
    messageType: 'CReq',
    challengeWindowSize: '05',
  });
  return { ...common, acsTransID: state.acsTransID, creq };
}

function parseEventCreatable(raw: Record<string, unknown>, exponent: number): EventCreatable {
  const type = raw.type;
  if (type !== 'charge' && type !== 'refund' && type !== 'cancel') {
    throw malformed('type', '"charge" | "refund" | "cancel"', 'type must be charge, refund or cancel');
  }
  const creatable: EventCreatable = { type };
  if (raw.items !== undefined) {
    if (type === 'cancel') throw malformed('items', 'undefined', 'a cancel takes no items');
    const { items, minor } = parseItems(raw.items, exponent, 'items');
    if (minor <= 0) throw malformed('items', ITEMS_TYPE, 'the amount must be greater than 0');
    creatable.items = items;
    creatable.amountMinor = minor;
  }
  const reference = optionalString(raw.reference, 'reference');
  if (reference !== undefined) creatable.reference = reference;
  const descriptor = optionalString(raw.descriptor, 'descriptor');
  if (descriptor !== undefined) creatable.descriptor = descriptor;
  return creatable;
}

/** The Event Creatable fields as the client sent them (validated), for the echo and the order. */
function echoFields(creatable: EventCreatable): {
  type: EventCreatable['type'];
  items?: IntergiroSandboxItems;
  reference?: string;
  descriptor?: string;
} {
  return {
    type: creatable.type,
    ...(creatable.items === undefined ? {} : { items: creatable.items }),
    ...(creatable.reference === undefined ? {} : { reference: creatable.reference }),
    ...(creatable.descriptor === undefined ? {} : { descriptor: creatable.descriptor }),
  };
}

function parseChangeRequests(body: unknown): ChangeRequest[] {
  const invalid = (property: string): GracelyFailure =>
    malformed(property, '{ id: string, event: Event.Creatable[] }[]', 'the body must be an array of { id, event[] }');
  if (!Array.isArray(body)) throw invalid('order');
  return body.map((element: unknown, index) => {
    if (!isRecord(element) || typeof element.id !== 'string') throw invalid(`[${index}].id`);
    const events = element.event;
    if (!Array.isArray(events)) throw invalid(`[${index}].event`);
    const checked = events.map((event: unknown, position) => {
      if (!isRecord(event) || typeof event.type !== 'string') throw invalid(`[${index}].event[${position}].type`);
      return event;
    });
    return { id: element.id, event: checked };
  });
}

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

function parseDay(value: string | null, property: 'start' | 'end'): string | undefined {
  if (value === null) return undefined;
  const match = DATE_PATTERN.exec(value);
  const [year, month, day] = match === null ? [] : match.slice(1).map(Number);
  if (year === undefined || month === undefined || day === undefined) {
    throw malformed(property, 'Date', `${property} must be a date YYYY-MM-DD`);
  }
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
    throw malformed(property, 'Date', `${property} is not a calendar date`);
  }
  return value;
}

// ---------------------------------------------------------------------------------------------
// HTTP plumbing
// ---------------------------------------------------------------------------------------------

interface Reply {
  status: number;
  contentType?: string;
  body?: string;
  headers?: Record<string, string>;
}

/** Returned by a handler that has taken over the response (the "timeout" fault). */
const HANDLED = Symbol('handled');

function jsonReply(status: number, value: unknown): Reply {
  return { status, contentType: 'application/json; charset=utf-8', body: JSON.stringify(value) };
}

function htmlReply(status: number, body: string): Reply {
  return { status, contentType: 'text/html; charset=utf-8', body };
}

function errorReply(error: IntergiroSandboxError): Reply {
  return jsonReply(error.status, error);
}

function send(res: ServerResponse, reply: Reply): void {
  const headers: Record<string, string> = { ...reply.headers };
  if (reply.contentType !== undefined) headers['content-type'] = reply.contentType;
  res.writeHead(reply.status, headers);
  res.end(reply.body);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > MAX_BODY_BYTES) throw malformed('body', 'string', 'the body is too large');
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const text = await readBody(req);
  try {
    return JSON.parse(text);
  } catch {
    throw malformed('body', 'JSON', 'the body is not valid JSON');
  }
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  return new URLSearchParams(await readBody(req));
}

/**
 * The capture groups of `pattern` in `path`, URL-decoded (the first one always present), or
 * undefined when the path does not match or is badly encoded.
 */
function matchPath(pattern: RegExp, path: string): [string, ...(string | undefined)[]] | undefined {
  const match = pattern.exec(path);
  const first = match?.[1];
  if (match === null || first === undefined) return undefined;
  try {
    const rest = match.slice(2).map((group) => (group === undefined ? undefined : decodeURIComponent(group)));
    return [decodeURIComponent(first), ...rest];
  } catch {
    return undefined;
  }
}

function acceptsJson(req: IncomingMessage): boolean {
  return (req.headers.accept ?? '').toLowerCase().includes('application/json');
}

// ---------------------------------------------------------------------------------------------
// The sandbox server
// ---------------------------------------------------------------------------------------------

interface SandboxConfig {
  baseUrl: string;
  apiKey: string;
  now: () => Date;
  signer: Signer;
  timers: Timers;
  callbacks: CallbackDispatcher;
  customers: ReadonlySet<string>;
  pendingSettleMs: number;
}

class IntergiroSandboxServer {
  readonly book: OrderBook;
  private armedFault: IntergiroSandboxFault | null = null;

  constructor(private readonly config: SandboxConfig) {
    this.book = new OrderBook({
      baseUrl: config.baseUrl,
      now: config.now,
      timers: config.timers,
      customers: config.customers,
      pendingSettleMs: config.pendingSettleMs,
      changed: (record) => this.notify(record),
    });
  }

  fault(next: IntergiroSandboxFault | null): void {
    this.armedFault = next;
  }

  /** A JWT exactly like a callback's: the order plus iat and exp. */
  sign(order: IntergiroSandboxOrder, expiresInSec = JWT_LIFETIME_SEC, wrongKey = false): Promise<string> {
    const iat = Math.floor(this.config.now().getTime() / 1000);
    return this.config.signer.sign(orderPayload(order), iat, expiresInSec, wrongKey);
  }

  resendLastCallback(orderId: string): void {
    const job = this.book.get(orderId)?.lastCallback;
    if (job === undefined) throw new Error(`no callback was sent for order ${orderId}`);
    this.config.callbacks.enqueue(job);
  }

  payLink(orderId: string, outcome: IntergiroSandboxLinkOutcome): IntergiroSandboxOrder {
    return structuredClone(this.book.useLink(orderId, outcome).record.order);
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

  // --- change notification -------------------------------------------------------------------

  private notify(record: OrderRecord): void {
    const url = record.order.callback;
    if (url === undefined) return;
    const snapshot = structuredClone(record.order);
    const job: CallbackJob = { orderId: snapshot.id, url, status: snapshot.status, token: this.sign(snapshot) };
    record.lastCallback = job;
    this.config.callbacks.enqueue(job);
  }

  // --- routing -------------------------------------------------------------------------------

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
    const fault = this.armedFault;
    this.armedFault = null;
    if (fault !== null) return this.faultReply(fault, res);
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
    if (single !== undefined && method === 'GET') return this.getOrder(req, single[0]);
    if (path === '/v1/worker-order/order/verify' && method === 'POST') return this.verify(req);
    throw notFound(`no endpoint ${method} ${path}`);
  }

  private faultReply(fault: IntergiroSandboxFault, res: ServerResponse): Reply | typeof HANDLED {
    switch (fault) {
      case 'http500':
        return errorReply({ status: 500, type: 'backend failure', error: 'sandbox fault: backend failure' });
      case 'malformed':
        return { status: 200, contentType: 'application/json; charset=utf-8', body: '{"id":"sandboxfault0000","status":"ord' };
      case 'timeout': {
        // Hold the request open past any sane client timeout; close() destroys it earlier.
        const timer = this.config.timers.set(() => res.destroy(), HANG_MS);
        res.on('close', () => this.config.timers.clear(timer));
        return HANDLED;
      }
    }
  }

  // --- API endpoints -------------------------------------------------------------------------

  private async orderReply(req: IncomingMessage, status: number, order: IntergiroSandboxOrder): Promise<Reply> {
    if (acceptsJson(req)) return jsonReply(status, order);
    // Seed: "otherwise the Order will be in a signed JWT".
    return { status, contentType: 'application/jwt', body: await this.sign(order) };
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
    return jsonReply(200, this.book.list(start, end));
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
    const payload = await this.config.signer.verify(token, this.config.now());
    if (payload === undefined) throw unauthorized('the token is not a valid, unexpired order signed by Intergiro');
    const id = payload.id;
    const record = typeof id === 'string' ? this.book.get(id) : undefined;
    if (record === undefined) throw notFound('the token names no known order');
    return jsonReply(200, record.order);
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
    return { status: 303, headers: { location: location.toString() } };
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

function urlHost(host: string): string {
  // A wildcard address is not something a client can connect to; loopback is.
  if (host === '0.0.0.0' || host === '::') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}

export async function startIntergiroSandbox(options: IntergiroSandboxOptions): Promise<IntergiroSandbox> {
  if (options.apiKey.length === 0) throw new Error('the Intergiro sandbox needs a non-empty apiKey');
  if (options.signing.alg === 'HS256' && options.signing.secret.length === 0) {
    throw new Error('the Intergiro sandbox needs a non-empty HS256 secret');
  }
  const host = options.host ?? '127.0.0.1';
  const signer = await createSigner(options.signing);
  const timers = new Timers();
  const callbacks = new CallbackDispatcher(timers, options.callbackRetryDelaysMs ?? [200, 1000, 3000]);

  // Set once the port (and so the base URL) is known; requests before that get 503.
  // eslint-disable-next-line prefer-const
  let sandbox: IntergiroSandboxServer | undefined;
  const server = createServer((req, res) => {
    if (sandbox === undefined) {
      res.writeHead(503).end();
      return;
    }
    void sandbox.handle(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const url = (options.publicUrl ?? `http://${urlHost(host)}:${port}`).replace(/\/$/, '');
  const core = new IntergiroSandboxServer({
    baseUrl: url,
    apiKey: options.apiKey,
    now: options.now ?? (() => new Date()),
    signer,
    timers,
    callbacks,
    customers: new Set(options.customers ?? DEFAULT_CUSTOMERS),
    pendingSettleMs: options.pendingSettleMs ?? 1500,
  });
  sandbox = core;

  let closing: Promise<void> | undefined;
  return {
    url,
    jwksUrl: signer.jwks === undefined ? undefined : `${url}/.well-known/jwks.json`,
    close: () =>
      (closing ??= new Promise<void>((resolve) => {
        timers.close();
        server.close(() => resolve());
        server.closeAllConnections();
      })),
    getOrder: (id) => {
      const order = core.book.get(id)?.order;
      return order === undefined ? undefined : structuredClone(order);
    },
    sentCallbacks: () => callbacks.sent(),
    resendLastCallback: (orderId) => core.resendLastCallback(orderId),
    signOrder: (order, opts) => core.sign(order, opts?.expiresInSec ?? JWT_LIFETIME_SEC, opts?.key === 'wrong'),
    pauseCallbacks: (paused) => callbacks.pause(paused),
    fault: (next) => core.fault(next),
    payLink: (orderId, outcome) => core.payLink(orderId, outcome),
    callbacksIdle: () => callbacks.idle(),
  };
}
