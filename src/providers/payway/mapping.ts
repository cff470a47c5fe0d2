import { createHash } from 'node:crypto';
import { currencyExponent } from '../../domain/currencies.js';
import { assertNever, providerUnavailable } from '../../domain/errors.js';
import { money, zero, type Money } from '../../domain/money.js';
import type { ProviderObservation } from '../../domain/observation.js';
import type { OrderCreation, Payment, StopAction } from '../../domain/order.js';
import type { PlaceAdyenOrderCommand } from '../../domain/provider-port.js';
import type { OrderStatus, PaymentStatus } from '../../domain/status.js';
import type {
  PaywayAction,
  PaywayActionType,
  PaywayError,
  PaywayPaymentMethodsAnswer,
  PaywayPlaceOrderRequest,
  PaywayPurchaseEventType,
  PaywayPurchaseResult,
  PaywayPurchaseStatus,
} from './wire.js';

/** Pure translations between Payway's wire shapes and the gateway's domain. */

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
}

/** Adapter-private state kept in Order.providerData (no credential, token or card data). */
export interface PaywayProviderData {
  sessionReference?: string;
  origin?: string;
  method?: string;
}

/** CONTRACT §7: Payway's purchase status words -> OrderStatus. */
export function statusOf(status: PaywayPurchaseStatus | PaywayPurchaseEventType): OrderStatus {
  switch (status) {
    case 'complete':
    case 'order_closed':
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

function paymentStatusOf(status: OrderStatus): PaymentStatus {
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
      throw new Error(`a Payway purchase is never ${status}`);
  }
}

/** Adyen action types -> the stop action a client acts on. */
function stopActionOf(action: PaywayAction, sessionReference: string, message: string | undefined): StopAction {
  const type: PaywayActionType = action.type;
  switch (type) {
    case 'threeDS2Fingerprint':
    case 'threeDS2Challenge':
    case 'threeDS2':
      return {
        type: 'THREE_DS',
        ...(message ? { reason: message } : {}),
        threeDS: {
          type: action.type,
          sessionReference,
          ...(action.token !== undefined ? { token: action.token } : {}),
          ...(action.paymentMethodType !== undefined ? { paymentMethodType: action.paymentMethodType } : {}),
          details: { ...action },
        },
      };
    case 'redirect':
      if (!action.url) throw providerUnavailable('Payway', new Error('a redirect action without a url'));
      return {
        type: 'REDIRECT',
        ...(message ? { reason: message } : {}),
        redirectUrl: action.url,
        threeDS: { type: action.type, sessionReference, ...(action.paymentMethodType ? { paymentMethodType: action.paymentMethodType } : {}), details: { ...action } },
      };
    default:
      return assertNever(type, 'Adyen action type');
  }
}

function purchasePayment(status: OrderStatus, context: { total: Money; method: string }, receiptId?: string): Payment {
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
  const status = statusOf(result.status);
  const infos = result.message ? [{ code: result.status, message: result.message }] : [];
  switch (result.status) {
    case 'complete':
      return {
        key: closedKey(result.order_id),
        type: 'complete',
        status,
        providerStatus: result.status,
        providerOrderId: result.order_id,
        payments: [purchasePayment(status, context, result.receipt_id)],
        creation: { status: 'COMPLETED', infos },
        amount: context.total,
      };
    case 'pending': {
      // No Payway id yet: the fact is this order's (or this session's) pending answer.
      const scope = sessionReference ? `session:${sessionReference}` : context.orderId;
      return {
        key: `payway:${scope}:pending`,
        type: 'pending',
        status,
        providerStatus: result.status,
        payments: [purchasePayment(status, context)],
        creation: { status: 'COMPLETED', infos },
      };
    }
    case 'action_required': {
      const creation: OrderCreation = { status: 'STOPPED', stopAction: stopActionOf(result.action, result.session_reference, result.message), infos };
      const providerData: PaywayProviderData = { sessionReference: result.session_reference, origin: context.origin, method: context.method };
      return {
        // A second action (fingerprint, then challenge) is a new fact, not a repeat.
        key: `payway:session:${result.session_reference}:${result.action.type}:${tokenDigest(result.action.token)}`,
        type: 'action_required',
        status,
        providerStatus: result.status,
        payments: [purchasePayment(status, context)],
        creation,
        providerData: { ...providerData },
      };
    }
    default:
      return assertNever(result, 'Payway purchase answer');
  }
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
    creation: { status: 'FAILED', infos: [{ code, message: refusal.message }] },
  };
}

/** A verified purchase event, as one fact; `context` is absent when the gateway never saw the purchase. */
export function observationOfEvent(
  event: PaywayPurchaseEventType,
  paywayOrderId: string,
  detail: { receiptId?: string; message?: string },
  context?: { total: Money; method: string },
): ProviderObservation {
  const status = statusOf(event);
  const payments = context ? [purchasePayment(status, context, detail.receiptId)] : undefined;
  switch (event) {
    case 'order_closed':
      return {
        key: closedKey(paywayOrderId),
        type: event,
        status,
        providerStatus: event,
        providerOrderId: paywayOrderId,
        creation: { status: 'COMPLETED', infos: [] },
        ...(payments ? { payments } : {}),
        ...(context ? { amount: context.total } : {}),
      };
    case 'payment_failure':
      return {
        key: failedKey(paywayOrderId),
        type: event,
        status,
        providerStatus: event,
        providerOrderId: paywayOrderId,
        creation: { status: 'FAILED', infos: [{ code: event, message: detail.message ?? 'The payment failed' }] },
        ...(payments ? { payments } : {}),
      };
    default:
      return assertNever(event, 'Payway purchase event');
  }
}

/** The period's price from payment_methods: the order's total (Payway's answers carry none). */
export function totalOf(answer: PaywayPaymentMethodsAnswer['item']): Money {
  const { currency, value } = answer.amount;
  if (currencyExponent(currency) === undefined) throw providerUnavailable('Payway', new Error(`unknown currency ${currency}`));
  return money(currency, value);
}

/** The place_order body: the command in Payway's snake_case; empty optionals are left out. */
export function toPlaceOrderRequest(command: PlaceAdyenOrderCommand, merchantReference: string): PaywayPlaceOrderRequest {
  const browser = command.browserInfo;
  const address = command.deliveryAddress;
  return {
    payment_method: command.paymentMethod,
    product_code: command.productCode,
    period_id: command.periodId,
    return_url: command.returnUrl,
    origin: command.origin,
    ...(command.trafficSource ? { traffic_source: command.trafficSource } : {}),
    ...(command.subscriptionStartDate ? { subscription_start_date: command.subscriptionStartDate } : {}),
    ...(command.discountCode ? { discount_code: command.discountCode } : {}),
    merchant_reference: merchantReference,
    browser_info: {
      browser_ip: browser.browserIp,
      browser_language: browser.browserLanguage,
      browser_user_agent: browser.browserUserAgent,
      referer: browser.referer,
      accept_header: browser.acceptHeader,
      color_depth: browser.colorDepth,
      screen_height: browser.screenHeight,
      screen_width: browser.screenWidth,
      time_zone_offset: browser.timeZoneOffset,
      java_enabled: browser.javaEnabled,
    },
    ...(address
      ? {
          delivery_address: {
            first_name: address.firstName,
            last_name: address.lastName,
            street: address.street,
            ...(address.streetNumber ? { street_number: address.streetNumber } : {}),
            zip_code: address.zipCode,
            ...(address.floor ? { floor: address.floor } : {}),
            ...(address.apartmentNumber ? { apartment_number: address.apartmentNumber } : {}),
            ...(address.entrance ? { entrance: address.entrance } : {}),
            city: address.city,
            ...(address.dropbox ? { dropbox: address.dropbox } : {}),
            country_code: address.countryCode,
          },
        }
      : {}),
  };
}

/** A Payway error body as PROVIDER_REJECTED details; the message never echoes request data. */
export function rejectionOf(error: PaywayError): { message: string; providerCode: string; providerField?: string; correlationId?: string } {
  return {
    message: `Payway refused the request: ${error.code}${error.field ? ` (${error.field})` : ''}`,
    providerCode: error.code,
    ...(error.field ? { providerField: error.field } : {}),
    ...(error.correlation_id ? { correlationId: error.correlation_id } : {}),
  };
}
