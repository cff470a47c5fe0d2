import { assertNever } from './errors.js';

/** CONTRACT §2 OrderStatus. */
export const ORDER_STATUSES = [
  'CREATED',
  'ACTION_REQUIRED',
  'PENDING',
  'AUTHORIZED',
  'PARTIALLY_CAPTURED',
  'CAPTURED',
  'PARTIALLY_REFUNDED',
  'REFUNDED',
  'CANCELLED',
  'FAILED',
  'EXPIRED',
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export const PAYMENT_STATUSES = [
  'PENDING',
  'ACTION_REQUIRED',
  'AUTHORIZED',
  'CAPTURED',
  'PARTIALLY_REFUNDED',
  'REFUNDED',
  'VOIDED',
  'FAILED',
] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

const FINAL: ReadonlySet<OrderStatus> = new Set(['REFUNDED', 'CANCELLED', 'FAILED', 'EXPIRED']);

export const isFinal = (status: OrderStatus): boolean => FINAL.has(status);

/**
 * How far along the happy path a status is. A status only ever moves to a higher rank, so a late
 * or repeated provider message can never move an order backwards.
 */
function rank(status: OrderStatus): number {
  switch (status) {
    case 'CREATED':
      return 0;
    case 'ACTION_REQUIRED':
      return 1;
    case 'PENDING':
      return 2;
    case 'AUTHORIZED':
      return 3;
    case 'PARTIALLY_CAPTURED':
      return 4;
    case 'CAPTURED':
      return 5;
    case 'PARTIALLY_REFUNDED':
      return 6;
    case 'REFUNDED':
    case 'CANCELLED':
    case 'FAILED':
    case 'EXPIRED':
      return 7;
    default:
      return assertNever(status, 'order status');
  }
}

/**
 * The one state machine (CONTRACT "Semantics"): may an order in `from` move to `to`?
 * - nothing leaves a final status;
 * - otherwise a status moves only forward;
 * - FAILED and EXPIRED end an order only before money was reserved; CANCELLED (cancel, void,
 *   rollback) only before anything was captured: after a capture, refunds are the way back.
 */
export function canTransition(from: OrderStatus, to: OrderStatus): boolean {
  if (from === to || isFinal(from)) return false;
  switch (to) {
    case 'FAILED':
    case 'EXPIRED':
      return rank(from) < rank('AUTHORIZED');
    case 'CANCELLED':
      return rank(from) <= rank('AUTHORIZED');
    default:
      return rank(to) > rank(from);
  }
}

/** ACTION_REQUIRED may repeat (a second 3-D Secure step) without being a backwards move. */
export const isRepeatable = (status: OrderStatus): boolean => status === 'ACTION_REQUIRED';

/** Ordered like the order's statuses: an action (3-D Secure) comes before the outcome is pending. */
function paymentRank(status: PaymentStatus): number {
  switch (status) {
    case 'ACTION_REQUIRED':
      return 0;
    case 'PENDING':
      return 1;
    case 'AUTHORIZED':
      return 2;
    case 'CAPTURED':
      return 3;
    case 'PARTIALLY_REFUNDED':
      return 4;
    case 'REFUNDED':
    case 'VOIDED':
    case 'FAILED':
      return 5;
    default:
      return assertNever(status, 'payment status');
  }
}

/**
 * The later of two payment statuses (a payment, like its order, never moves backwards). Money
 * taken is not undone by a failure or a void, as an order's capture is not (canTransition): a
 * late `FAILED` / `VOIDED` for a payment already CAPTURED (or refunded in part) leaves it as it
 * is; refunds are the way back. (Before, a late Payway payment_failure after order_closed showed
 * the purchase's payment FAILED with its amount captured.)
 */
export function laterPaymentStatus(current: PaymentStatus, observed: PaymentStatus): PaymentStatus {
  if ((observed === 'FAILED' || observed === 'VOIDED') && paymentRank(current) >= paymentRank('CAPTURED')) return current;
  return paymentRank(observed) > paymentRank(current) ? observed : current;
}

/**
 * The status of an order's payment that follows from the order's status and amounts, for
 * providers whose payment has no status word of its own.
 */
export function paymentStatusFor(status: OrderStatus, capturedMinor: number, refundedMinor: number): PaymentStatus {
  switch (status) {
    case 'CREATED':
    case 'PENDING':
      return 'PENDING';
    case 'ACTION_REQUIRED':
      return 'ACTION_REQUIRED';
    case 'AUTHORIZED':
      return 'AUTHORIZED';
    case 'PARTIALLY_CAPTURED':
    case 'CAPTURED':
    case 'PARTIALLY_REFUNDED':
    case 'REFUNDED':
      if (refundedMinor <= 0) return 'CAPTURED';
      return refundedMinor >= capturedMinor ? 'REFUNDED' : 'PARTIALLY_REFUNDED';
    case 'CANCELLED':
      return 'VOIDED';
    case 'FAILED':
    case 'EXPIRED':
      return 'FAILED';
    default:
      return assertNever(status, 'order status');
  }
}
