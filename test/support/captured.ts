import type { OrderView } from './documents.js';

/** What the gateway shows as captured over all of an order's payments, in major units (the sum of the Decimal strings). */
export const captured = (order: Pick<OrderView, 'payments'>): number => order.payments.reduce((sum, payment) => sum + Number(payment.capturedAmount?.amount ?? 0), 0);
