import { assertNever, badInput, providerUnavailable } from '../../domain/errors.js';
import { zero, type Money } from '../../domain/money.js';
import type { ProviderObservation } from '../../domain/observation.js';
import { unknownStatusFact } from '../../domain/provider-oddities.js';
import type { LineItem, Order, OrderCreation, Payment } from '../../domain/order.js';
import type { CreateOrderCommand } from '../../domain/provider-port.js';
import { paymentStatusFor, type OrderStatus } from '../../domain/status.js';
import { maskNationalIds } from '../../scrub.js';
import { formatSeedDateTime } from './dates.js';
import { readOptions } from '../options.js';
import { PeiOptions } from './options.js';
import type { PeiItem, PeiOrder } from './order-shape.js';
import type { PeiStatus } from './status-words.js';
import type { PeiError, PeiItemRequest, PeiOrderRequest, PeiPaid, PeiPayRequest, PeiSubmitted } from './wire.js';
import type { PeiSequenceType } from './wire-fields.js';

/** What a checked createOrder(provider: PEI) asks Pei for. */
export type PeiPlan =
  | { kind: 'order'; sequenceType: PeiSequenceType; mandateId?: string; options: PeiOptions }
  | { kind: 'pay'; nationalId: string; name: string; email: string };

/** Pei charges in ISK only: krónur have no minor units, so a Money's minor units are whole krónur. */
export const PEI_CURRENCY = 'ISK';
const krónur = (money: Money): number => money.minor;
/** Seed: "Default is one day into the future". */
export const DEFAULT_EXPIRY_MS = 24 * 60 * 60 * 1000;
/**
 * How long past its expirationDate a Pending order still counts as awaiting the buyer. Pei's page
 * may take a confirmation at the very edge of the expiry, and Pei's clock and the gateway's differ
 * a little: calling the order EXPIRED (final) the instant the gateway's clock passes the date
 * would leave a buyer who did pay with an expired order and the payment only in its history.
 */
export const EXPIRY_GRACE_MS = 2 * 60 * 1000;
/** Pei answers one day per listing call; a range is asked day by day, at most this many. */
export const MAX_LISTING_DAYS = 31;

const KENNITALA = /^\d{6}-?\d{4}$/;
const EMAIL = /^[^@\s]+@[^@\s]+$/;

// ---- gateway -> Pei ------------------------------------------------------------------------

/** Pei's input rules, checked before anything is stored or sent; each error names the input path. */
export function checkPeiCreate(command: CreateOrderCommand, now: Date): PeiPlan {
  const options = readOptions(PeiOptions, command.options, 'input.pei') ?? {};
  if (command.currency !== PEI_CURRENCY) throw badInput('input.currency', 'Pei charges in ISK only');
  if (!command.items.length) throw badInput('input.items', 'A PEI order needs items');
  const buyer = command.buyer ?? {};
  if (buyer.customerId) throw badInput('input.buyer.customerId', 'Pei has no customer ids; send the buyer by name, email and national id');
  if (buyer.nationalId !== undefined && !KENNITALA.test(buyer.nationalId)) {
    throw badInput('input.buyer.nationalId', 'An Icelandic national id (kennitala) is 10 digits, optionally with a hyphen after the sixth');
  }
  if (buyer.email !== undefined && !EMAIL.test(buyer.email)) throw badInput('input.buyer.email', 'Not an e-mail address');
  if (command.returnUrls?.failure) throw badInput('input.returnUrls.failure', 'Pei has a success and a cancel URL only');

  if (options.purchaseForBuyer) return checkPurchaseForBuyer(command, options);

  const sequenceType = SEQUENCE_TYPE[options.sequenceType ?? 'ONE_OFF'];
  if (sequenceType === 'Recurring' && !options.mandateId) {
    throw badInput('input.pei.mandateId', 'A RECURRING order needs the mandateId of its FIRST order');
  }
  if (sequenceType !== 'Recurring' && options.mandateId) throw badInput('input.pei.mandateId', 'A mandateId goes with sequenceType RECURRING only');
  if (command.expiresAt !== undefined && Date.parse(command.expiresAt) <= now.getTime()) {
    throw badInput('input.expiresAt', 'The expiry must be in the future');
  }
  const subscription = options.subscription;
  if (subscription) {
    if (subscription.frequencyInterval < 1) throw badInput('input.pei.subscription.frequencyInterval', 'At least 1');
    if (subscription.cycles < 1) throw badInput('input.pei.subscription.cycles', 'At least 1');
  }
  // Seed: "Only one group item can be default selected."
  const selectedInGroup = new Map<string, number>();
  command.items.forEach((item, index) => {
    if (!item.group || !item.selected) return;
    if (selectedInGroup.has(item.group)) {
      throw badInput(`input.items.${index}.selected`, `Only one item of group "${item.group}" can be selected by default`);
    }
    selectedInGroup.set(item.group, index);
  });
  return { kind: 'order', sequenceType, options, ...(options.mandateId ? { mandateId: options.mandateId } : {}) };
}

function checkPurchaseForBuyer(command: CreateOrderCommand, options: PeiOptions): PeiPlan {
  if (options.sequenceType && options.sequenceType !== 'ONE_OFF') {
    throw badInput('input.pei.sequenceType', 'A purchase for a buyer is a ONE_OFF order');
  }
  if (options.mandateId) throw badInput('input.pei.mandateId', 'A purchase for a buyer takes no mandate');
  if (options.subscription) throw badInput('input.pei.subscription', 'A purchase for a buyer takes no subscription');
  if (command.returnUrls) throw badInput('input.returnUrls', 'A purchase for a buyer has no checkout page to return from');
  if (command.expiresAt) throw badInput('input.expiresAt', 'A purchase for a buyer is confirmed at once; it does not expire');
  command.items.forEach((item, index) => {
    if (item.group || item.optional != null || item.selected != null) {
      throw badInput(`input.items.${index}.${item.group ? 'group' : item.optional != null ? 'optional' : 'selected'}`, 'A purchase for a buyer has no optional or grouped items');
    }
  });
  const buyer = command.buyer ?? {};
  if (!buyer.name) throw badInput('input.buyer.name', "A purchase for a buyer needs the buyer's name");
  if (!buyer.nationalId) throw badInput('input.buyer.nationalId', "A purchase for a buyer needs the buyer's national id");
  if (!buyer.email) throw badInput('input.buyer.email', "A purchase for a buyer needs the buyer's email");
  return { kind: 'pay', name: buyer.name, nationalId: buyer.nationalId.replace('-', ''), email: buyer.email };
}

const SEQUENCE_TYPE: Record<NonNullable<PeiOptions['sequenceType']>, PeiSequenceType> = {
  ONE_OFF: 'OneOff',
  FIRST: 'First',
  RECURRING: 'Recurring',
};

function toItem(item: LineItem, withGroups: boolean): PeiItemRequest {
  return {
    name: item.name,
    ...(item.code ? { code: item.code } : {}),
    ...(item.quantity !== undefined ? { quantity: item.quantity } : {}),
    ...(item.unit ? { unit: item.unit } : {}),
    ...(item.unitPrice ? { unitPrice: krónur(item.unitPrice) } : {}),
    amount: krónur(item.amount),
    ...(withGroups && item.group ? { groupName: item.group } : {}),
    ...(withGroups && item.optional != null ? { isOptional: item.optional } : {}),
    ...(withGroups && item.selected != null ? { isDefaultSelected: item.selected } : {}),
  };
}

export interface PeiRequestContext {
  merchantId: number;
  /** The gateway's `/webhooks/pei`. */
  postbackUrl: string;
  now: Date;
}

export function toOrderRequest(command: CreateOrderCommand, plan: Extract<PeiPlan, { kind: 'order' }>, context: PeiRequestContext): PeiOrderRequest {
  const total = command.total;
  if (!total) throw new Error('checkPeiCreate guarantees items, so a total');
  const buyer = command.buyer ?? {};
  const subscription = plan.options.subscription;
  return {
    merchantId: context.merchantId,
    amount: krónur(total),
    // The gateway's order id when the client gave none: a creation whose answer is lost is found by it.
    reference: command.reference ?? command.orderId,
    // Sent even when the client gave none, so the gateway knows when to call the order expired.
    expirationDate: command.expiresAt ?? new Date(context.now.getTime() + DEFAULT_EXPIRY_MS).toISOString(),
    ...(command.returnUrls?.success ? { successReturnUrl: command.returnUrls.success } : {}),
    ...(command.returnUrls?.cancel ? { cancelReturnUrl: command.returnUrls.cancel } : {}),
    postbackUrl: context.postbackUrl,
    sequenceType: plan.sequenceType,
    mandateId: plan.mandateId ?? null,
    // Seed: Buyer is required, its fields are not (the buyer may identify on Pei's page).
    buyer: {
      ...(buyer.name ? { name: buyer.name } : {}),
      ...(buyer.nationalId ? { ssn: buyer.nationalId.replace('-', '') } : {}),
      ...(buyer.email ? { email: buyer.email } : {}),
      ...(buyer.phone ? { mobileNumber: buyer.phone } : {}),
    },
    items: command.items.map((item) => toItem(item, true)),
    ...(subscription
      ? {
          subscriptionOptions: {
            startDate: subscription.startDate,
            frequency: subscription.frequency === 'WEEK' ? ('Week' as const) : ('Month' as const),
            frequencyInterval: subscription.frequencyInterval,
            cycles: subscription.cycles,
          },
        }
      : {}),
  };
}

/**
 * The order with its dates and SubscriptionOptions as the seed's tables write them, where the
 * gateway sends its JSON example's forms (round eight): the table's ExpirationDate is
 * `2018-07-31 13:33:33.337` (no zone: UTC, Iceland's time) where the example writes
 * `2018-05-13T12:33:48.008Z`, and its SubscriptionOptions say StartDate "Format: dd-mm-yyyy" and
 * "Cycles String" where the example writes `"startDate": "2016-05-12"` and `"cycles": 5`. A Pei
 * whose model follows the tables refuses the example's forms. Undefined when nothing would differ.
 */
export function asTableWrites(request: PeiOrderRequest): PeiOrderRequest | undefined {
  const expires = Date.parse(request.expirationDate);
  const expirationDate = Number.isNaN(expires) ? request.expirationDate : formatSeedDateTime(new Date(expires));
  const subscription = request.subscriptionOptions;
  const date = subscription ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(subscription.startDate) : null;
  const subscriptionOptions =
    subscription && date ? { ...subscription, startDate: `${date[3]}-${date[2]}-${date[1]}`, cycles: String(subscription.cycles) } : subscription;
  if (expirationDate === request.expirationDate && subscriptionOptions === subscription) return undefined;
  return { ...request, expirationDate, ...(subscriptionOptions ? { subscriptionOptions } : {}) };
}

export function toPayRequest(command: CreateOrderCommand, plan: Extract<PeiPlan, { kind: 'pay' }>, context: PeiRequestContext): PeiPayRequest {
  const total = command.total;
  if (!total) throw new Error('checkPeiCreate guarantees items, so a total');
  return {
    merchantId: context.merchantId,
    amount: krónur(total),
    ...(command.reference ? { reference: command.reference } : {}),
    postbackUrl: context.postbackUrl,
    buyer: {
      name: plan.name,
      ssn: plan.nationalId,
      email: plan.email,
      ...(command.buyer?.phone ? { mobileNumber: command.buyer.phone } : {}),
    },
    items: command.items.map((item) => toItem(item, false)),
  };
}

// ---- Pei -> gateway ------------------------------------------------------------------------

/**
 * Where a Pei order stands, by its status word and, for a Pending one, its expirationDate. Pei's
 * own "Expired" is expired at once; an order still Pending past its expirationDate is expired by
 * the gateway's clock only after a grace period (EXPIRY_GRACE_MS), since Pei's page may still
 * take a confirmation at the edge and the two clocks differ a little.
 */
export type PeiState = 'awaiting_buyer' | 'charging' | 'expired' | 'confirmed' | 'cancelled';

export function stateOf(
  order: Pick<PeiOrder, 'sequenceType' | 'expirationDate' | 'created'> & { status: PeiStatus },
  now: Date,
  expiryGraceMs: number = EXPIRY_GRACE_MS,
  purchaseForBuyer = false,
): PeiState {
  const status: PeiStatus = order.status;
  switch (status) {
    case 'Pending': {
      if (order.sequenceType === 'Recurring') return 'charging'; // charged on the mandate, not by the buyer
      // Orders/Pay: Pei charges the buyer itself. No buyer is waited for on a page, and the order
      // has no ExpirationDate of the merchant's (its input has none: a read may show none, a
      // default, or .NET's DateTime.MinValue), so its date expires nothing.
      if (purchaseForBuyer) return 'charging';
      const expires = order.expirationDate?.getTime() ?? (order.created ? order.created.getTime() + DEFAULT_EXPIRY_MS : undefined);
      // Without either date only Pei's own word can expire it.
      return expires !== undefined && now.getTime() >= expires + expiryGraceMs ? 'expired' : 'awaiting_buyer';
    }
    case 'Confirmed':
      return 'confirmed';
    case 'Cancelled':
      return 'cancelled';
    case 'Expired':
      return 'expired';
    default:
      return assertNever(status, 'Pei status');
  }
}

/** CONTRACT §7, explicit and exhaustive. */
export function orderStatusOf(state: PeiState): OrderStatus {
  switch (state) {
    case 'awaiting_buyer':
      return 'CREATED';
    case 'charging':
      return 'PENDING';
    case 'confirmed':
      return 'CAPTURED'; // a Pei purchase is a completed purchase
    case 'cancelled':
      return 'CANCELLED';
    case 'expired':
      return 'EXPIRED';
    default:
      return assertNever(state, 'Pei state');
  }
}

/**
 * The buyer's page: the one Pei named for the order (Submit's CheckoutUrl, round eight: the seed's
 * "payment gateway which is the CheckoutUrl property in the response"), else the Workflow's
 * `<PEI_CHECKOUT_URL>/<orderId>`.
 */
function creationOf(state: PeiState, orderId: string, checkoutUrl: string, page?: string | null): OrderCreation {
  if (state === 'awaiting_buyer') {
    return { status: 'STOPPED', stopAction: { type: 'REDIRECT', redirectUrl: page ?? `${checkoutUrl}/${encodeURIComponent(orderId)}` }, infos: [] };
  }
  return { status: 'COMPLETED', infos: [] };
}

interface PeiFacts {
  orderId: string;
  /** Made by Orders/Pay (kept in providerData, so later reads are judged alike). */
  purchaseForBuyer?: boolean;
  total: Money;
  state: PeiState;
  /** Pei's word (one the gateway does not know is shown as Pei wrote it). */
  providerStatus: string;
  purchaseId?: string | null;
  mandateId?: string | null;
  /** The buyer's page as Pei named it (creationOf), kept in providerData for later reads. */
  checkoutPage?: string | null;
}

/**
 * One fact about a Pei order. The key is its state (plus the purchase once confirmed, and whether
 * a mandate is known): a postback re-read, a poll and the create answer that see the same state
 * are one fact.
 */
function observationOf(facts: PeiFacts, checkoutUrl: string): ProviderObservation {
  const status = orderStatusOf(facts.state);
  const captured = facts.state === 'confirmed' ? facts.total : zero(facts.total.currency);
  const payment: Payment = {
    id: facts.orderId,
    method: 'pei',
    status: paymentStatusFor(status, captured.minor, 0),
    amount: facts.total,
    capturedAmount: captured,
    refundedAmount: zero(facts.total.currency),
    ...(facts.purchaseId != null ? { providerReference: String(facts.purchaseId) } : {}),
    ...(facts.mandateId ? { mandateId: facts.mandateId } : {}),
  };
  return {
    // With its mandate or not: a First order's mandate may come with its postback after a poll saw it confirmed without one.
    key: factKey(facts.orderId, facts.state, facts.purchaseId, Boolean(facts.mandateId)),
    type: facts.state === 'awaiting_buyer' ? 'submitted' : facts.state,
    status,
    providerStatus: facts.providerStatus,
    providerOrderId: facts.orderId,
    payments: [payment],
    creation: creationOf(facts.state, facts.orderId, checkoutUrl, facts.checkoutPage),
    ...(facts.state === 'confirmed' ? { amount: captured } : {}),
    ...(facts.mandateId || facts.purchaseForBuyer || facts.checkoutPage
      ? {
          providerData: {
            ...(facts.mandateId ? { mandateId: facts.mandateId } : {}),
            ...(facts.purchaseForBuyer ? { [PURCHASE_FOR_BUYER]: true } : {}),
            ...(facts.checkoutPage ? { [CHECKOUT_PAGE]: facts.checkoutPage } : {}),
          },
        }
      : {}),
  };
}

function factKey(orderId: string, state: string, purchaseId: string | null | undefined, withMandate: boolean): string {
  return `pei:${orderId}:${state}${purchaseId != null ? `:${purchaseId}` : ''}${withMandate ? ':mandate' : ''}`;
}

/**
 * The keys a read of the order confirmed under `purchaseId` is recorded under (with its mandate
 * known or not): what a fact restating that confirmation's amount covers (webhook.ts chargedAs).
 */
export function confirmedKeysOf(orderId: string, purchaseId: string): string[] {
  return [factKey(orderId, 'confirmed', purchaseId, false), factKey(orderId, 'confirmed', purchaseId, true)];
}

/** The providerData key that marks an order made by Orders/Pay. */
export const PURCHASE_FOR_BUYER = 'purchaseForBuyer';
/** The providerData key of the buyer's page Pei named for the order (Submit's CheckoutUrl). */
export const CHECKOUT_PAGE = 'checkoutUrl';

/** The buyer's page Pei named for an order, as observationOf kept it. */
export function checkoutPageOf(order: Pick<Order, 'providerData'>): string | undefined {
  const value = order.providerData[CHECKOUT_PAGE];
  return typeof value === 'string' ? value : undefined;
}

export function totalOf(order: PeiOrder): Money {
  return { currency: PEI_CURRENCY, minor: order.amount };
}

/** How a read Pei order is judged: the clock, the expiry grace and where its checkout page is. */
export interface PeiReadContext {
  now: Date;
  /** Default EXPIRY_GRACE_MS. */
  expiryGraceMs?: number;
  checkoutUrl: string;
  /** The order was made by Orders/Pay: a Pending one is being charged, not waiting on a buyer (stateOf). */
  purchaseForBuyer?: boolean;
  /**
   * The ExpirationDate the gateway submitted the order with: its expiry where Pei's read shows
   * none (or none it can read), or one before it (expiryOf).
   */
  sentExpiry?: Date;
  /**
   * The buyer's page Pei named when the order was submitted (Submit's CheckoutUrl): reads carry
   * none (the seed's Order has no such field), and a read's REDIRECT must still go there.
   */
  checkoutPage?: string;
  /**
   * Purchase ids Pei's own postback (to the URL the gateway signed) said were refused (round
   * eleven: `Declined` beside the attempt's purchase id; refusedPurchasesOf). A read without a
   * status word that names one is no confirmation: the seed gives such a read nothing else to say.
   */
  refusedPurchases?: ReadonlySet<string>;
  /**
   * Purchase ids Pei's own signed postback named beside a word the gateway does not know (round
   * twelve: `Approved`, `Greitt`; heldPurchasesOf), with that word. A read without a status word
   * that names one (or names none) is read as that word: the order keeps its status (CONTRACT §7),
   * neither confirmed nor expired by its date.
   */
  heldPurchases?: ReadonlyMap<string, string>;
  /**
   * What Pei's own signed postback said it charged for a purchase (round twelve: its `amount`,
   * chargedAmountsOf), where its reads keep the Amount as submitted: a read naming that purchase is
   * read with that amount (the buyer chose among the order's items on Pei's page).
   */
  chargedAmounts?: ReadonlyMap<string, number>;
}

/** The providerData key that notes a purchase id Pei's signed postback said was refused. */
const REFUSED_PURCHASE = 'refusedPurchase:';
export const refusedPurchaseKey = (purchaseId: string): string => `${REFUSED_PURCHASE}${purchaseId}`;

/**
 * What an order's providerData notes per purchase id under `prefix` (refusedPurchaseKey,
 * heldPurchaseKey, chargedAmountKey): each note's value as `read` takes it (undefined: not taken),
 * for purchase ids that are positive whole numbers.
 */
function notedByPurchase<T>(order: Pick<Order, 'providerData'>, prefix: string, read: (value: unknown) => T | undefined): Map<string, T> {
  const noted = new Map<string, T>();
  for (const [key, value] of Object.entries(order.providerData)) {
    if (!key.startsWith(prefix)) continue;
    const id = key.slice(prefix.length);
    const taken = read(value);
    if (/^[1-9]\d{0,18}$/.test(id) && taken !== undefined) noted.set(id, taken);
  }
  return noted;
}

/** The purchase ids noted as refused on an order (refusedPurchaseKey), for its reads' PeiReadContext. */
export function refusedPurchasesOf(order: Pick<Order, 'providerData'>): Set<string> {
  return new Set(notedByPurchase(order, REFUSED_PURCHASE, (value) => (value === true ? true : undefined)).keys());
}

/** The providerData key that notes a purchase id Pei's signed postback named beside a word the gateway does not know (its value: the word). */
const HELD_PURCHASE = 'heldPurchase:';
export const heldPurchaseKey = (purchaseId: string): string => `${HELD_PURCHASE}${purchaseId}`;

/** The purchase ids noted with a word the gateway does not know (heldPurchaseKey), and the word. */
export function heldPurchasesOf(order: Pick<Order, 'providerData'>): Map<string, string> {
  return notedByPurchase(order, HELD_PURCHASE, (value) => (typeof value === 'string' ? value : undefined));
}

/** The providerData key that notes what Pei's signed postback said it charged for a purchase id (its value: whole krónur). */
const CHARGED_AMOUNT = 'chargedAmount:';
export const chargedAmountKey = (purchaseId: string): string => `${CHARGED_AMOUNT}${purchaseId}`;

/** The amounts noted as charged per purchase id (chargedAmountKey). */
export function chargedAmountsOf(order: Pick<Order, 'providerData'>): Map<string, number> {
  return notedByPurchase(order, CHARGED_AMOUNT, (value) => (typeof value === 'number' && Number.isSafeInteger(value) && value > 0 ? value : undefined));
}

/** What Pei's signed postbacks noted on an order (refused purchases, purchases held by a word, amounts charged), for its reads' PeiReadContext. */
export function postbackNotesOf(order: Pick<Order, 'providerData'>): Pick<PeiReadContext, 'refusedPurchases' | 'heldPurchases' | 'chargedAmounts'> {
  const refusedPurchases = refusedPurchasesOf(order);
  const heldPurchases = heldPurchasesOf(order);
  const chargedAmounts = chargedAmountsOf(order);
  return {
    ...(refusedPurchases.size ? { refusedPurchases } : {}),
    ...(heldPurchases.size ? { heldPurchases } : {}),
    ...(chargedAmounts.size ? { chargedAmounts } : {}),
  };
}

/**
 * The expiry a Pending order is judged by: the one Pei's read shows, unless it is before the one
 * the gateway sent by a time zone's offset (a whole number of quarter hours, at most 14 hours,
 * give or take the seconds a format drops): then the one sent. A read's date may be a .NET
 * DateTime of the server's own zone written without one (`2026-12-05T03:00:00` for 08:00 UTC at a
 * server five hours behind), which reads as UTC hours early, and EXPIRED (final) would come while
 * the buyer can still pay on Pei's page. Taking the later date is the safe side when the two
 * cannot be told apart: a read hours *after* the one sent (a server ahead of UTC, or Pei extended
 * it) is taken as it is, and a date Pei shortened by other than a zone's offset is Pei's. Pei's own
 * `Expired` ends the order at once either way.
 */
function expiryOf(read: Date | null | undefined, sent: Date | undefined): Date | null {
  if (read == null) return sent ?? null;
  if (sent === undefined) return read;
  if (dayOfSent(read, sent)) return new Date(Math.max(sent.getTime(), read.getTime() + DAY_MS));
  const offset = read.getTime() - sent.getTime();
  const quarters = Math.round(offset / ZONE_STEP_MS);
  const zoneAway = quarters < 0 && Math.abs(offset) <= MAX_ZONE_OFFSET_MS + ZONE_SLACK_MS && Math.abs(offset - quarters * ZONE_STEP_MS) <= ZONE_SLACK_MS;
  return zoneAway ? sent : read;
}

/**
 * Whether a read's ExpirationDate is the date of the one the gateway sent, without its time of day
 * (round nine): a midnight before the instant sent, on the day that instant falls on in some zone
 * (UTC-12 to UTC+14). A Pei keeping the expiry in a SQL `date` column (the seed: "An expiration
 * date for the order"; "Default is one day into the future") answers `2026-12-07T00:00:00`, or
 * writes the date alone (`2026-12-07`); either reads as that day's first instant, hours before the
 * expiry sent, and the order was EXPIRED (final) from that midnight on while the buyer could still
 * pay (an order expiring later today, at once). Such a date names a day the buyer may pay through:
 * the order expires at that day's end, or at the instant sent if that is later.
 */
function dayOfSent(read: Date, sent: Date): boolean {
  const at = read.getTime();
  if (at % DAY_MS !== 0 || at >= sent.getTime()) return false;
  const firstDay = Math.floor((sent.getTime() - 12 * 60 * 60 * 1000) / DAY_MS) * DAY_MS;
  const lastDay = Math.floor((sent.getTime() + MAX_ZONE_OFFSET_MS) / DAY_MS) * DAY_MS;
  return at >= firstDay && at <= lastDay;
}

/** Time zones are whole quarter hours from UTC (Nepal +5:45, Eucla +8:45), at most 14 hours (Kiribati). */
const ZONE_STEP_MS = 15 * 60 * 1000;
const MAX_ZONE_OFFSET_MS = 14 * 60 * 60 * 1000;
/** A date format may drop the milliseconds, or the seconds (`7/31/2018 1:33 PM`). */
const ZONE_SLACK_MS = 60 * 1000;

/** The word a read without a word is held by (PeiReadContext.heldPurchases): its purchase's, or, naming none, the first noted. */
function heldWordOf(purchaseId: string | null, held: ReadonlyMap<string, string> | undefined): string | undefined {
  if (!held?.size) return undefined;
  return purchaseId != null ? held.get(purchaseId) : held.values().next().value;
}

/**
 * A Pei order as read back (GET, listing, a postback's re-read). A status word the gateway does
 * not know leaves the order as it is (CONTRACT §7), reported and shown in providerStatus.
 */
export function observationOfOrder(read: PeiOrder, context: PeiReadContext): ProviderObservation {
  // Round eleven: a read that says no word and names a purchase Pei's signed postback called
  // refused is read as one without it (the charge is still under way, or the buyer still to pay).
  // Before, such a read was Pei's confirmation: a declined Recurring or Orders/Pay charge CAPTURED.
  const refused = !read.statusWritten && read.purchaseId != null && context.refusedPurchases?.has(read.purchaseId) === true;
  // Round twelve: one that says no word and names a purchase Pei's signed postback named beside a
  // word the gateway does not know (`Approved`), or names no purchase at all beside such a note
  // (a Pei whose reads never show it), is read as that word: the order keeps its status. Before,
  // such a word was a refusal: the paid purchase was read away and the order EXPIRED at its date
  // with nothing captured.
  const held = read.statusWritten || refused ? undefined : heldWordOf(read.purchaseId, context.heldPurchases);
  // Round twelve: a read naming a purchase whose charge Pei's signed postback stated is read with
  // that amount: a read echoing the Amount as submitted does not show what the buyer chose.
  const charged = read.purchaseId != null ? context.chargedAmounts?.get(read.purchaseId) : undefined;
  const order: PeiOrder = refused
    ? { ...read, status: 'Pending', purchaseId: null }
    : held !== undefined
      ? { ...read, status: { unknown: held }, statusWritten: true, unknownWord: held }
      : charged !== undefined
        ? { ...read, amount: charged }
        : read;
  const status = order.status;
  if (typeof status !== 'string') return unknownStatusFact('PEI', status.unknown, order.orderId);
  // Round fourteen: a SequenceType the gateway cannot read says nothing of an Orders/Pay order (its
  // input has none) nor of a confirmed, cancelled or expired one; only a Pending order's state
  // depends on it (a mandate charging, or a buyer who may let it expire), and that is not guessed.
  if (order.sequenceTypeUnread && status === 'Pending' && !context.purchaseForBuyer) {
    throw providerUnavailable('Pei', new Error('a Pending order whose sequenceType the gateway cannot read'));
  }
  return observationOf(
    {
      orderId: order.orderId,
      total: totalOf(order),
      state: stateOf({ ...order, status, expirationDate: expiryOf(order.expirationDate, context.sentExpiry) }, context.now, context.expiryGraceMs, context.purchaseForBuyer),
      providerStatus: order.unknownWord ?? status,
      ...(context.purchaseForBuyer ? { purchaseForBuyer: true } : {}),
      purchaseId: order.purchaseId,
      // Round twenty-eight: a OneOff order has no mandate (the seed: MandateId "only applies if
      // SequenceType is Recurring otherwise the mandateId should be null"; a postback's "MandateId
      // when it is applicable"), whatever text a Pei writes there for none (`tbd`, a placeholder
      // no list can hold: mandate ids are letters and digits too). Before, a one-off payment named
      // a mandate `tbd`, which a client could take for a card it may charge again.
      mandateId: order.sequenceType === 'OneOff' ? null : order.mandateId,
      checkoutPage: order.checkoutUrl ?? context.checkoutPage ?? null,
    },
    context.checkoutUrl,
  );
}

/** Submit answered the orderId (and perhaps the buyer's page): the order is Pending, waiting on the buyer (or, Recurring, on the charge). */
export function observationOfSubmitted(submitted: PeiSubmitted, total: Money, plan: Extract<PeiPlan, { kind: 'order' }>, checkoutUrl: string): ProviderObservation {
  const state: PeiState = plan.sequenceType === 'Recurring' ? 'charging' : 'awaiting_buyer';
  return observationOf(
    { orderId: submitted.orderId, total, state, providerStatus: 'Pending', mandateId: plan.mandateId ?? null, checkoutPage: submitted.checkoutUrl },
    checkoutUrl,
  );
}

/** Orders/Pay creates the order confirmed (without a purchase id only when Pei named none and could not be re-read). */
export function observationOfPaid(paid: PeiPaid, total: Money, checkoutUrl: string): ProviderObservation {
  return observationOf({ orderId: paid.orderId, total, state: 'confirmed', providerStatus: 'Confirmed', purchaseId: paid.purchaseId, purchaseForBuyer: true }, checkoutUrl);
}

/** Orders/Pay answered 202 Accepted and nothing yet says it is done: Pei is charging the buyer (PENDING). */
export function observationOfCharging(paid: PeiPaid, total: Money, checkoutUrl: string): ProviderObservation {
  return observationOf({ orderId: paid.orderId, total, state: 'charging', providerStatus: 'Pending', purchaseForBuyer: true }, checkoutUrl);
}

/** The providerData key of the ExpirationDate the gateway submitted an order with (ISO). */
const EXPIRES_AT = 'expiresAt';

/** The ExpirationDate an order was submitted with, as withExpiry kept it. */
export function sentExpiryOf(order: Pick<Order, 'providerData'>): Date | undefined {
  const value = order.providerData[EXPIRES_AT];
  const time = typeof value === 'string' ? Date.parse(value) : NaN;
  return Number.isNaN(time) ? undefined : new Date(time);
}

/** A submit's observation, remembering the ExpirationDate sent (for observationOfUnshown). */
export function withExpiry(observation: ProviderObservation, expirationDate: string): ProviderObservation {
  return { ...observation, providerData: { ...observation.providerData, [EXPIRES_AT]: expirationDate } };
}

/**
 * An order Pei's read no longer shows (404, 410 Gone, 400). The seed says nothing of how long Pei
 * keeps an order: one may purge an order past its ExpirationDate, or delete one the buyer
 * cancelled. An order still awaiting the buyer past the ExpirationDate the gateway sent (and the
 * grace) is expired (CONTRACT §7: past ExpirationDate unconfirmed): Pei shows no confirmation,
 * and without this it would wait, and be re-read, for ever. Before that, or for any other order,
 * nothing is known (null): a read that lags the submit, or a Pei that answers 404 for a while.
 */
export function observationOfUnshown(order: Order, context: PeiReadContext): ProviderObservation | null {
  const expires = sentExpiryOf(order)?.getTime();
  if (order.status !== 'CREATED' || !order.providerOrderId || expires === undefined) return null;
  if (context.now.getTime() < expires + (context.expiryGraceMs ?? EXPIRY_GRACE_MS)) return null;
  return observationOf(
    { orderId: order.providerOrderId, total: order.total, state: 'expired', providerStatus: order.providerStatus ?? 'Pending', mandateId: order.payments[0]?.mandateId ?? null },
    context.checkoutUrl,
  );
}

export function lineItemsOf(order: PeiOrder): LineItem[] {
  return (order.items ?? []).map((item, index) => {
    const amount = lineAmountOf(item);
    return {
      lineId: String(index + 1),
      name: item.name,
      amount: { currency: PEI_CURRENCY, minor: amount },
      ...(item.code ? { code: item.code } : {}),
      ...(item.quantity != null ? { quantity: item.quantity } : {}),
      ...(item.unit ? { unit: item.unit } : {}),
      ...(item.unitPrice != null ? { unitPrice: { currency: PEI_CURRENCY, minor: item.unitPrice } } : {}),
      ...(item.groupName ? { group: item.groupName } : {}),
      ...(item.isOptional != null ? { optional: item.isOptional } : {}),
      ...(item.isDefaultSelected != null ? { selected: item.isDefaultSelected } : {}),
    };
  });
}

/**
 * A line's amount in whole krónur: its own `amount`, else unitPrice x quantity (quantity 1 when
 * not given), computed exactly. The quantity may be fractional (3.5 Kg.); a product that is not
 * whole krónur is not a price Pei can charge, so it is an error rather than a rounded guess. A line
 * with neither amount nor unit price is 0.
 */
export function lineAmountOf(item: Pick<PeiItem, 'amount' | 'unitPrice' | 'quantity'>): number {
  if (item.amount != null) return item.amount;
  if (item.unitPrice == null) return 0;
  const quantity = item.quantity ?? 1;
  const decimal = /^(\d+)(?:\.(\d+))?$/.exec(Math.abs(quantity).toString());
  if (!decimal) throw providerUnavailable('Pei', new Error('an item quantity that is not a plain decimal'));
  const [, whole = '', fraction = ''] = decimal;
  const scaled = BigInt(item.unitPrice) * BigInt(whole + fraction) * (quantity < 0 ? -1n : 1n);
  const divisor = 10n ** BigInt(fraction.length);
  if (scaled % divisor !== 0n) throw providerUnavailable('Pei', new Error('an item whose unitPrice x quantity is not whole krónur'));
  const amount = Number(scaled / divisor);
  if (!Number.isSafeInteger(amount)) throw providerUnavailable('Pei', new Error('an item amount out of range'));
  return amount;
}

// ---- listing -------------------------------------------------------------------------------

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The days `orders(filter: {from, to})` asks Pei for, one call each (Pei lists one date at a time).
 * Days are UTC, which is Icelandic time. Neither bound: today. Only `from`: from `from` to today.
 * Only `to`: that day. More than 31 days is BAD_USER_INPUT.
 */
export function listingDays(from: string | undefined, to: string | undefined, today: string): string[] {
  const first = from ?? to ?? today;
  const last = to ?? (from ? today : first);
  const start = Date.parse(`${first}T00:00:00Z`);
  const end = Date.parse(`${last}T00:00:00Z`);
  if (end < start) throw badInput(to ? 'filter.to' : 'filter.from', '"from" is after "to" (or after today when "to" is not given)');
  const count = Math.round((end - start) / DAY_MS) + 1;
  if (count > MAX_LISTING_DAYS) throw badInput('filter.to', `Pei orders are listed for at most ${MAX_LISTING_DAYS} days at a time`);
  return Array.from({ length: count }, (_, index) => new Date(start + index * DAY_MS).toISOString().slice(0, 10));
}

// ---- errors --------------------------------------------------------------------------------

/**
 * The closed error set: Pei's Web API error becomes PROVIDER_REJECTED. Pei gives no error code, so
 * the code is the HTTP status it answered; the field is the first model-state (or a problem's
 * `errors`) key, without the `order.` parameter prefix or System.Text.Json's `$.` path; an
 * ASP.NET Core problem's `traceId` is the correlation id (round nine). Pei may name the buyer:
 * kennitölur are masked.
 */
export function rejectionOf(httpStatus: number, error: PeiError): { message: string; providerCode: string; providerField?: string; correlationId?: string } {
  const [field, messages] = Object.entries(error.modelState ?? error.errors ?? {})[0] ?? [];
  const detail = messages?.[0];
  const said = error.message ?? error.detail ?? error.title;
  const text = [said ?? `HTTP ${httpStatus}`, detail].filter(Boolean).join(' ');
  const name = field?.replace(/^\$\.?/, '').replace(/^order\./i, '');
  const traceId = error.traceId?.trim();
  return {
    message: maskNationalIds(`Pei rejected the request: ${text}`),
    providerCode: String(httpStatus),
    ...(name ? { providerField: name } : {}),
    ...(traceId ? { correlationId: traceId.slice(0, 128) } : {}),
  };
}
