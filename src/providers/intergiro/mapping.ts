import { assertNever, badInput, invalidState } from '../../domain/errors.js';
import { formatMoney, zero, type Money } from '../../domain/money.js';
import type { ProviderObservation } from '../../domain/observation.js';
import { unknownStatusFact, unknownStatusInfo } from '../../domain/provider-oddities.js';
import type { Info, LineItem, Order, Payment } from '../../domain/order.js';
import type { OrderChange } from '../../domain/order-events.js';
import type { CreateOrderCommand, OrderChangeRequest } from '../../domain/provider-port.js';
import { paymentStatusFor, type OrderStatus } from '../../domain/status.js';
import { readOptions } from '../options.js';
import { IntergiroOptions } from './options.js';
import type {
  IntergiroChangeBody,
  IntergiroError,
  IntergiroEvent,
  IntergiroEventCreatable,
  IntergiroItem,
  IntergiroOrder,
  IntergiroOrderCreatable,
  IntergiroPaymentCreatable,
  IntergiroVerificationDetails,
} from './wire.js';
import { intergiroSpelling } from './status-words.js';
import { failedEventCounts, fromWireItems, itemsTotal, moneyEventsOf, movedAmounts, REFUND_UNCOUNTED_INFO, statusWordOf, type KnownFigures } from './amounts.js';
import { IntergiroStatus } from './wire.js';

// ---- gateway -> Intergiro ------------------------------------------------------------------

/** Intergiro amounts are JSON numbers in major units; exact decimal strings convert losslessly. */
export const toWireAmount = (money: Money): number => Number(formatMoney(money));

/** Provider-specific input rules, checked before anything is stored or sent. */
export function checkIntergiroOptions(command: CreateOrderCommand): IntergiroOptions {
  const options = readOptions(IntergiroOptions, command.options, 'input.intergiro');
  if (!options) throw badInput('input.intergiro', 'An INTERGIRO order needs intergiro options (paymentType)');
  if (!command.total) throw badInput('input.amount', 'An INTERGIRO order needs items or an amount');
  const field = (name: string) => `input.intergiro.${name}`;
  switch (options.paymentType) {
    case 'CARD':
      if (!options.cardToken) throw badInput(field('cardToken'), 'A CARD payment needs the card token');
      if (options.subsequent && !options.customerId) {
        throw badInput(field('customerId'), 'A saved-card payment (subsequent) needs the customer id');
      }
      if (options.subsequent && !['cardholder', 'merchant'].includes(options.subsequent.initiator)) {
        throw badInput(field('subsequent.initiator'), 'initiator is "cardholder" or "merchant"');
      }
      if (options.cardholderName != null) throw badInput(field('cardholderName'), 'cardholderName is for LINK payments');
      break;
    case 'CUSTOMER':
      if (!options.customerId) throw badInput(field('customerId'), 'A CUSTOMER payment needs the customer id');
      if (options.cardToken || options.subsequent || options.browser != null) {
        throw badInput(field('paymentType'), 'A CUSTOMER payment takes no card, browser or subsequent reference');
      }
      break;
    case 'LINK':
      if (options.cardToken || options.subsequent || options.browser != null) {
        throw badInput(field('paymentType'), 'A LINK payment takes no card, browser or subsequent reference');
      }
      break;
    default:
      assertNever(options.paymentType, 'Intergiro payment type');
  }
  if (command.returnUrls?.cancel || command.returnUrls?.failure) {
    throw badInput('input.returnUrls', 'Intergiro takes one redirect URL: returnUrls.success');
  }
  return options;
}

/**
 * Lines go as Intergiro items. A line with a unit price and quantity keeps them; a line with only
 * an amount goes as price = amount, quantity = 1, so Intergiro's sum is always the order's total
 * (dividing an amount by a quantity could need more decimals than the currency has).
 */
function toWireItems(items: LineItem[], total: Money): number | IntergiroItem[] {
  if (!items.length) return toWireAmount(total);
  return items.map((item) => {
    const exact = item.unitPrice && item.quantity !== undefined;
    return {
      name: item.name,
      price: toWireAmount(exact && item.unitPrice ? item.unitPrice : item.amount),
      quantity: exact && item.quantity !== undefined ? item.quantity : 1,
      ...(item.code ? { number: item.code } : {}),
      ...(item.unit ? { unit: item.unit } : {}),
    };
  });
}

export function toOrderCreatable(command: CreateOrderCommand, options: IntergiroOptions, callbackUrl: string): IntergiroOrderCreatable {
  const total = command.total;
  if (!total || !command.currency) throw new Error('checkIntergiroOptions guarantees a total and a currency');
  let payment: IntergiroPaymentCreatable;
  switch (options.paymentType) {
    case 'CARD':
      payment = {
        type: 'card',
        card: options.cardToken ?? '',
        ...(options.browser != null ? { client: { browser: options.browser } } : {}),
        ...(options.subsequent ? { subsequent: options.subsequent } : {}),
      };
      break;
    case 'CUSTOMER':
      payment = { type: 'customer' };
      break;
    case 'LINK':
      payment = {
        type: 'defer',
        method: 'link',
        ...(options.cardholderName ? { cardholderName: 'required' as const } : {}),
        ...(command.returnUrls?.success ? { redirectUrl: command.returnUrls.success } : {}),
      };
      break;
    default:
      return assertNever(options.paymentType, 'Intergiro payment type');
  }
  return {
    // The gateway's order id when the client gave none: a creation whose answer is lost is found by it.
    number: command.reference ?? command.orderId,
    items: toWireItems(command.items, total),
    currency: command.currency,
    ...(options.charge ? { charge: 'auto' as const } : {}),
    ...(options.customerId ? { customer: options.customerId } : {}),
    callback: callbackUrl,
    payment,
  };
}

/**
 * The Order Creatable of a creation found waiting for its 3-D Secure step after its answer was
 * lost (index.ts findListed), as far as the gateway can write it again: its number, items,
 * currency and callback as sent, its `charge` as the creation's intent kept it (`askedAuto`; else as
 * listed), its `customer` and payment type as Intergiro lists them.
 * The card token is not (a creation's intent keeps none): the step is continued with the Card
 * Payment Creatable the shop's Intergiro component gives (toVerifiedCreatable).
 */
export function toResumableCreatable(listed: IntergiroOrder, number: string, items: LineItem[], total: Money, callbackUrl: string, askedAuto?: boolean): IntergiroOrderCreatable {
  const customer = typeof listed.customer === 'string' && listed.customer.trim() !== '' ? listed.customer : undefined;
  const auto = askedAuto ?? (typeof listed.charge === 'string' && listed.charge.trim().toLowerCase() === 'auto');
  const type = listed.payment.type?.trim().toLowerCase();
  return {
    number,
    items: toWireItems(items, total),
    currency: total.currency,
    ...(auto ? { charge: 'auto' as const } : {}),
    ...(customer ? { customer } : {}),
    callback: callbackUrl,
    payment: type === 'customer' ? { type: 'customer' } : { type: 'card', card: '' },
  };
}

/**
 * Whether a 3-D Secure result is itself a Card Payment Creatable: the seed's way ("the payment
 * returned from the submit function of the <intergiro-payment-update> component populated on the
 * payment field"), `{type: "card", card: <token>, ...}`.
 */
function isCardPayment(threeDS: Record<string, unknown>): boolean {
  return typeof threeDS['type'] === 'string' && threeDS['type'].trim().toLowerCase() === 'card' && typeof threeDS['card'] === 'string' && threeDS['card'] !== '';
}

/**
 * The 3-D Secure result goes back inside the SAME creatable, under the order id Intergiro gave
 * (seed: "Include the id from the error response ... for all following calls"). A result that is
 * the component's payment (isCardPayment) is the payment, as the seed has it: over the original's
 * (its browser and saved-card reference where it leaves them out), nothing wrapped around it;
 * before, it went inside a `verification` field no seed shows, which an implementation of the seed
 * refuses (an unknown field) or misreads. Any other result: a card token it carries replaces the
 * token; the rest (the iframe's answer) is `verification` (CONTRACT §8, the sandbox).
 */
export function toVerifiedCreatable(original: IntergiroOrderCreatable, providerOrderId: string, threeDS: Record<string, unknown>): IntergiroOrderCreatable {
  if (original.payment.type !== 'card') return toVerifiedSavedCard(original, providerOrderId, threeDS);
  if (isCardPayment(threeDS)) {
    const { verification: _earlier, ...kept } = original.payment;
    return { ...original, id: providerOrderId, payment: { ...kept, ...threeDS, type: 'card', card: threeDS['card'] as string } };
  }
  const { card, ...verification } = threeDS;
  // A creation found after its answer was lost keeps no card token (toResumableCreatable): only a result carrying one can go.
  if (!original.payment.card && (typeof card !== 'string' || card === '')) {
    throw badInput('input.threeDS', 'This order\'s card token was not kept (its creation was found after a lost answer): continue with the Card Payment Creatable the Intergiro component gives ({type: "card", card: <token>, ...})');
  }
  const hasVerification = Object.keys(verification).length > 0;
  return {
    ...original,
    id: providerOrderId,
    payment: {
      ...original.payment,
      ...(typeof card === 'string' ? { card } : {}),
      ...(hasVerification ? { verification: 'verification' in verification ? verification.verification : verification } : {}),
    },
  };
}

/**
 * A merchant-initiated order (`payment: {type: "customer"}`) Intergiro stopped with "verification
 * required": the seed's "Whenever a verification required error is returned, 3D Secure needs to be
 * performed" names no payment type, and an issuer may ask for the cardholder on a saved card the
 * merchant charges. Its way through is the seed's saved-card flow: the payment method converted into
 * a Card Payment Creatable by <intergiro-payment-update> (3-D Secure performed there), the Order
 * Creatable resubmitted with that payment, the customer kept, under the id Intergiro gave. Any other
 * result cannot stand for a customer payment: a bad input, never a resubmission Intergiro would take
 * as verified. Before, every continuation of such an order failed as an unexpected error (round fifteen).
 */
function toVerifiedSavedCard(original: IntergiroOrderCreatable, providerOrderId: string, threeDS: Record<string, unknown>): IntergiroOrderCreatable {
  if (original.payment.type !== 'customer' || !isCardPayment(threeDS)) {
    throw badInput('input.threeDS', 'A CUSTOMER payment stopped for 3-D Secure continues with the Card Payment Creatable the saved-card flow gives ({type: "card", card: <token>, ...})');
  }
  return { ...original, id: providerOrderId, payment: { ...threeDS, type: 'card', card: threeDS['card'] as string } };
}

export function toEventCreatable(change: OrderChange): IntergiroEventCreatable {
  switch (change.type) {
    case 'CAPTURE':
      return { type: 'charge', ...(change.amount ? { items: toWireAmount(change.amount) } : {}) };
    case 'REFUND':
      return { type: 'refund', ...(change.amount ? { items: toWireAmount(change.amount) } : {}) };
    case 'CANCEL':
      return { type: 'cancel' };
    default:
      return assertNever(change.type, 'order event type');
  }
}

/** PATCH /v1/order's body: one element per order, its changes as Event Creatables (captures as `charge`). */
export function toChangeBody(requests: OrderChangeRequest[]): IntergiroChangeBody {
  return requests.map(({ order, changes }) => {
    if (!order.providerOrderId) throw invalidState('The order has no Intergiro id yet');
    return { id: order.providerOrderId, event: changes.map(toEventCreatable) };
  });
}

// ---- Intergiro -> gateway ------------------------------------------------------------------

/** CONTRACT §7, explicit and exhaustive; amounts refine captured/refunded later. */
export function orderStatusOf(status: IntergiroStatus): OrderStatus {
  switch (status) {
    case 'created':
    case 'deferred':
      return 'CREATED';
    case 'pending':
      return 'PENDING';
    case 'denied':
      return 'FAILED';
    case 'ordered':
      return 'AUTHORIZED';
    case 'charged':
    case 'paid':
    case 'settled':
    case 'synchronized':
      return 'CAPTURED';
    case 'refunded':
      return 'REFUNDED';
    case 'cancelled':
      return 'CANCELLED';
    default:
      return assertNever(status, 'Intergiro status');
  }
}

function paymentMethodOf(order: IntergiroOrder): string {
  // A payment without a type is the seed's "<Card payment>".
  return order.payment.type === 'defer' ? (order.payment.method ?? 'defer') : (order.payment.type ?? 'card');
}

/**
 * An Intergiro order as facts for the gateway. The key is the order's status plus how many
 * events it has: the same upstream state read twice (a callback and a poll) is one fact.
 * `known`: the gateway's own figures, where it has them (see movedAmounts).
 */
export function observationOfOrder(order: IntergiroOrder, type = 'provider_update', known?: KnownFigures): ProviderObservation {
  const word = statusWordOf(order);
  const spelled = IntergiroStatus.safeParse(intergiroSpelling(word));
  const unpaid = unpaidLinkWord(order);
  // A word outside CONTRACT §8's list: the order keeps its status, shows the word (CONTRACT §7).
  // Unless it is a payment link its payment says is unpaid: the shop must still be handed the link.
  if (!spelled.success) return unpaid ? unpaidLinkWithUnknownWord(order, word, unpaid) : unknownStatusFact('INTERGIRO', word, order.id);
  // `pending` beside a payment the seed's way unpaid (`created`): the link waits for its buyer.
  const status = unpaid && spelled.data === 'pending' ? unpaid : spelled.data;
  const currency = order.currency;
  const total = itemsTotal(order.items, currency);
  const events = order.event ?? [];
  const moved = movedAmounts(order, status, total, known);
  // `refunded` without a refunded figure: how much is not said, so the amounts decide (CONTRACT §7).
  // So is `charged` (or `paid`...) without a captured figure (a callback or listing without events,
  // not `charge: "auto"`): the lesser word, which the amounts raise to CAPTURED where they show the
  // whole. As CAPTURED, a callback that came before (or just after) the echo of a partial capture
  // ranked above the echo's PARTIALLY_CAPTURED: the order showed CAPTURED with 12.34 of 20.00 for good.
  // A charge word beside a refunded figure: an Intergiro may keep an order `charged` after a refund
  // of part of it (round twelve); as CAPTURED, the order showed 5.00 refunded under CAPTURED.
  const mapped = orderStatusOf(status);
  const orderStatus =
    status === 'refunded' && moved.refunded === 0
      ? 'PARTIALLY_REFUNDED'
      : mapped === 'CAPTURED' && moved.captured === 0
        ? 'PARTIALLY_CAPTURED'
        : mapped === 'CAPTURED' && moved.refunded > 0
          ? 'PARTIALLY_REFUNDED'
          : mapped;
  const payment: Payment = {
    id: order.id,
    method: paymentMethodOf(order),
    status: paymentStatusFor(orderStatus, moved.captured, moved.refunded),
    amount: total,
    capturedAmount: { currency, minor: moved.captured },
    refundedAmount: { currency, minor: moved.refunded },
    ...(order.payment.reference ? { providerReference: order.payment.reference } : {}),
  };
  const link = order.payment.type === 'defer' ? order.payment.link : undefined;
  const failed = failedEventCounts(order);
  const waitingOnLink = link && (status === 'created' || status === 'deferred');
  // Read with the gateway's figures, `refunded` and still no refund: one made at Intergiro itself, amount unsaid.
  const infos: Info[] =
    known && status === 'refunded' && moved.refunded === 0
      ? [{ code: REFUND_UNCOUNTED_INFO, message: 'Intergiro says the order was refunded but not how much, and the gateway made no refund of it: a refund made at Intergiro itself is not counted here' }]
      : [];
  return {
    // Without a money history the figures depend on what the gateway knew: they are part of the fact.
    // So does the Info of a refund not counted (a callback cannot tell it, the re-read then can).
    key: `intergiro:${order.id}:${status}:${events.length}${moved.history || !(moved.captured || moved.refunded) ? '' : `:${moved.captured}:${moved.refunded}`}${infos.length ? ':uncounted' : ''}`,
    type: type === 'provider_update' ? status : type,
    status: orderStatus,
    // The order's own word (`pending` beside an unpaid link's `created` too), for support staff.
    providerStatus: spelled.data,
    providerOrderId: order.id,
    payments: [payment],
    creation: waitingOnLink
      ? { status: 'STOPPED', stopAction: { type: 'REDIRECT', redirectUrl: link }, infos: [] }
      : { status: status === 'denied' ? 'FAILED' : 'COMPLETED', infos },
    // What this read lists as events, for showsOperation (amounts.ts).
    // And how many failed charges and cancels it lists, for a read back after a PATCH (echo-read-back.ts).
    providerData: { moneyEvents: moneyEventsOf(order), ...(failed ? { failedEvents: failed } : {}) },
  };
}

/**
 * The payment's own word where the order is a payment link (`defer` with a `link`) its payment says
 * is not paid yet (`created`, the one status word the seed shows, or `deferred`); else undefined.
 * The seed writes the order's word as "<Status of order>": an implementation may call a link that
 * waits for its buyer `pending`, or a word of its own (`unpaid`, `open`). Read by the order's word
 * alone, the link was dropped (creation COMPLETED, or no stop action): the shop had no URL to send
 * the buyer to.
 */
function unpaidLinkWord(order: IntergiroOrder): 'created' | 'deferred' | undefined {
  if (order.payment.type?.trim().toLowerCase() !== 'defer' || !order.payment.link) return undefined;
  const word = typeof order.payment.status === 'string' ? intergiroSpelling(order.payment.status) : '';
  return word === 'created' || word === 'deferred' ? word : undefined;
}

/**
 * An unpaid payment link (unpaidLinkWord) whose order says a word the gateway does not know: CREATED
 * as its payment says, with the link to hand the buyer, the order's word shown as said and its Info
 * (CONTRACT §7), as an unknown word's fact would.
 */
function unpaidLinkWithUnknownWord(order: IntergiroOrder, word: string, unpaid: 'created' | 'deferred'): ProviderObservation {
  const shown = unknownStatusFact('INTERGIRO', word, order.id);
  const known = observationOfOrder({ ...order, status: unpaid });
  const info = unknownStatusInfo('INTERGIRO', shown.providerStatus ?? word);
  return {
    ...known,
    key: `${known.key}:${shown.providerStatus ?? ''}`,
    ...(shown.providerStatus ? { providerStatus: shown.providerStatus } : {}),
    ...(known.creation ? { creation: { ...known.creation, infos: [...known.creation.infos, info] } } : {}),
  };
}

export function listedTotals(order: IntergiroOrder): { total: Money; items: LineItem[] } {
  return { total: itemsTotal(order.items, order.currency), items: fromWireItems(order.items, order.currency) };
}

/**
 * "verification required" (CONTRACT §7): the order waits on a 3-D Secure step. The seed names only
 * the words and the order's id ("an Error will be returned together with the id of the order"):
 * not the HTTP status (CONTRACT §8: 400; a 402 or 422 is as faithful), nor which field carries the
 * words (`error`; or `message`, `content.description`, `type`), nor their case or separators.
 */
export function isVerificationRequired(error: IntergiroError): boolean {
  if (error.id === undefined) return false;
  if (error.status !== undefined && (error.status < 400 || error.status > 499)) return false;
  const said = [error.error, error.message, error.content?.description, error.type];
  return said.some((words) => typeof words === 'string' && /\bverification required\b/.test(words.toLowerCase().replace(/[\s_-]+/g, ' ')));
}

/**
 * Whether a refused creation says its `number` is already an order's: a 409 (Conflict), or words
 * to that effect, beside the id of that order (the seed: "an Error will be returned together with
 * the id of the order"; "Include the id from the error response ... for all following calls to the
 * order-create endpoint, concerning the same order"). An Intergiro that keeps one order per number
 * answers a creation sent again under it so. No seed shows such an Error: the words are read
 * loosely, and a refusal without an id is never one.
 */
export function saysNumberTaken(error: IntergiroError): boolean {
  if (!error.id || isVerificationRequired(error)) return false;
  if (error.status === 409) return true;
  const said = [error.error, error.message, error.content?.description, error.type];
  return said.some((words) => typeof words === 'string' && /\b(?:duplicated?|already|exists?|conflict|unique|taken|in use)\b/.test(words.toLowerCase().replace(/[\s_-]+/g, ' ')));
}

/**
 * The step of a "verification required" error. `details` as CONTRACT §8 shows them ({method, url,
 * data: {type, threeDSServerTransID}}) where the error carries them; else whatever object it
 * carries (handed to the client as it is), or none: the shop's 3-D Secure component performs the
 * step (seed: "<intergiro-payment-update>"), so the order still stops for it, never an error.
 */
export function observationOfVerification(
  providerOrderId: string,
  details: IntergiroVerificationDetails | undefined,
  total: Money,
  creatable: IntergiroOrderCreatable,
  rawDetails?: unknown,
): ProviderObservation {
  const transaction = details?.data.threeDSServerTransID ?? 'step';
  const type = details?.data.type ?? 'verification';
  const handed = details ?? (rawDetails && typeof rawDetails === 'object' && !Array.isArray(rawDetails) ? (rawDetails as Record<string, unknown>) : undefined);
  return {
    key: `intergiro:${providerOrderId}:verification:${transaction}:${type}`,
    type: 'verification_required',
    status: 'ACTION_REQUIRED',
    providerStatus: 'verification required',
    providerOrderId,
    payments: [
      {
        id: providerOrderId,
        method: 'card',
        status: 'ACTION_REQUIRED',
        amount: total,
        capturedAmount: zero(total.currency),
        refundedAmount: zero(total.currency),
      },
    ],
    creation: {
      status: 'STOPPED',
      stopAction: {
        type: 'THREE_DS',
        reason: 'verification required',
        threeDS: { type, ...(handed ? { details: handed as Record<string, unknown> } : {}) },
      },
      infos: [],
    },
    providerData: { creatable },
  };
}

/**
 * After a successful PATCH Intergiro only echoes the events, so the facts are the gateway's
 * projection of the order (absolute amounts), keyed by what was applied.
 */
export function observationOfAppliedChange(projected: Order, change: OrderChange, echoed: IntergiroEvent, index: number): ProviderObservation {
  const word = change.type === 'CAPTURE' ? 'charged' : change.type === 'REFUND' ? 'refunded' : 'cancelled';
  return {
    key: `intergiro:${projected.providerOrderId ?? projected.id}:change:${echoed.date ?? ''}:${echoed.type}:${index}:${projected.events.length}`,
    type: echoed.type,
    status: projected.status,
    providerStatus: word,
    payments: projected.payments,
    ...(change.amount ? { amount: change.amount } : {}),
  };
}

/** The closed error set: Intergiro's own words become PROVIDER_REJECTED details. */
export function rejectionDetails(error: IntergiroError): { providerCode: string; providerField?: string; message: string } {
  const property = error.content?.property;
  const code = error.type ?? String(error.status ?? 'error');
  const description = error.error ?? error.message ?? error.content?.description ?? code;
  return {
    providerCode: code,
    ...(property ? { providerField: property } : {}),
    message: `Intergiro rejected the request: ${description}${property ? ` (${property})` : ''}`,
  };
}

/** The words of a `fail` event's `error` (CONTRACT §8's Error, or anything): PROVIDER_REJECTED details. */
export function rejectionDetailsOfFail(error: unknown): { message: string; providerCode: string; providerField?: string } {
  const parsed = error && typeof error === 'object' ? (error as { type?: unknown; error?: unknown; content?: { property?: unknown } }) : {};
  const code = typeof parsed.type === 'string' ? parsed.type : 'fail';
  const field = typeof parsed.content?.property === 'string' ? parsed.content.property : undefined;
  const reason = typeof parsed.error === 'string' ? parsed.error : code;
  return { message: `Intergiro refused the change: ${reason}`, providerCode: code, ...(field ? { providerField: field } : {}) };
}
