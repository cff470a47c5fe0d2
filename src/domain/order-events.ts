import { badInput, invalidState } from './errors.js';
import { add, formatMoney, parsePositiveMoney, subtract, sum, type Money } from './money.js';
import { paymentTotals, refineByAmounts } from './observation.js';
import type { Order } from './order.js';
import type { ProviderCapabilities } from './provider-capabilities.js';
import { isFinal } from './status.js';

export type OrderEventType = 'CAPTURE' | 'REFUND' | 'CANCEL';

/** A capture, refund or cancel a back office asks for, parsed and checked against the order. */
export interface OrderChange {
  type: OrderEventType;
  /** CAPTURE / REFUND: how much; the whole remaining amount when the client named none. */
  amount?: Money;
  /** Per line, when the client named lines. */
  items?: { lineId: string; amount: Money }[];
  reason?: string;
  /**
   * Stable across a client's retries of this change (derived from its idempotency key), for
   * providers whose operations carry a reference of ours: a retry after a lost answer sends the
   * same reference, and the adapter can see that the first attempt already moved the money.
   */
  requestKey?: string;
}

export interface OrderChangeInput {
  type: OrderEventType;
  amount?: string | null;
  items?: { lineId: string; amount: string }[] | null;
  reason?: string | null;
}

/** Remaining amounts an order allows, from its payments. */
export function headroom(order: Order): { capturable: Money; refundable: Money; captured: Money } {
  const { authorized, captured, refunded } = paymentTotals(order);
  return { capturable: subtract(authorized, captured), refundable: subtract(captured, refunded), captured };
}

/**
 * Parses one OrderEventInput against the order (as it will be after the events before it) and
 * enforces CONTRACT's bounds before any provider is called: a capture cannot exceed what is
 * authorized and not yet captured, a refund what is captured and not yet refunded, and a cancel
 * is refused once anything is captured; where the provider takes one capture per authorization
 * (`capabilities.capturesPerAuthorization`), a second capture is refused too. `field` is the
 * input path for errors.
 */
export function checkOrderChange(
  order: Order,
  input: OrderChangeInput,
  field: string,
  capabilities: Pick<ProviderCapabilities, 'capturesPerAuthorization'> = {},
): OrderChange {
  const currency = order.total.currency;
  if (isFinal(order.status)) throw invalidState(`The order is ${order.status}; it takes no more changes`);

  if (input.type === 'CANCEL') {
    if (input.amount != null || input.items?.length) throw badInput(`${field}.amount`, 'A cancel takes no amount');
    if (headroom(order).captured.minor > 0) {
      throw invalidState('Something is already captured: refund it instead of cancelling');
    }
    return { type: 'CANCEL', ...(input.reason ? { reason: input.reason } : {}) };
  }

  const items = input.items?.map((item, index) => {
    const lineField = `${field}.items.${index}`;
    if (!order.items.some((line) => line.lineId === item.lineId)) {
      throw badInput(`${lineField}.lineId`, `The order has no line "${item.lineId}"`);
    }
    return { lineId: item.lineId, amount: parsePositiveMoney(item.amount, currency, `${lineField}.amount`) };
  });
  const itemsTotal = items ? sum(currency, items.map((item) => item.amount)) : undefined;
  let amount = input.amount != null ? parsePositiveMoney(input.amount, currency, `${field}.amount`) : itemsTotal;
  if (amount && itemsTotal && amount.minor !== itemsTotal.minor) {
    throw badInput(`${field}.amount`, `The amount ${formatMoney(amount)} is not the items' sum ${formatMoney(itemsTotal)}`);
  }

  const room = headroom(order);
  if (input.type === 'CAPTURE') {
    if (room.capturable.minor <= 0) {
      throw invalidState(`Nothing authorized is left to capture; the order is ${order.status}`);
    }
    if (capabilities.capturesPerAuthorization === 'one' && room.captured.minor > 0) {
      throw invalidState(`${order.provider} captures an authorization once, and this one is already captured (${formatMoney(room.captured)})`);
    }
    amount ??= room.capturable;
    if (amount.minor > room.capturable.minor) {
      throw invalidState(`Capture of ${formatMoney(amount)} exceeds the ${formatMoney(room.capturable)} authorized and not yet captured`);
    }
  } else {
    if (room.refundable.minor <= 0) throw invalidState('Nothing captured is left to refund');
    amount ??= room.refundable;
    if (amount.minor > room.refundable.minor) {
      throw invalidState(`Refund of ${formatMoney(amount)} exceeds the ${formatMoney(room.refundable)} captured and not yet refunded`);
    }
  }
  return { type: input.type, amount, ...(items ? { items } : {}), ...(input.reason ? { reason: input.reason } : {}) };
}

/**
 * The order as it will be once the change succeeds upstream, so the next event of the same
 * request is checked against it, and so a provider that only echoes the change can report
 * absolute amounts. Spreads a capture/refund over payments in order.
 */
export function projectOrderChange(order: Order, change: OrderChange): Order {
  if (change.type === 'CANCEL') {
    return {
      ...order,
      status: 'CANCELLED',
      payments: order.payments.map((payment) =>
        payment.status === 'FAILED' ? payment : { ...payment, status: 'VOIDED' },
      ),
    };
  }
  let left = change.amount?.minor ?? 0;
  const payments = order.payments.map((payment) => {
    if (left <= 0 || payment.status === 'FAILED' || payment.status === 'VOIDED') return payment;
    if (change.type === 'CAPTURE') {
      const room = payment.amount.minor - payment.capturedAmount.minor;
      const take = Math.min(room, left);
      left -= take;
      return take > 0 ? { ...payment, status: 'CAPTURED' as const, capturedAmount: add(payment.capturedAmount, { currency: payment.amount.currency, minor: take }) } : payment;
    }
    const room = payment.capturedAmount.minor - payment.refundedAmount.minor;
    const take = Math.min(room, left);
    left -= take;
    if (take <= 0) return payment;
    const refundedAmount = add(payment.refundedAmount, { currency: payment.amount.currency, minor: take });
    const status = refundedAmount.minor >= payment.capturedAmount.minor ? ('REFUNDED' as const) : ('PARTIALLY_REFUNDED' as const);
    return { ...payment, status, refundedAmount };
  });
  const status = refineByAmounts(change.type === 'CAPTURE' ? 'CAPTURED' : 'REFUNDED', order.total, payments);
  return { ...order, payments, status };
}
