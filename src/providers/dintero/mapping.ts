import { createHash } from 'node:crypto';
import type { DinteroConfig } from '../../config.js';
import { assertNever, badInput, invalidState } from '../../domain/errors.js';
import { formatMoney, money, type Money } from '../../domain/money.js';
import type { ProviderObservation } from '../../domain/observation.js';
import type { Info, LineItem, Order, OrderCreation, Payment } from '../../domain/order.js';
import type { OrderChange } from '../../domain/order-events.js';
import type { CreateOrderCommand } from '../../domain/provider-port.js';
import { paymentStatusFor, type OrderStatus } from '../../domain/status.js';
import type { DinteroRecordingKind } from './client.js';
import type {
  DinteroCheckoutItem,
  DinteroDraftOrderRequest,
  DinteroRecordingBody,
  DinteroSession,
  DinteroSessionRequest,
  DinteroTransaction,
  DinteroTransactionStatus,
} from './wire.js';

/** CreateOrderInput.dintero, as GraphQL hands it over. */
export interface DinteroOptionsInput {
  profileId?: string | null;
  generateOrderId?: string | null;
}

export interface DinteroOptions {
  profileId: string;
  generateOrderId?: string;
}

/** At most this many decimals in a tax rate, so the tax is computed exactly. */
const TAX_RATE_DECIMALS = 4;
const TAX_SCALE = 10n ** BigInt(TAX_RATE_DECIMALS);

// ---- gateway -> Dintero --------------------------------------------------------------------

/** Provider-specific input rules, checked before anything is stored or sent. */
export function checkDinteroCreate(command: CreateOrderCommand, config: Pick<DinteroConfig, 'profileId'>): DinteroOptions {
  const options = (command.options ?? {}) as DinteroOptionsInput;
  if (!command.items.length) throw badInput('input.items', 'A DINTERO order needs items');
  if (!command.returnUrls?.success) throw badInput('input.returnUrls.success', "A DINTERO order needs the URL the buyer returns to (Dintero's return_url)");
  if (command.returnUrls.cancel || command.returnUrls.failure) {
    throw badInput('input.returnUrls', 'Dintero takes one return URL: returnUrls.success (the outcome comes as a query parameter)');
  }
  const profileId = options.profileId ?? config.profileId;
  if (!profileId || !profileId.trim()) throw badInput('input.dintero.profileId', 'A DINTERO order needs a payment profile (dintero.profileId)');
  const generateOrderId = options.generateOrderId ?? undefined;
  if (generateOrderId !== undefined && !/^(ALPHANUMERIC|NUMERIC)_\d{1,2}$/.test(generateOrderId)) {
    throw badInput('input.dintero.generateOrderId', 'generateOrderId is ALPHANUMERIC_<n> or NUMERIC_<n>, e.g. "ALPHANUMERIC_9"');
  }
  command.items.forEach((item, index) => {
    if (item.taxRate !== undefined && !hasFewDecimals(item.taxRate)) {
      throw badInput(`input.items.${index}.taxRate`, `A tax rate has at most ${TAX_RATE_DECIMALS} decimals`);
    }
  });
  return { profileId, ...(generateOrderId ? { generateOrderId } : {}) };
}

function hasFewDecimals(rate: number): boolean {
  const scaled = rate * Number(TAX_SCALE);
  return Number.isFinite(rate) && Math.abs(scaled - Math.round(scaled)) < 1e-6;
}

/**
 * The tax inside a gross amount (Dintero's amounts include tax): gross × rate / (100 + rate),
 * computed exactly on integers and rounded half up to the minor unit (the seed: 39800 at 25 % is
 * 7960).
 */
export function taxIncluded(grossMinor: number, ratePercent: number): number {
  const rate = BigInt(Math.round(ratePercent * Number(TAX_SCALE)));
  const numerator = BigInt(grossMinor) * rate;
  const denominator = 100n * TAX_SCALE + rate;
  return Number((2n * numerator + denominator) / (2n * denominator));
}

const quantityOf = (item: LineItem): number => item.quantity ?? 1;

/** The Orders API numbers lines 1, 2, ... in the order's line order (the seed's integer `line_id`). */
export const orderLineNumber = (index: number): number => index + 1;

export function toDraftOrder(command: CreateOrderCommand, options: DinteroOptions): DinteroDraftOrderRequest {
  if (!command.currency) throw new Error('the domain guarantees a currency');
  return {
    ...(options.generateOrderId ? { options: { generate_order_id: options.generateOrderId } } : {}),
    order: {
      currency: command.currency,
      ...(command.reference ? { merchant_reference: command.reference } : {}),
      items: command.items.map((item, index) => ({
        id: item.code ?? item.lineId ?? String(orderLineNumber(index)),
        line_id: orderLineNumber(index),
        quantity: quantityOf(item),
        gross_amount: item.amount.minor,
        ...(item.taxRate !== undefined ? { tax_lines: [{ amount: taxIncluded(item.amount.minor, item.taxRate), percentage: item.taxRate }] } : {}),
        description: item.name,
      })),
    },
  };
}

function toCheckoutItem(item: LineItem, index: number): DinteroCheckoutItem {
  return {
    id: item.code ?? item.lineId ?? String(orderLineNumber(index)),
    line_id: item.lineId ?? String(orderLineNumber(index)),
    description: item.name,
    quantity: quantityOf(item),
    amount: item.amount.minor,
    ...(item.taxRate !== undefined ? { vat_amount: taxIncluded(item.amount.minor, item.taxRate), vat: item.taxRate } : {}),
  };
}

/**
 * The checkout session for a completed Dintero order (seed "Create session"): its
 * merchant_reference is Dintero's order_id, merchant_reference_2 the gateway's order id.
 */
export function toSessionRequest(command: CreateOrderCommand, options: DinteroOptions, dinteroOrderId: string, callbackUrl: string): DinteroSessionRequest {
  if (!command.total || !command.currency || !command.returnUrls?.success) throw new Error('checked by checkDinteroCreate');
  const items = command.items.map(toCheckoutItem);
  const taxed = items.some((item) => item.vat_amount !== undefined);
  return {
    url: { return_url: command.returnUrls.success, callback_url: callbackUrl },
    order: {
      amount: command.total.minor,
      currency: command.currency,
      merchant_reference: dinteroOrderId,
      merchant_reference_2: command.orderId,
      ...(taxed ? { vat_amount: items.reduce((total, item) => total + (item.vat_amount ?? 0), 0) } : {}),
      items,
    },
    profile_id: options.profileId,
  };
}

// ---- recordings on the Orders API ----------------------------------------------------------

/**
 * One write to the Orders API that records what happened to the payment. Kept in
 * `Order.providerData` under `recording:<id>` until done, so it is retried (never the money
 * operation before it) and shown on the order while it is not.
 */
export interface DinteroRecording {
  kind: DinteroRecordingKind;
  /** Dintero's order_id. */
  orderId: string;
  body: DinteroRecordingBody;
  done: boolean;
  /** For people: "capture of 60.00 NOK". */
  label: string;
}

const RECORDING_PREFIX = 'recording:';

export function recordingsOf(order: Pick<Order, 'providerData'>): Record<string, DinteroRecording> {
  return Object.fromEntries(
    Object.entries(order.providerData)
      .filter(([key]) => key.startsWith(RECORDING_PREFIX))
      .map(([key, value]) => [key.slice(RECORDING_PREFIX.length), value as DinteroRecording]),
  );
}

export function recordingData(recordings: Record<string, DinteroRecording>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(recordings).map(([id, recording]) => [`${RECORDING_PREFIX}${id}`, recording]));
}

export const authorizationRecordingId = (transactionId: string): string => `auth-${transactionId}`;

/** The seed's "Marking the order as authorized": every line with its amount. */
export function authorizationRecording(transaction: DinteroTransaction, lines: { line_id: number; amount: number }[]): DinteroRecording {
  return {
    kind: 'authorizations',
    orderId: transaction.merchant_reference,
    body: { id: authorizationRecordingId(transaction.id), items: lines, payment_details: { payment_id: transaction.id }, success: true },
    done: false,
    label: `authorization of ${formatMoney(money(transaction.currency, transaction.amount))} ${transaction.currency}`,
  };
}

/** Authorization lines from the transaction itself (callbacks do not see the gateway's order). */
export function transactionLines(transaction: DinteroTransaction): { line_id: number; amount: number }[] | undefined {
  const items = transaction.items ?? [];
  const lines = items.map((item, index) => ({ line_id: orderLineNumber(index), amount: item.amount })).filter((line) => line.amount > 0);
  const sum = lines.reduce((total, line) => total + line.amount, 0);
  return lines.length && sum === transaction.amount ? lines : undefined;
}

export function orderLines(order: Pick<Order, 'items'>): { line_id: number; amount: number }[] {
  return order.items.map((item, index) => ({ line_id: orderLineNumber(index), amount: item.amount.minor })).filter((line) => line.amount > 0);
}

/** Whether the transaction was authorized at some point (its recording is then due). */
export function wasAuthorized(transaction: DinteroTransaction): boolean {
  return transaction.events.some((event) => event.event.toUpperCase() === 'AUTHORIZE' && event.success !== false) || AUTHORIZED_ONWARDS.has(transaction.status);
}

const AUTHORIZED_ONWARDS: ReadonlySet<DinteroTransactionStatus> = new Set([
  'AUTHORIZED',
  'PARTIALLY_CAPTURED',
  'CAPTURED',
  'PARTIALLY_CAPTURED_REFUNDED',
  'PARTIALLY_REFUNDED',
  'REFUNDED',
  'AUTHORIZATION_VOIDED',
]);

/** Per Orders-API line: what the recorded (or pending) captures and refunds add up to. */
function recordedPerLine(recordings: Record<string, DinteroRecording>, kind: 'captures' | 'refunds'): Map<number, number> {
  const totals = new Map<number, number>();
  for (const recording of Object.values(recordings)) {
    if (recording.kind !== kind) continue;
    for (const item of recording.body.items) totals.set(item.line_id, (totals.get(item.line_id) ?? 0) + item.amount);
  }
  return totals;
}

/**
 * The lines a capture or refund is about, in both numberings (Checkout's string line_id, the
 * Orders API's integer one). Lines named by the client are checked against what each line has
 * left; an amount alone is spread over the lines in order. Per-line bounds are Dintero's (the
 * domain checks only the order's totals), so a breach is INVALID_STATE before any call.
 */
export function linesFor(
  order: Pick<Order, 'items'>,
  recordings: Record<string, DinteroRecording>,
  change: OrderChange,
): { checkout: { line_id: string; amount: number }[]; orders: { line_id: number; amount: number }[] } {
  if (change.type === 'CANCEL' || !change.amount) throw new Error('only captures and refunds have lines');
  const captured = recordedPerLine(recordings, 'captures');
  const refunded = recordedPerLine(recordings, 'refunds');
  const lines = order.items.map((item, index) => {
    const number = orderLineNumber(index);
    const room =
      change.type === 'CAPTURE'
        ? item.amount.minor - (captured.get(number) ?? 0)
        : (captured.get(number) ?? 0) - (refunded.get(number) ?? 0);
    return { lineId: item.lineId ?? String(number), number, room };
  });
  const verb = change.type === 'CAPTURE' ? 'capture' : 'refund';
  let chosen: { lineId: string; number: number; amount: number }[];
  if (change.items) {
    chosen = change.items.map((item) => {
      const line = lines.find((candidate) => candidate.lineId === item.lineId);
      if (!line) throw new Error('the domain checks the line ids');
      if (item.amount.minor > line.room) throw invalidState(`Line "${item.lineId}" has ${Math.max(0, line.room)} minor units left to ${verb}`);
      return { lineId: line.lineId, number: line.number, amount: item.amount.minor };
    });
  } else {
    let left = change.amount.minor;
    chosen = [];
    for (const line of lines) {
      const take = Math.min(Math.max(0, line.room), left);
      if (take > 0) chosen.push({ lineId: line.lineId, number: line.number, amount: take });
      left -= take;
    }
    if (left > 0) throw invalidState(`The order's lines have less than ${formatMoney(change.amount)} left to ${verb}`);
  }
  return {
    checkout: chosen.map((line) => ({ line_id: line.lineId, amount: line.amount })),
    orders: chosen.map((line) => ({ line_id: line.number, amount: line.amount })),
  };
}

// ---- Dintero -> gateway --------------------------------------------------------------------

/** CONTRACT §7/§8, explicit and exhaustive; amounts refine captured/refunded later. */
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

/** Statuses at which a callback's fact may set the order's creation (see webhook.ts). */
export function isFirstOutcome(status: DinteroTransactionStatus): boolean {
  return ['INITIATED', 'ON_HOLD', 'UNKNOWN', 'AUTHORIZED', 'DECLINED', 'FAILED'].includes(status);
}

function eventTotal(transaction: DinteroTransaction, event: string): Money {
  const minor = transaction.events
    .filter((entry) => entry.event.toUpperCase() === event && entry.success !== false)
    .reduce((total, entry) => total + (entry.amount ?? 0), 0);
  return money(transaction.currency, minor);
}

export function paymentOf(transaction: DinteroTransaction): Payment {
  const status = orderStatusOf(transaction.status);
  const captured = eventTotal(transaction, 'CAPTURE');
  const refunded = eventTotal(transaction, 'REFUND');
  return {
    id: transaction.id,
    method: transaction.payment_product_type ?? transaction.payment_product ?? 'dintero',
    status: paymentStatusFor(status, captured.minor, refunded.minor),
    amount: money(transaction.currency, transaction.amount),
    capturedAmount: captured,
    refundedAmount: refunded,
    providerReference: transaction.id,
  };
}

/** What the order shows while recordings are not done (CONTRACT Info). */
export function recordingInfos(recordings: Record<string, DinteroRecording>): Info[] {
  return Object.values(recordings)
    .filter((recording) => !recording.done)
    .map((recording) => ({
      code: 'dintero.recording_pending',
      message: `The ${recording.label} is not yet recorded on Dintero order ${recording.orderId}; the gateway keeps retrying`,
    }));
}

export function creationOf(status: OrderStatus, infos: Info[]): OrderCreation {
  return { status: status === 'FAILED' ? 'FAILED' : 'COMPLETED', infos };
}

/** A short, stable digest of the recordings' state, for observation keys. */
function recordingState(recordings: Record<string, DinteroRecording>): string {
  const state = Object.entries(recordings)
    .map(([id, recording]) => `${id}=${recording.done ? 1 : 0}`)
    .sort()
    .join(',');
  return createHash('sha256').update(state).digest('base64url').slice(0, 12);
}

export interface TransactionFactOptions {
  /** Recordings this fact reports (merged into providerData by id). */
  recordings: Record<string, DinteroRecording>;
  /** Every recording the order will have, for the infos; undefined leaves `creation` alone. */
  creationFrom?: Record<string, DinteroRecording>;
  type?: string;
  amount?: Money;
  /** Makes the key unique when the fact must be applied even if it looks like one seen before. */
  keySuffix?: string;
}

/**
 * A transaction as facts for the gateway. The key is the transaction's status and number of
 * events plus the recordings' state: the same upstream state read twice (a callback and a poll,
 * a duplicate callback) is one fact.
 */
export function observationOfTransaction(transaction: DinteroTransaction, options: TransactionFactOptions): ProviderObservation {
  const status = orderStatusOf(transaction.status);
  const known = options.creationFrom ?? options.recordings;
  const key = [`dintero:${transaction.id}`, transaction.status, transaction.events.length, recordingState(known), options.keySuffix].filter(Boolean).join(':');
  return {
    key,
    type: options.type ?? transaction.status.toLowerCase(),
    status,
    providerStatus: transaction.status,
    providerOrderId: transaction.merchant_reference,
    payments: [paymentOf(transaction)],
    ...(options.creationFrom ? { creation: creationOf(status, recordingInfos(options.creationFrom)) } : {}),
    ...(options.amount ? { amount: options.amount } : {}),
    providerData: { transactionId: transaction.id, ...recordingData(options.recordings) },
  };
}

/** The buyer cancelled on the checkout page: the session is cancelled, there is no transaction. */
export function observationOfCancelledSession(session: DinteroSession, dinteroOrderId: string): ProviderObservation {
  return {
    key: `dintero:session:${session.id}:cancelled`,
    type: 'session_cancelled',
    status: 'CANCELLED',
    providerStatus: 'SESSION_CANCELLED',
    providerOrderId: dinteroOrderId,
    creation: { status: 'ROLLED_BACK', infos: [] },
  };
}

/** Nobody paid before the session expired: Dintero will not take a payment for it any more. */
export function observationOfExpiredSession(session: DinteroSession, dinteroOrderId: string): ProviderObservation {
  return {
    key: `dintero:session:${session.id}:expired`,
    type: 'session_expired',
    status: 'EXPIRED',
    providerStatus: 'SESSION_EXPIRED',
    providerOrderId: dinteroOrderId,
    creation: { status: 'FAILED', infos: [] },
  };
}

/** The order waits for the buyer on Dintero's checkout page. */
export function observationOfSession(dinteroOrderId: string, session: { id: string; url: string }, draftId: string): ProviderObservation {
  return {
    key: `dintero:session:${session.id}:created`,
    type: 'session_created',
    status: 'CREATED',
    providerStatus: 'SESSION_CREATED',
    providerOrderId: dinteroOrderId,
    creation: { status: 'STOPPED', stopAction: { type: 'REDIRECT', redirectUrl: session.url }, infos: [] },
    providerData: { draftId, sessionId: session.id },
  };
}
