import { assertNever, badInput, invalidState, providerUnavailable } from '../../domain/errors.js';
import { exponentOf, parseMoney, zero, type Money } from '../../domain/money.js';
import type { ProviderObservation } from '../../domain/observation.js';
import type { LineItem, Order, OrderCreation, Payment, StopAction } from '../../domain/order.js';
import type { ContinueCreationInput, CreateOrderCommand, ReturnUrls } from '../../domain/provider-port.js';
import type { OrderStatus, PaymentStatus } from '../../domain/status.js';
import type {
  IntershopContinueRequest,
  IntershopErrors,
  IntershopExitReason,
  IntershopLineItem,
  IntershopMoney,
  IntershopOrderCreation,
  IntershopOrderData,
  IntershopOrderDocument,
  IntershopPaymentStatus,
  IntershopPaymentsDocument,
} from './wire.js';

/** CreateOrderInput.intershop, as GraphQL hands it over. */
export interface IntershopOptions {
  basketId: string;
  termsAndConditionsAccepted: boolean;
}

/** What `included` may carry for one or several orders. */
type Included = IntershopOrderDocument['included'];

const PROVIDER = 'Intershop';
/** ICM ids are opaque; this keeps anything that could break a URL path or a log line out. */
const BASKET_ID = /^[A-Za-z0-9._~-]{1,128}$/;
const MAX_REDIRECT_PARAMETERS = 100;

// ---- gateway -> Intershop ------------------------------------------------------------------

/** Provider-specific input rules, checked before anything is stored or sent. */
export function checkIntershopCreate(command: CreateOrderCommand): IntershopOptions {
  const options = command.options as IntershopOptions | undefined;
  if (!options) throw badInput('input.intershop', 'An INTERSHOP order needs intershop options (basketId, termsAndConditionsAccepted)');
  if (!BASKET_ID.test(options.basketId)) {
    throw badInput('input.intershop.basketId', 'basketId is the ICM basket id: 1 to 128 letters, digits, ".", "_", "~" or "-"');
  }
  // The basket carries the buyer and the deadline; ICM's order takes neither.
  if (command.buyer) throw badInput('input.buyer', "An Intershop order's buyer is the basket's user");
  if (command.expiresAt) throw badInput('input.expiresAt', 'An Intershop order has no expiry date');
  if (command.returnUrls) checkReturnUrls(command.returnUrls, 'input.returnUrls');
  return options;
}

/** ICM needs all three redirect URLs at once (seed §3.2.3). */
function checkReturnUrls(urls: ReturnUrls, field: string): { successUrl: string; cancelUrl: string; failureUrl: string } {
  for (const name of ['success', 'cancel', 'failure'] as const) {
    if (!urls[name]) throw badInput(`${field}.${name}`, 'Intershop needs the success, cancel and failure URLs together');
  }
  return { successUrl: String(urls.success), cancelUrl: String(urls.cancel), failureUrl: String(urls.failure) };
}

export function redirectUrlsRequest(urls: ReturnUrls, field: string): IntershopContinueRequest {
  return { orderCreation: { status: 'CONTINUE', redirect: checkReturnUrls(urls, field) } };
}

/** What the order's creation is stopped for, in the gateway's terms; null when it does not wait on the client. */
function waitingFor(order: Order): 'returnUrls' | 'redirectResult' | null {
  const stop = order.creation.stopAction;
  if (order.creation.status !== 'STOPPED' || !stop) return null;
  if (stop.type === 'REDIRECT') return 'redirectResult';
  if (stop.type === 'WORKFLOW' && stop.reason === 'redirect_urls_required') return 'returnUrls';
  return null;
}

/**
 * The CONTINUE that answers the order's current stop, or the error saying why there is none.
 * Input the order's stop does not ask for is INVALID_STATE (the input is fine, the moment is not);
 * a continue that gives nothing, or both, is BAD_USER_INPUT naming the field the stop needs.
 */
export function continueRequest(order: Order, input: ContinueCreationInput): IntershopContinueRequest {
  if (input.threeDS !== undefined && input.threeDS !== null) throw badInput('input.threeDS', 'An Intershop order is continued with returnUrls or redirectResult');
  const needed = waitingFor(order);
  if (!needed) {
    const reason = order.creation.stopAction?.reason ?? order.creation.status;
    throw invalidState(`The order's creation is waiting on ICM (${reason}), not on the client; there is nothing to continue`);
  }
  if (input.returnUrls && input.redirectResult) throw badInput('input', 'Give returnUrls or redirectResult, not both');
  if (!input.returnUrls && !input.redirectResult) {
    throw badInput(`input.${needed}`, needed === 'returnUrls' ? 'The order waits for its return URLs' : "The order waits for the PSP's redirect result");
  }
  if (input.returnUrls) {
    if (needed !== 'returnUrls') throw invalidState('The order already has its return URLs; it waits for the redirect result');
    return redirectUrlsRequest(input.returnUrls, 'input.returnUrls');
  }
  const result = input.redirectResult;
  if (!result) throw new Error('unreachable: one of the two is given');
  if (needed !== 'redirectResult') throw invalidState('The order is not waiting on a redirect result; it needs returnUrls first');
  if (result.parameters.length > MAX_REDIRECT_PARAMETERS) {
    throw badInput('input.redirectResult.parameters', `At most ${MAX_REDIRECT_PARAMETERS} parameters`);
  }
  result.parameters.forEach((parameter, index) => {
    if (!parameter.name) throw badInput(`input.redirectResult.parameters.${index}.name`, 'A parameter needs a name');
  });
  return { orderCreation: { status: 'CONTINUE', redirect: { status: result.status, parameters: result.parameters.map(({ name, value }) => ({ name, value })) } } };
}

// ---- Intershop -> gateway ------------------------------------------------------------------

/** ICM amounts are major-unit JSON numbers; one with more decimals than its currency has is malformed. */
export function fromWireMoney(money: IntershopMoney): Money {
  let exponent: number;
  try {
    exponent = exponentOf(money.currency);
  } catch (error) {
    throw providerUnavailable(PROVIDER, error);
  }
  const scaled = money.value * 10 ** exponent;
  if (!Number.isFinite(money.value) || Math.abs(scaled - Math.round(scaled)) > 1e-6) {
    throw providerUnavailable(PROVIDER, new Error(`amount ${money.value} has more decimals than ${money.currency} allows`));
  }
  return parseMoney(money.value.toFixed(exponent), money.currency);
}

/** CONTRACT §7, explicit and exhaustive. */
export function orderStatusOf(creation: IntershopOrderCreation, payment: IntershopPaymentStatus | undefined): OrderStatus {
  switch (creation.status) {
    case 'STOPPED': {
      const stop = creation.stopAction;
      if (!stop) throw providerUnavailable(PROVIDER, new Error('STOPPED without a stopAction'));
      switch (stop.type) {
        case 'Redirect':
          return 'ACTION_REQUIRED';
        case 'Workflow':
          return workflowStatus(stop.exitReason);
        default:
          return assertNever(stop.type, 'ICM stop action type');
      }
    }
    case 'ROLLED_BACK':
      return 'CANCELLED';
    case 'COMPLETED':
      return completedStatus(payment);
    default:
      return assertNever(creation.status, 'ICM order creation status');
  }
}

function workflowStatus(reason: IntershopExitReason | undefined): OrderStatus {
  switch (reason) {
    case 'redirect_urls_required':
    case 'recurring.order':
      return 'ACTION_REQUIRED';
    case 'waiting_for_pending_payments':
      return 'PENDING';
    case undefined:
      throw providerUnavailable(PROVIDER, new Error('a Workflow stop without an exitReason'));
    default:
      return assertNever(reason, 'ICM exit reason');
  }
}

/** A created order is as far as its payment: an authorization, a capture, or still open. */
function completedStatus(payment: IntershopPaymentStatus | undefined): OrderStatus {
  switch (payment) {
    case 'AUTHORIZED':
      return 'AUTHORIZED';
    case 'CAPTURED':
      return 'CAPTURED';
    case 'Unprocessed':
    case 'PENDING':
    case undefined:
      return 'PENDING';
    case 'AUTHORIZATIONVOIDED':
      return 'CANCELLED';
    default:
      return assertNever(payment, 'ICM payment status');
  }
}

function paymentStatusOf(word: IntershopPaymentStatus): PaymentStatus {
  switch (word) {
    case 'Unprocessed':
    case 'PENDING':
      return 'PENDING';
    case 'AUTHORIZED':
      return 'AUTHORIZED';
    case 'CAPTURED':
      return 'CAPTURED';
    case 'AUTHORIZATIONVOIDED':
      return 'VOIDED';
    default:
      return assertNever(word, 'ICM payment status');
  }
}

function stopActionOf(creation: IntershopOrderCreation): StopAction | undefined {
  const stop = creation.stopAction;
  if (creation.status !== 'STOPPED' || !stop) return undefined;
  switch (stop.type) {
    case 'Redirect':
      if (!stop.redirectUrl) throw providerUnavailable(PROVIDER, new Error('a Redirect stop without a redirectUrl'));
      return { type: 'REDIRECT', redirectUrl: stop.redirectUrl };
    case 'Workflow':
      return { type: 'WORKFLOW', ...(stop.exitReason ? { reason: stop.exitReason } : {}) };
    default:
      return assertNever(stop.type, 'ICM stop action type');
  }
}

function creationOf(document: Pick<IntershopOrderDocument, 'infos'>, data: IntershopOrderData): OrderCreation {
  const stopAction = stopActionOf(data.orderCreation);
  return {
    status: data.orderCreation.status,
    ...(stopAction ? { stopAction } : {}),
    infos: (document.infos ?? []).map(({ code, message }) => ({ code, message })),
  };
}

/** The history entry's type: the stop's reason, or how the chain ended. */
function factType(creation: IntershopOrderCreation): string {
  switch (creation.status) {
    case 'STOPPED':
      return creation.stopAction?.type === 'Redirect' ? 'redirect' : (creation.stopAction?.exitReason ?? 'stopped');
    case 'COMPLETED':
      return 'completed';
    case 'ROLLED_BACK':
      return 'rolled_back';
    default:
      return assertNever(creation.status, 'ICM order creation status');
  }
}

/**
 * The order's payments. Status comes from the order's `included.payments` (the payments resource
 * has none); amount and method from GET /orders/{id}/payments when it was read.
 */
function paymentsOf(data: IntershopOrderData, included: Included, orderStatus: OrderStatus, listed?: IntershopPaymentsDocument): Payment[] {
  return (data.payments ?? []).flatMap((id) => {
    const payment = included?.payments?.[id];
    if (!payment) return [];
    const resource = listed?.data.find((entry) => entry.id === id);
    const methodName = resource ? listed?.included?.paymentMethod?.[resource.paymentMethod]?.displayName : undefined;
    const amount = fromWireMoney(resource ? resource.totalAmount.gross : payment.totalAmount);
    // While ICM waits for the PSP's notification the payment is "AUTHORIZED (pending)" (seed
    // §3.2.5): not money the gateway may count on yet, as a rollback may still come.
    const status = orderStatus === 'PENDING' ? 'PENDING' : paymentStatusOf(payment.status);
    return [
      {
        id,
        method: resource?.paymentMethod ?? payment.paymentMethod,
        ...(methodName ? { methodName } : {}),
        status,
        amount,
        capturedAmount: status === 'CAPTURED' ? amount : zero(amount.currency),
        refundedAmount: zero(amount.currency),
      },
    ];
  });
}

/** The first payment's status word, which decides a COMPLETED order's status. */
function paymentWord(data: IntershopOrderData, included: Included): IntershopPaymentStatus | undefined {
  const first = data.payments?.[0];
  return first ? included?.payments?.[first]?.status : undefined;
}

/**
 * One ICM order document as a fact for the gateway. The key is the chain's state and the payment
 * word: reading the same state again (a poll after a PATCH) is the same fact.
 */
export function observationOf(document: Pick<IntershopOrderDocument, 'infos' | 'included'>, data: IntershopOrderData, payments?: IntershopPaymentsDocument): ProviderObservation {
  const word = paymentWord(data, document.included);
  const status = orderStatusOf(data.orderCreation, word);
  const stop = data.orderCreation.stopAction;
  return {
    key: `intershop:${data.id}:${data.orderCreation.status}:${stop?.type ?? '-'}:${stop?.exitReason ?? '-'}:${word ?? '-'}`,
    type: factType(data.orderCreation),
    status,
    providerStatus: data.statusCode,
    providerOrderId: data.id,
    payments: paymentsOf(data, document.included, status, payments),
    creation: creationOf(document, data),
  };
}

/** The order's total and lines, which come from ICM (the basket) and not from the client. */
export function totalsOf(data: IntershopOrderData, included: Included): { total: Money; items: LineItem[] } {
  const total = fromWireMoney(data.totals.grandTotal.gross);
  const items = (data.lineItems ?? []).flatMap((id, index) => {
    const line = included?.lineItems?.[id];
    return line ? [lineItemOf(line, index)] : [];
  });
  return { total, items };
}

function lineItemOf(line: IntershopLineItem, index: number): LineItem {
  const unitPrice = line.pricing.singleBasePrice ? fromWireMoney(line.pricing.singleBasePrice.gross) : undefined;
  return {
    lineId: String(line.position ?? index + 1),
    // ICM's v1 line item names its product by SKU only.
    code: line.product,
    name: line.product,
    quantity: line.quantity.value,
    ...(line.quantity.unit ? { unit: line.quantity.unit } : {}),
    ...(unitPrice ? { unitPrice } : {}),
    amount: fromWireMoney(line.pricing.total.gross),
  };
}

/** The closed error set: ICM's first error becomes PROVIDER_REJECTED details. */
export function rejectionDetails(errors: IntershopErrors): { providerCode: string; providerField?: string; message: string } {
  const [first] = errors.errors;
  if (!first) throw new Error('unreachable: the schema requires one error');
  const path = first.paths?.[0] ?? first.causes?.find((cause) => cause.paths?.length)?.paths?.[0];
  return {
    providerCode: first.code,
    ...(path ? { providerField: path } : {}),
    message: `Intershop rejected the request: ${first.message ?? first.code} (${first.code})`,
  };
}
