import { equals, max, sum, type Money } from './money.js';
import type { EventSource, Info, Order, OrderCreation, OrderEvent, Payment } from './order.js';
import { unknownStatusInfo, withUnknownStatusInfo } from './provider-oddities.js';
import { canTransition, isRepeatable, laterPaymentStatus, type OrderStatus } from './status.js';

/**
 * What an adapter learned about an order from its provider: from a create or change call, a
 * callback, or a poll. Amounts are absolute (what is captured in all, not what was captured
 * now), so applying the same fact twice, or two facts out of order, converges on the same state.
 */
export interface ProviderObservation {
  /**
   * Identifies the provider fact. A fact whose key was already applied changes nothing, so a
   * webhook delivered twice, or a poll that sees what a webhook already said, adds no event.
   */
  key: string;
  /** The history entry's type, e.g. "charged", "verification_required". */
  type: string;
  /**
   * The provider's state mapped to the gateway's, before the state machine has its say. Null:
   * the provider said a status word the adapter does not know (`providerStatus` holds it): the
   * order keeps its status and gains the Info `provider.unknown_status` (CONTRACT §7).
   */
  status: OrderStatus | null;
  /** With a null status: which provider said the word, for the Info. */
  provider?: string;
  /**
   * With a null status: what the provider said that the adapter cannot place, as Infos added
   * instead of the unknown word's (an event that may be this order's or another's, e.g.).
   */
  unplaced?: Info[];
  providerStatus?: string;
  providerOrderId?: string;
  payments?: Payment[];
  creation?: OrderCreation;
  /** The amount this fact is about (a capture's amount), for the history. */
  amount?: Money;
  /** Adapter-private state to merge into `order.providerData`. */
  providerData?: Record<string, unknown>;
  /**
   * The provider's own statement of what it captured for this fact's payments, correcting a figure
   * an earlier fact read from it (Pei's postback of what the buyer's choice cost, after a read that
   * could only echo the amount submitted): their captured amounts replace the stored ones, down as
   * well as up. Otherwise captured amounts only grow, and a figure read too high stays.
   */
  restatesCaptured?: boolean;
  /**
   * Keys of other facts this one supersedes, remembered as applied with it: such a fact arriving
   * later (a read answered before this fact and recorded after it) changes nothing.
   */
  covers?: readonly string[];
}

/** How many applied keys an order remembers; provider facts older than that do not come back. */
const SEEN_KEYS_KEPT = 200;

/**
 * Remembers keys on the order itself (beside the facts' keys), e.g. the idempotency keys of the
 * client changes a fact is the answer to, so they are stored in the same write as that fact.
 * `next` is what applying the fact made of `order` (null: the fact changed nothing).
 */
export function rememberKeys(order: Order, next: Order | null, keys: readonly string[]): Order | null {
  const base = next ?? order;
  const missing = keys.filter((key) => !base.seenKeys.includes(key));
  if (!missing.length) return next;
  return { ...base, seenKeys: [...base.seenKeys, ...missing].slice(-SEEN_KEYS_KEPT) };
}

/**
 * The one place where provider facts change an order: the monotonic state machine, amount
 * merging and the history. Pure; returns null when the fact changes nothing.
 *
 * - A fact already applied (same key) changes nothing.
 * - Payments merge by id; captured and refunded amounts only grow; a payment status never
 *   moves back.
 * - Captured / refunded statuses are refined by the amounts (a capture of part of the total is
 *   PARTIALLY_CAPTURED, a refund of part of the captured amount PARTIALLY_REFUNDED).
 * - A status that would move backwards, or leave a final status, is recorded in the history
 *   but does not change `status` (CONTRACT "Exactly one state machine").
 */
export function applyObservation(
  order: Order,
  fact: ProviderObservation,
  source: EventSource,
  at: string,
): Order | null {
  if (order.seenKeys.includes(fact.key)) return null;

  const payments = fact.payments ? mergePayments(order.payments, fact.payments, fact.restatesCaptured === true) : order.payments;
  const seenKeys = [...order.seenKeys, fact.key, ...(fact.covers ?? []).filter((key) => key !== fact.key && !order.seenKeys.includes(key))].slice(-SEEN_KEYS_KEPT);
  const unknown = fact.status === null;
  const proposed = fact.status === null ? order.status : refineByAmounts(fact.status, order.total, payments);
  const moves = !unknown && (canTransition(order.status, proposed) || (proposed === order.status && isRepeatable(proposed)));
  const status = moves ? proposed : order.status;
  // A provider message that would move the order back is history worth keeping (a late
  // callback); a re-read that lags behind what we know is not news, and is not recorded.
  const stale = proposed !== order.status && !moves;
  if (stale && source === 'RECONCILIATION') {
    return { ...order, seenKeys };
  }

  const creation = unknown
    ? (fact.unplaced?.length ? fact.unplaced : [unknownStatusInfo(fact.provider ?? order.provider, fact.providerStatus ?? '(none)')]).reduce(withUnknownStatusInfo, order.creation)
    : !stale && fact.creation
      ? fact.creation
      : order.creation;
  const next: Order = {
    ...order,
    status,
    providerStatus: fact.providerStatus ?? order.providerStatus,
    providerOrderId: order.providerOrderId ?? fact.providerOrderId,
    payments,
    creation,
    providerData: fact.providerData ? { ...order.providerData, ...fact.providerData } : order.providerData,
    seenKeys,
    updatedAt: at,
  };

  const creationChanged = JSON.stringify(creation) !== JSON.stringify(order.creation);
  // CONTRACT §2 "only real changes are pushed": an event (a subscriber message) only when the
  // status or a payment's amounts move; a repeated ACTION_REQUIRED with a new step (a second
  // 3-D Secure challenge) is a change the buyer must act on. A confirmation of what is already
  // recorded (Intergiro's callback of a refund the gateway stored from its own PATCH) is not.
  const news =
    stale || status !== order.status || (moves && isRepeatable(status) && creationChanged) || !sameAmounts(order.payments, payments);
  const visible =
    next.providerStatus !== order.providerStatus ||
    next.providerOrderId !== order.providerOrderId ||
    creationChanged ||
    !samePayments(order.payments, payments);
  if (!news) {
    // Remember the key so the fact is not re-examined; what it adds (a provider word, a
    // reference) is kept without a message.
    return visible ? next : { ...order, seenKeys: next.seenKeys, providerData: next.providerData };
  }

  const event: OrderEvent = {
    id: String(order.events.length + 1),
    at,
    type: fact.type,
    status,
    previousStatus: order.status,
    source,
    ...(fact.amount ? { amount: fact.amount } : {}),
    // A late message (e.g. "charged" after a refund) is history, not news: the status stays and
    // no amount moved, so no subscriber hears of it.
    ...(stale && status === order.status && sameAmounts(order.payments, payments) ? { quiet: true as const } : {}),
  };
  return { ...next, events: [...order.events, event] };
}

/** What a new order starts from, before its first provider fact. */
export interface NewOrderFields {
  id: string;
  provider: Order['provider'];
  owner: string | null;
  providerOrderId?: string;
  reference?: string;
  total: Order['total'];
  items: Order['items'];
  creation: OrderCreation;
  createdAt: string;
}

/**
 * A new order as its first fact leaves it, through the same state machine as every later fact.
 * Its first event is the snapshot subscribers start from (`previousStatus` null); a fact that
 * changes nothing visible still gives the order that first event, typed `fallbackType`.
 */
export function newOrder(fields: NewOrderFields, fact: ProviderObservation, source: EventSource, at: string, fallbackType: string): Order {
  const blank: Order = {
    ...fields,
    status: 'CREATED',
    payments: [],
    events: [],
    updatedAt: at,
    version: 0,
    seenKeys: [],
    providerData: {},
  };
  const first = applyObservation(blank, fact, source, at) ?? blank;
  const [head, ...rest] = first.events;
  const events: OrderEvent[] = head
    ? [{ ...head, previousStatus: null }, ...rest]
    : [{ id: '1', at, type: fallbackType, status: first.status, previousStatus: null, source }];
  return { ...first, events };
}

/** `restated`: the observed captured amounts replace the current ones (ProviderObservation.restatesCaptured). */
function mergePayments(current: Payment[], observed: Payment[], restated = false): Payment[] {
  const merged = current.map((payment) => {
    const seen = observed.find((candidate) => candidate.id === payment.id);
    if (!seen) return payment;
    return {
      ...payment,
      ...seen,
      status: laterPaymentStatus(payment.status, seen.status),
      capturedAmount: restated ? seen.capturedAmount : max(payment.capturedAmount, seen.capturedAmount),
      refundedAmount: max(payment.refundedAmount, seen.refundedAmount),
    };
  });
  const added = observed.filter((payment) => !current.some((existing) => existing.id === payment.id));
  return [...merged, ...added];
}

/** The same payments with the same amounts (authorized, captured, refunded): what CONTRACT §2 counts as a change. */
function sameAmounts(a: Payment[], b: Payment[]): boolean {
  if (a.length !== b.length) return false;
  return a.every((payment, index) => {
    const other = b[index];
    return (
      other !== undefined &&
      payment.id === other.id &&
      equals(payment.amount, other.amount) &&
      equals(payment.capturedAmount, other.capturedAmount) &&
      equals(payment.refundedAmount, other.refundedAmount)
    );
  });
}

/** The same payments in every field a client sees (what is stored even when no message is sent). */
function samePayments(a: Payment[], b: Payment[]): boolean {
  if (a === b) return true;
  return (
    sameAmounts(a, b) &&
    a.every((payment, index) => {
      const other = b[index];
      return (
        other !== undefined &&
        payment.status === other.status &&
        payment.method === other.method &&
        payment.providerReference === other.providerReference &&
        payment.methodName === other.methodName &&
        payment.mandateId === other.mandateId
      );
    })
  );
}

/** Totals over an order's payments that count toward money moved. */
export function paymentTotals(order: Pick<Order, 'total' | 'payments'>): {
  authorized: Money;
  captured: Money;
  refunded: Money;
} {
  const live = order.payments.filter((payment) => payment.status !== 'FAILED' && payment.status !== 'VOIDED');
  const currency = order.total.currency;
  return {
    authorized: sum(
      currency,
      live.filter((payment) => payment.status !== 'PENDING' && payment.status !== 'ACTION_REQUIRED').map((p) => p.amount),
    ),
    captured: sum(currency, order.payments.map((payment) => payment.capturedAmount)),
    refunded: sum(currency, order.payments.map((payment) => payment.refundedAmount)),
  };
}

/** CAPTURED vs PARTIALLY_CAPTURED, REFUNDED vs PARTIALLY_REFUNDED, decided by the amounts. */
export function refineByAmounts(status: OrderStatus, total: Money, payments: Payment[]): OrderStatus {
  const { authorized, captured, refunded } = paymentTotals({ total, payments });
  switch (status) {
    case 'CAPTURED':
    case 'PARTIALLY_CAPTURED': {
      if (captured.minor === 0) return status;
      const ceiling = authorized.minor > 0 ? authorized : total;
      return captured.minor >= ceiling.minor ? 'CAPTURED' : 'PARTIALLY_CAPTURED';
    }
    case 'REFUNDED':
    case 'PARTIALLY_REFUNDED': {
      if (refunded.minor === 0 || captured.minor === 0) return status;
      if (refunded.minor < captured.minor) return 'PARTIALLY_REFUNDED';
      // All that was captured is refunded. That ends the order (REFUNDED is final) unless the
      // provider says part of the authorization is still there to capture (Dintero's
      // PARTIALLY_CAPTURED_REFUNDED, mapped to PARTIALLY_REFUNDED).
      const ceiling = authorized.minor > 0 ? authorized : total;
      return status === 'PARTIALLY_REFUNDED' && captured.minor < ceiling.minor ? 'PARTIALLY_REFUNDED' : 'REFUNDED';
    }
    default:
      return status;
  }
}
