import { createHash } from 'node:crypto';
import { assertNever, providerUnavailable } from '../../domain/errors.js';
import { fingerprintOf } from '../../domain/idempotency.js';
import { equals, formatMoney, money, parseMoney, zero, type Money } from '../../domain/money.js';
import type { ProviderObservation } from '../../domain/observation.js';
import type { Info, OrderCreation, Payment, StopAction, StopActionType } from '../../domain/order.js';
import { unknownStatusFact } from '../../domain/provider-oddities.js';
import type { PaymentStatus } from '../../domain/status.js';
import { currencyCodeOf } from './currency-code.js';
import { sessionGoneOnIn } from './step-session.js';
import { isKnownPurchaseResult, type PaywayAction, type PaywayPaymentMethodsAnswer, type PaywayPurchaseEventType, type PaywayPurchaseResult, type PaywayPurchaseStatus } from './wire.js';

/** Pure translations of Payway's answers and events into the gateway's domain. */

/** The one payment of a Payway purchase (Payway has no payment ids of its own to merge by). */
export const PURCHASE_PAYMENT_ID = 'purchase';

/** What the adapter knows about a purchase besides what Payway answers. */
export interface PurchaseContext {
  /** The gateway's order id (a pending answer names no Payway order). */
  orderId: string;
  total: Money;
  /** Adyen's payment method type, e.g. "scheme". */
  method: string;
  /** Where the buyer pays; perform_additional_action needs it again. */
  origin: string;
  /** The total is the price the client stated (Payway gave none): every creation says so (TOTAL_AS_STATED). */
  totalAsStated?: boolean;
  /** What chooseTotal said of a stated price Payway's figure contradicts (STATED_TOTAL_DIFFERS): every creation says it too. */
  totalInfos?: Info[];
}

/** Adapter-private state kept in Order.providerData (no credential, token or card data). */
export interface PaywayProviderData {
  sessionReference?: string;
  /**
   * A digest of the details whose answer asked for the step the purchase is at (a challenge after
   * the fingerprint): the same details again are that earlier step's result, not this one's.
   */
  stepAskedBy?: string;
  origin?: string;
  method?: string;
  totalAsStated?: boolean;
  totalInfos?: Info[];
}

/** Info codes of the order's total when Payway states no price (CONTRACT PlaceAdyenOrderInput). */
export const TOTAL_AS_STATED = 'payway.total_as_stated';
export const STATED_TOTAL_DIFFERS = 'payway.stated_total_differs';

const totalAsStatedInfo: Info = {
  code: TOTAL_AS_STATED,
  message: "Payway's answers carry no price: the total is the amount the shopper was shown, as the client stated it",
};

/** The Infos every creation of the purchase carries besides Payway's own message. */
/**
 * (A later fact's infos replace the order's, so what is said of the total is said by each: before,
 * STATED_TOTAL_DIFFERS was said at creation only and gone once the purchase's event or its 3-D
 * Secure step was recorded, the total no longer saying why it is not Payway's figure.)
 */
const keptInfos = (context: { totalAsStated?: boolean; totalInfos?: Info[] }): Info[] => [...(context.totalAsStated ? [totalAsStatedInfo] : []), ...(context.totalInfos ?? [])];

/**
 * The order's total: Payway's own figure where an answer carried one (`offered`), else the price
 * the client stated (with an Info saying so). `discounted`: the purchase carries a discount code.
 */
export function chooseTotal(offered: Money | undefined, stated: Money, discounted = false): { total: Money; totalAsStated: boolean; infos: Info[] } {
  if (offered) {
    const differs = stated.currency !== offered.currency || stated.minor !== offered.minor;
    // With a discount code, a figure above the stated price in the same currency may be the
    // period's price before the discount: payment_methods is asked with the code (ASSUMED), but
    // CONTRACT §8 lists its query without one, and a Payway pricing the period alone answers the
    // full price while place_order charges the discounted one. Before, that full price became the
    // total and, once complete, the captured amount: more than the shopper paid. The lower,
    // stated price is the total then (never money Payway did not take), and the order says so.
    if (discounted && differs && stated.currency === offered.currency && offered.minor > stated.minor) {
      const message = `Payway prices the period at ${formatMoney(offered)} ${offered.currency}, perhaps before the discount code; the total is the stated ${formatMoney(stated)} ${stated.currency}`;
      return { total: stated, totalAsStated: false, infos: [{ code: STATED_TOTAL_DIFFERS, message }] };
    }
    const infos = differs
      ? [{ code: STATED_TOTAL_DIFFERS, message: `Payway prices the purchase at ${formatMoney(offered)} ${offered.currency}, not the stated ${formatMoney(stated)} ${stated.currency}` }]
      : [];
    return { total: offered, totalAsStated: false, infos };
  }
  return { total: stated, totalAsStated: true, infos: [totalAsStatedInfo] };
}

/** The order statuses a Payway purchase can be in (no authorisation, capture or refund steps). */
export type PaywayOrderStatus = 'ACTION_REQUIRED' | 'PENDING' | 'CAPTURED' | 'FAILED';

/** CONTRACT §7: Payway's purchase status words -> OrderStatus. */
export function statusOf(status: PaywayPurchaseStatus | PaywayPurchaseEventType): PaywayOrderStatus {
  switch (status) {
    case 'complete':
    case 'order_closed':
    case 'payment_success':
      return 'CAPTURED';
    case 'pending':
      return 'PENDING';
    case 'action_required':
      return 'ACTION_REQUIRED';
    case 'payment_failure':
      return 'FAILED';
    default:
      return assertNever(status, 'Payway purchase status');
  }
}

/** The purchase's one payment, by the purchase's status. */
function paymentStatusOf(status: PaywayOrderStatus): PaymentStatus {
  switch (status) {
    case 'CAPTURED':
      return 'CAPTURED';
    case 'PENDING':
      return 'PENDING';
    case 'ACTION_REQUIRED':
      return 'ACTION_REQUIRED';
    case 'FAILED':
      return 'FAILED';
    default:
      return assertNever(status, 'Payway purchase status');
  }
}

/**
 * Adyen action types the gateway knows -> the kind of stop action a client acts on. Adyen's
 * action types are an open set; a type not listed here (Swish's `qrCode` or `await`, `sdk`,
 * `voucher`...) still belongs to a purchase that exists at Payway, so it is handed to the
 * client as a WORKFLOW step rather than refused (see stopActionOf).
 */
const KNOWN_ACTIONS: Readonly<Record<string, 'THREE_DS' | 'REDIRECT'>> = {
  threeDS2Fingerprint: 'THREE_DS',
  threeDS2Challenge: 'THREE_DS',
  threeDS2: 'THREE_DS',
  redirect: 'REDIRECT',
};

/** The kind of stop for an action type in any letter case ("ThreeDS2Challenge"); the type itself is handed on as written. */
function actionKind(type: string): StopActionType {
  const wanted = type.trim().toLowerCase();
  const known = Object.keys(KNOWN_ACTIONS).find((name) => name.toLowerCase() === wanted);
  return (known && KNOWN_ACTIONS[known]) || 'WORKFLOW';
}

/**
 * The stop action for an Adyen action. `threeDS` carries the action for the client's drop-in
 * (`handleAction`): its type, token and payment method type, and the whole action as the
 * domain's `details` (the step's data as the provider gave it). Not to be confused with
 * perform_additional_action's `details`, which is the shopper's result of the step and is sent,
 * never stored.
 */
function stopActionOf(action: PaywayAction, sessionReference: string | undefined, message: string | undefined): StopAction {
  const kind: StopActionType = actionKind(action.type);
  if (kind === 'REDIRECT' && !action.url) throw providerUnavailable('Payway', new Error('a redirect action without a url'));
  return {
    type: kind,
    ...(message ? { reason: message } : {}),
    ...(kind === 'REDIRECT' && action.url ? { redirectUrl: action.url } : {}),
    threeDS: {
      type: action.type,
      ...(sessionReference !== undefined ? { sessionReference } : {}),
      ...(action.token !== undefined ? { token: action.token } : {}),
      ...(action.paymentMethodType !== undefined ? { paymentMethodType: action.paymentMethodType } : {}),
      details: { ...action },
    },
  };
}

function purchasePayment(status: PaywayOrderStatus, context: { total: Money; method: string }, receiptId?: string): Payment {
  const captured = status === 'CAPTURED' ? context.total : zero(context.total.currency);
  return {
    id: PURCHASE_PAYMENT_ID,
    method: context.method,
    status: paymentStatusOf(status),
    amount: context.total,
    capturedAmount: captured,
    refundedAmount: zero(context.total.currency),
    ...(receiptId ? { providerReference: receiptId } : {}),
  };
}

const tokenDigest = (token: string | undefined): string => createHash('sha256').update(token ?? '').digest('hex').slice(0, 16);

/**
 * What tells a session's step from another of the same type: its token (the seed's 3-D Secure
 * action carries one), else the whole action. Adyen's redirect, qrCode, await and sdk actions
 * carry no token, and the seed allows "additional action(s)": a redirect answered by a redirect
 * to another page (a bank's page, then its 3-D Secure page) differs by its url, a fresh QR code by
 * its data. Round ten: the token alone was digested, so such a second step had the first one's
 * key, was taken for it again and changed nothing: the order kept the first page's url and the
 * purchase could never go on. The same action asked again is still the same fact.
 */
const stepDigest = (action: PaywayAction): string => (action.token !== undefined ? tokenDigest(action.token) : fingerprintOf(action).slice(0, 16));

/**
 * Keys of the facts a purchase yields. A `complete` answer and Payway's `order_closed` event are
 * the same fact (the order closed), so one key: the event after an immediate purchase is a no-op.
 */
export const closedKey = (paywayOrderId: string): string => `payway:order:${paywayOrderId}:order_closed`;
export const failedKey = (paywayOrderId: string): string => `payway:order:${paywayOrderId}:payment_failure`;

/**
 * What place_order or perform_additional_action answered, as one fact. `sessionReference` is set
 * when answering an additional action (the session the answer belongs to).
 */
export function observationOfPurchase(result: PaywayPurchaseResult, context: PurchaseContext, sessionReference?: string): ProviderObservation {
  // A word the seed does not show: the purchase may exist, so the order keeps its status (CONTRACT §7).
  if (!isKnownPurchaseResult(result)) return unknownStatusFact('PAYWAY', result.status, result.order_id);
  const status = statusOf(result.status);
  const infos = [...keptInfos(context), ...(result.message ? [{ code: result.status, message: result.message }] : [])];
  switch (result.status) {
    case 'complete':
      return {
        // Without Payway's order id (the seed shows one, but the purchase is complete without it)
        // the fact is this order's (or this session's) completion; Payway's order_closed event
        // names the id later.
        key: result.order_id ? closedKey(result.order_id) : `payway:${sessionReference ? `session:${sessionReference}` : context.orderId}:complete`,
        type: 'complete',
        status,
        providerStatus: result.status,
        ...(result.order_id ? { providerOrderId: result.order_id } : {}),
        payments: [purchasePayment(status, context, result.receipt_id)],
        creation: { status: 'COMPLETED', infos },
        amount: context.total,
      };
    case 'pending': {
      // A pending answer carrying Adyen's action (see showsAction) is the shopper's step.
      if (result.action && showsAction(result.action)) return atAction({ ...result, action: result.action }, context, sessionGoneOnIn(result.session_reference, sessionReference), infos);
      // No Payway id yet: the fact is this order's (or this session's) pending answer.
      const scope = sessionReference ? `session:${sessionReference}` : context.orderId;
      return {
        key: `payway:${scope}:pending`,
        type: 'pending',
        status,
        providerStatus: result.status,
        // Not in the seed's pending answer; where Payway names its order all the same, its event
        // may name only that order (no merchant reference) and still find this one.
        ...(result.order_id ? { providerOrderId: result.order_id } : {}),
        payments: [purchasePayment(status, context)],
        creation: { status: 'COMPLETED', infos },
      };
    }
    case 'action_required': {
      // A further action in the same session may leave its session out (CONTRACT §8 only says the
      // answer is "like place_order"): it goes on in the session it answers. A first action
      // without one could never be continued. Round twenty-four: a further action's session
      // written `"null"` (no-value-text.ts) is the session it answers; it was sent as "null", so
      // Payway refused the challenge's result and the shopper could never pay.
      const session = sessionGoneOnIn(result.session_reference, sessionReference);
      if (!session) throw providerUnavailable('Payway', new Error('an action_required without its session_reference'));
      return atAction(result, context, session, infos);
    }
    default:
      return assertNever(result, 'Payway purchase answer');
  }
}

/**
 * Whether a pending answer's action can be shown to the shopper: a redirect needs its page. One
 * that cannot (a redirect without a url) leaves the answer the plain pending one the seed shows,
 * as before, rather than an unreadable answer for a purchase that exists.
 */
const showsAction = (action: PaywayAction): boolean => actionKind(action.type) !== 'REDIRECT' || action.url !== undefined;

/**
 * The shopper's step an answer asks for: the seed's action_required, or a pending answer carrying
 * Adyen's action. Adyen answers `Pending` with an action where the shopper has yet to act in
 * another app (Swish's `qrCode` on a computer, an `await` while the app is opened; Swish is
 * Sweden's, and Payway's addresses are SE, FI or AX), and a Payway relaying Adyen's result code
 * as its status word passes the action on as it does for action_required. Round thirteen: the
 * action was dropped, so the order was PENDING with no step: the shopper never saw the QR code,
 * the payment could never be made, and the purchase ended in its payment_failure. Such an answer
 * is ACTION_REQUIRED with its step now, shown with Payway's word (`pending`). Without a session
 * (none in the answer, none it answers in) the step cannot be continued through Payway, but it
 * is still shown: the shopper acts in the other app, and the purchase's event settles it.
 */
function atAction(
  result: { status: 'pending' | 'action_required'; action: PaywayAction; order_id?: string | undefined; message?: string | undefined },
  context: PurchaseContext,
  session: string | undefined,
  infos: Info[],
): ProviderObservation {
  const creation: OrderCreation = { status: 'STOPPED', stopAction: stopActionOf(result.action, session, result.message), infos };
  const providerData: PaywayProviderData = {
    ...(session ? { sessionReference: session } : {}),
    origin: context.origin,
    method: context.method,
    ...(context.totalAsStated ? { totalAsStated: true } : {}),
    ...(context.totalInfos?.length ? { totalInfos: context.totalInfos } : {}),
  };
  return {
    // A second action (fingerprint, then challenge) is a new fact, not a repeat.
    key: `payway:${session ? `session:${session}` : context.orderId}:${result.action.type}:${stepDigest(result.action)}`,
    type: result.status,
    status: 'ACTION_REQUIRED',
    providerStatus: result.status,
    // As for pending: not in the seed's answer, kept where given.
    ...(result.order_id ? { providerOrderId: result.order_id } : {}),
    payments: [purchasePayment('ACTION_REQUIRED', context)],
    creation,
    providerData: { ...providerData },
  };
}

/**
 * Adyen refused what an additional action sent (a failed 3-D Secure challenge): the purchase is
 * over. Payway tells it as an error with Adyen's correlation id, and no event follows.
 */
export function observationOfRefusal(sessionReference: string, refusal: { providerCode?: string; message: string }, context: PurchaseContext): ProviderObservation {
  const code = refusal.providerCode ?? 'refused';
  return {
    key: `payway:session:${sessionReference}:refused`,
    type: code,
    status: 'FAILED',
    providerStatus: code,
    payments: [purchasePayment('FAILED', context)],
    creation: { status: 'FAILED', infos: [...keptInfos(context), { code, message: refusal.message }] },
  };
}

/** The Info of a payment_failure that may be the order's or a refused purchase's (observationOfUnplacedFailure). */
export const FAILURE_UNPLACED_INFO = 'payway.failure_unplaced';

/**
 * A payment_failure under the order's merchant reference that a purchase Payway refused under
 * the same reference a moment before may own as well (PurchaseIndex.doubtedOwner): the order
 * keeps its status (never FAILED by a guess: FAILED is final, and its own order_closed could not
 * undo it) and says so, so that a person can look in Payway. Once per Payway order named.
 */
export function observationOfUnplacedFailure(orderId: string, paywayOrderId: string | undefined): ProviderObservation {
  return {
    key: `payway:${orderId}:failure_unplaced:${paywayOrderId ?? ''}`,
    type: 'payment_failure_unplaced',
    status: null,
    provider: 'PAYWAY',
    providerStatus: 'payment_failure',
    unplaced: [
      {
        code: FAILURE_UNPLACED_INFO,
        message:
          'Payway reported a payment failure under this order\'s merchant reference shortly after refusing another purchase under it; it may be either\'s, so the order keeps its status until Payway closes or fails it by its order, or someone checks in Payway',
      },
    ],
  };
}

/** The Info of an Adyen AUTHORISATION that may be the order's or another paid purchase's (observationOfUnplacedAuthorisation). */
export const AUTHORISATION_UNPLACED_INFO = 'payway.authorisation_unplaced';

/**
 * An AUTHORISATION relayed from Adyen under the order's merchant reference, where another purchase
 * under that reference was paid (PurchaseIndex.paidBeside): Adyen notifies every payment, naming
 * only the reference, so it may be that purchase's. The order keeps its status (never CAPTURED by
 * a guess: nothing may have been paid for it) and says so, so that a person can look in Payway;
 * Payway's own order_closed naming its order still settles it. Once per order.
 */
export function observationOfUnplacedAuthorisation(orderId: string): ProviderObservation {
  return {
    key: `payway:${orderId}:authorisation_unplaced`,
    type: 'authorisation_unplaced',
    status: null,
    provider: 'PAYWAY',
    providerStatus: 'AUTHORISATION',
    unplaced: [
      {
        code: AUTHORISATION_UNPLACED_INFO,
        message:
          "Adyen reported an authorisation under this order's merchant reference, which another purchase already paid under; it may be either's, so the order keeps its status until Payway closes it by its order, or someone checks in Payway",
      },
    ],
  };
}

/**
 * A verified purchase event, as one fact; `context` is absent when the gateway never saw the
 * purchase. The event names Payway's order, or only the purchase's merchant reference (then
 * `orderId` is the gateway order it belongs to, and the fact is that order's).
 */
export function observationOfEvent(
  event: PaywayPurchaseEventType,
  about: { paywayOrderId?: string; orderId?: string },
  detail: { receiptId?: string; message?: string; adyenAmount?: Money },
  context?: { total: Money; method: string; totalAsStated?: boolean; totalInfos?: Info[] },
): ProviderObservation {
  const kept = context ? keptInfos(context) : [];
  const differs = context && detail.adyenAmount ? authorisedAmountDiffers(detail.adyenAmount, context.total) : undefined;
  const status = statusOf(event);
  const payments = context ? [purchasePayment(status, context, detail.receiptId)] : undefined;
  const { paywayOrderId } = about;
  const named = paywayOrderId !== undefined ? { providerOrderId: paywayOrderId } : {};
  // Without Payway's id the fact is the gateway order's own end (the same key however often
  // Payway delivers it).
  const scope = `payway:${about.orderId ?? 'unknown'}`;
  switch (event) {
    // The payment succeeded, or the order closed after it: one fact (one key), whichever comes
    // first, so the other is a duplicate that changes nothing.
    case 'payment_success':
    case 'order_closed':
      return {
        key: paywayOrderId !== undefined ? closedKey(paywayOrderId) : `${scope}:order_closed`,
        type: event,
        status,
        providerStatus: event,
        ...named,
        creation: { status: 'COMPLETED', infos: differs ? [...kept, differs] : kept },
        ...(payments ? { payments } : {}),
        ...(context ? { amount: context.total } : {}),
      };
    case 'payment_failure':
      return {
        key: paywayOrderId !== undefined ? failedKey(paywayOrderId) : `${scope}:payment_failure`,
        type: event,
        status,
        providerStatus: event,
        ...named,
        creation: { status: 'FAILED', infos: [...kept, { code: event, message: detail.message ?? 'The payment failed' }] },
        ...(payments ? { payments } : {}),
      };
    default:
      return assertNever(event, 'Payway purchase event');
  }
}

export const AUTHORISED_AMOUNT_DIFFERS = 'payway.authorised_amount_differs';

/**
 * Where Adyen's notification of the purchase's authorisation carries an amount (its own,
 * HMAC-signed figure; event-adyen-amount.ts) that is not the order's total, which the gateway
 * records as captured: the Info saying so; else undefined. Round sixteen: a purchase priced only
 * by the client's stated amount (Payway's answers carry none, and payment_methods is not bound to
 * answer one), or by a figure Payway changed since, was CAPTURED at the stated 149.00 though Adyen
 * said it authorised 129.00, and nothing on the order showed it. The order's total and captured
 * amount cannot follow Adyen's figure (the domain has no fact that changes a total, and a capture
 * of part of it would read PARTIALLY_CAPTURED, more to come: see the test's it.fails); the order
 * stays CAPTURED, as Adyen authorised it, and says what Adyen authorised, for a person to check.
 */
function authorisedAmountDiffers(authorised: Money, total: Money): Info | undefined {
  if (equals(authorised, total)) return undefined;
  return {
    code: AUTHORISED_AMOUNT_DIFFERS,
    message: `Adyen authorised ${formatMoney(authorised)} ${authorised.currency}; the order records ${formatMoney(total)} ${total.currency} as captured`,
  };
}

/**
 * Payway's own price for the purchase, from a payment_methods answer that carries one (see
 * wire.ts); undefined when it carries none, or one in a currency the gateway does not know.
 * The amount's unit is not shown anywhere: minor units is ASSUMED (Adyen's convention). A value
 * with decimals can only be major units. A whole value in the stated price's currency is read in
 * the unit that puts it nearer the stated price (minor units on a tie): a Payway writing major
 * units writes 199 for 199.00 SEK, and a Payway keeping prices as floats writes a whole price as
 * `129.0`, which JSON reads as the integer 129. Before (round eight), such a value was major
 * units only when it was exactly the stated price: 129 for a period whose price had changed from
 * the 149.00 shown was 1.29 SEK, the order's total and, once complete, its captured amount. The
 * two readings are a hundred times (the currency's minor units) apart, and a price shown to the
 * shopper is not that far from Payway's.
 */
export function offeredTotal(answer: PaywayPaymentMethodsAnswer['item'], stated: Money): Money | undefined {
  const amount = answer.amount;
  if (!amount) return undefined;
  // The letters in any case, or ISO 4217's numeric code (round twenty-seven: currency-code.ts).
  const currency = currencyCodeOf(amount.currency);
  if (currency === undefined) return undefined;
  // A string (wire.ts PaywayDecimalText) is read as written, never through a float: with a
  // fraction that is not all zeros it can only be major units (`"129.5"`); otherwise it is a
  // whole value (`"12900"`, `"129.0"`, `"12900.0"`), read as the same value written as a JSON
  // number is (`12900.0`, which JSON reads as 12900). Round twelve: a string with a decimal point
  // was major units whatever its fraction, so `"12900.0"` (a minor-unit amount kept as a Rails
  // BigDecimal) was 12900.00 SEK, a hundred times what the shopper was shown and charged, where
  // the number 12900.0 was 129.00: the total and, once complete, the captured amount.
  const text = typeof amount.value === 'string' ? amount.value : String(amount.value);
  const major = majorUnits(text, currency);
  const integer = typeof amount.value === 'string' ? /^(\d+)(\.0+)?$/.exec(text)?.[1] : Number.isSafeInteger(amount.value) ? text : undefined;
  if (integer === undefined || !Number.isSafeInteger(Number(integer))) return major;
  const minor = money(currency, Number(integer));
  if (!major) return minor;
  // In another currency than the stated price there is nothing to be nearer to: a decimal point
  // still says major units, as before; digits alone are minor units (Adyen's convention).
  if (currency !== stated.currency) return text.includes('.') ? major : minor;
  return fartherFrom(stated, major, minor) ? minor : major;
}

/**
 * What Payway charges for the purchase where its answer carries Adyen's `amount` (none of the
 * seed's fields; wire.ts), read as payment_methods' price is (offeredTotal); else undefined.
 */
export function chargedTotal(result: PaywayPurchaseResult, stated: Money): Money | undefined {
  return 'amount' in result && result.amount ? offeredTotal({ amount: result.amount }, stated) : undefined;
}

/**
 * The fact of an event that overtook place_order's answer (`ended`, taken at the price known
 * before the call), at the price the answer itself gave (`price`), under the event's own key;
 * Payway's order and the receipt the answer named are kept where the event named none.
 */
export function atAnswersPrice(ended: ProviderObservation, answered: ProviderObservation, price: { total: Money; totalInfos?: Info[] }): ProviderObservation {
  const answeredPayment = answered.payments?.find((payment) => payment.id === PURCHASE_PAYMENT_ID);
  const providerOrderId = ended.providerOrderId ?? answered.providerOrderId;
  const isTotalInfo = (info: Info): boolean => info.code === TOTAL_AS_STATED || info.code === STATED_TOTAL_DIFFERS;
  return {
    ...ended,
    ...(providerOrderId ? { providerOrderId } : {}),
    ...(ended.payments
      ? {
          payments: ended.payments.map((payment) => {
            if (payment.id !== PURCHASE_PAYMENT_ID) return payment;
            const providerReference = payment.providerReference ?? answeredPayment?.providerReference;
            return {
              ...payment,
              amount: price.total,
              capturedAmount: payment.capturedAmount.minor > 0 ? price.total : zero(price.total.currency),
              refundedAmount: zero(price.total.currency),
              ...(providerReference ? { providerReference } : {}),
            };
          }),
        }
      : {}),
    ...(ended.amount ? { amount: price.total } : {}),
    ...(ended.creation ? { creation: { ...ended.creation, infos: [...keptInfos(price), ...ended.creation.infos.filter((info) => !isTotalInfo(info))] } } : {}),
  };
}

/**
 * Whether `a` is farther from `stated` than `b` is, as a ratio (199 against 149 is nearer than
 * 1.99 is). Integers only: minor units as bigint, cross-multiplied. Amounts are positive (wire.ts).
 */
function fartherFrom(stated: Money, a: Money, b: Money): boolean {
  const ratio = (amount: Money): [bigint, bigint] => {
    const [x, s] = [BigInt(amount.minor), BigInt(stated.minor)];
    return x >= s ? [x, s] : [s, x];
  };
  const [aHigh, aLow] = ratio(a);
  const [bHigh, bLow] = ratio(b);
  return aHigh * bLow >= bHigh * aLow;
}

/** `value` (decimal text) as a major-unit amount, or undefined when it has more decimals than the currency. */
function majorUnits(value: string, currency: string): Money | undefined {
  try {
    return parseMoney(value, currency);
  } catch {
    return undefined;
  }
}
