import type { OrderStatus } from '../../client/generated/graphql.js';

/** What the buyer is told for each status: the "waiting for payment" screen's whole vocabulary. */
export interface StatusView {
  title: string;
  detail: string;
  tone: 'waiting' | 'paid' | 'failed';
}

/** `threeDS`: the step happens on this page (Intergiro card), not on the provider's page. */
export function statusView(status: OrderStatus, options: { threeDS?: boolean } = {}): StatusView {
  switch (status) {
    case 'CREATED':
    case 'ACTION_REQUIRED':
      if (options.threeDS) {
        return { title: 'Waiting for payment', detail: 'Confirm the payment with your bank (3-D Secure); this page updates by itself.', tone: 'waiting' };
      }
      return { title: 'Waiting for payment', detail: 'Finish the payment on the provider’s page; this page updates by itself.', tone: 'waiting' };
      return { title: 'Waiting for payment', detail: 'Finish the payment on the provider’s page; this page updates by itself.', tone: 'waiting' };
    case 'PENDING':
      return { title: 'Waiting for payment', detail: 'The payment is submitted; the provider has not confirmed it yet.', tone: 'waiting' };
    case 'AUTHORIZED':
    case 'PARTIALLY_CAPTURED':
    case 'CAPTURED':
      return { title: 'Paid', detail: 'Thank you! The payment is confirmed.', tone: 'paid' };
    case 'PARTIALLY_REFUNDED':
    case 'REFUNDED':
      return { title: 'Refunded', detail: 'The payment was refunded.', tone: 'failed' };
    case 'CANCELLED':
      return { title: 'Cancelled', detail: 'The payment was cancelled; nothing was charged.', tone: 'failed' };
    case 'FAILED':
      return { title: 'Payment failed', detail: 'The provider declined the payment; nothing was charged.', tone: 'failed' };
    case 'EXPIRED':
      return { title: 'Expired', detail: 'The order was not paid in time.', tone: 'failed' };
    default: {
      const unknown: never = status;
      throw new Error(`unknown status ${String(unknown)}`);
    }
  }
}
