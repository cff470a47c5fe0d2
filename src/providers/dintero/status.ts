import { assertNever } from '../../domain/errors.js';
import { paymentStatusFor, type OrderStatus, type PaymentStatus } from '../../domain/status.js';
import type { DinteroTransactionStatus } from './wire.js';

/*
 * Dintero's transaction statuses (CONTRACT §8) in the gateway's terms (CONTRACT §7): explicit,
 * exhaustive tables with no catch-all. Amounts refine captured / refunded later (the domain).
 */

export function orderStatusOf(status: DinteroTransactionStatus): OrderStatus {
  switch (status) {
    // Dintero has the payment but no outcome yet (a wallet app, a review, an acquirer timeout).
    case 'INITIATED':
    case 'ON_HOLD':
    case 'UNKNOWN':
      return 'PENDING';
    case 'AUTHORIZED':
      return 'AUTHORIZED';
    case 'PARTIALLY_CAPTURED':
      return 'PARTIALLY_CAPTURED';
    case 'CAPTURED':
      return 'CAPTURED';
    // Part captured and refunded while part of the authorization is still reserved (Dintero may
    // capture the rest): never final, even once everything captured so far is refunded.
    case 'PARTIALLY_CAPTURED_REFUNDED':
    case 'PARTIALLY_REFUNDED':
      return 'PARTIALLY_REFUNDED';
    case 'REFUNDED':
      return 'REFUNDED';
    case 'AUTHORIZATION_VOIDED':
      return 'CANCELLED';
    case 'DECLINED':
    case 'FAILED':
      return 'FAILED';
    default:
      return assertNever(status, 'Dintero transaction status');
  }
}

/** The payment's own status; amounts decide between captured and (partially) refunded. */
export function paymentStatusOf(status: DinteroTransactionStatus, capturedMinor: number, refundedMinor: number): PaymentStatus {
  switch (status) {
    case 'PARTIALLY_CAPTURED_REFUNDED':
      // Funds are still reserved: REFUNDED (which no later capture could leave) would be wrong.
      return 'PARTIALLY_REFUNDED';
    case 'INITIATED':
    case 'ON_HOLD':
    case 'UNKNOWN':
    case 'AUTHORIZED':
    case 'PARTIALLY_CAPTURED':
    case 'CAPTURED':
    case 'PARTIALLY_REFUNDED':
    case 'REFUNDED':
    case 'AUTHORIZATION_VOIDED':
    case 'DECLINED':
    case 'FAILED':
      return paymentStatusFor(orderStatusOf(status), capturedMinor, refundedMinor);
    default:
      return assertNever(status, 'Dintero transaction status');
  }
}

/**
 * Statuses at which a callback's fact may set the order's creation (see webhook.ts): the ones an
 * order can have before any capture, refund or void. Later ones may have recordings pending that
 * only the order knows of (reconciliation owns those).
 */
export function isFirstOutcome(status: DinteroTransactionStatus): boolean {
  switch (status) {
    case 'INITIATED':
    case 'ON_HOLD':
    case 'UNKNOWN':
    case 'AUTHORIZED':
    case 'DECLINED':
    case 'FAILED':
      return true;
    case 'PARTIALLY_CAPTURED':
    case 'CAPTURED':
    case 'PARTIALLY_CAPTURED_REFUNDED':
    case 'PARTIALLY_REFUNDED':
    case 'REFUNDED':
    case 'AUTHORIZATION_VOIDED':
      return false;
    default:
      return assertNever(status, 'Dintero transaction status');
  }
}
