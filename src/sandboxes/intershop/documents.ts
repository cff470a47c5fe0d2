/**
 * How the Intershop sandbox writes an order: the v1 documents of the seed (`data` / `included` /
 * `infos` / `links`, §2.2 and §3.1) and the legacy representation answered to plain
 * `application/json` (§2.1), which a v1 client cannot read.
 */
import { PAYMENT_METHODS } from './catalog.js';
import { icmMoney, priceItem } from './money.js';
import { capturesOnSuccess, totalMinor, type SandboxOrder } from './orders.js';
import type { IntershopSandboxInfo, IntershopSandboxLineItem, IntershopSandboxOrderCreation, IntershopSandboxOrderData, IntershopSandboxOrderPayment, IntershopSandboxOrderStatusCode, IntershopSandboxPaymentStatus } from './wire.js';

export interface DocumentContext {
  /** The REST base up to `/-` (for `links.self`). */
  restBase: string;
  /** The web base up to the site (for the PSP page). */
  webBase: string;
  pspUrl(order: SandboxOrder): string;
}

const STOPPED_INFO: IntershopSandboxInfo = { code: 'order.creation_stopped.info', message: 'The order process has not been finished yet.' };
const CANCELLED_INFO: IntershopSandboxInfo = { code: 'order.cancelled.info', message: 'The order was cancelled and the basket restored.' };

/** The include names of seed §2.2 (dotted) plus lineItems. */
export function parseIncludes(query: URLSearchParams): Set<string> {
  return new Set((query.get('include') ?? '').split(',').map((name) => name.trim()).filter(Boolean));
}

function orderCreation(order: SandboxOrder, context: DocumentContext): IntershopSandboxOrderCreation {
  switch (order.phase) {
    case 'urls_required':
      return { status: 'STOPPED', stopAction: { exitReason: 'redirect_urls_required', type: 'Workflow' } };
    case 'redirect': {
      const redirectUrl = context.pspUrl(order);
      return {
        ...(order.redirect ? { redirect: { ...order.redirect, redirectUrl } } : {}),
        status: 'STOPPED',
        stopAction: { redirectUrl, type: 'Redirect' },
      };
    }
    case 'pending':
      return {
        ...(order.redirect ? { redirect: order.redirect } : {}),
        status: 'STOPPED',
        stopAction: { exitReason: 'waiting_for_pending_payments', type: 'Workflow' },
      };
    case 'completed':
      return { status: 'COMPLETED' };
    case 'rolled_back':
      return { status: 'ROLLED_BACK' };
  }
}

function statusCode(order: SandboxOrder): [IntershopSandboxOrderStatusCode, string] {
  switch (order.phase) {
    case 'urls_required':
    case 'redirect':
    case 'pending':
      return ['PENDING', 'Pending'];
    case 'completed':
      return ['NEW', 'New'];
    case 'rolled_back':
      return ['PAYMENT_CANCELLED', 'Payment cancelled'];
  }
}

/** Seed §3.2.5's payment column; "Unprocessed" before any redirect (seed §2.2's example). */
export function paymentStatus(order: SandboxOrder): IntershopSandboxPaymentStatus {
  switch (order.phase) {
    case 'urls_required':
      return 'Unprocessed';
    case 'redirect':
      return 'PENDING';
    case 'pending':
    case 'completed':
      return capturesOnSuccess(order) ? 'CAPTURED' : 'AUTHORIZED';
    case 'rolled_back':
      return 'AUTHORIZATIONVOIDED';
  }
}

function infos(order: SandboxOrder): IntershopSandboxInfo[] | undefined {
  switch (order.phase) {
    case 'urls_required':
    case 'redirect':
    case 'pending':
      return [STOPPED_INFO];
    case 'rolled_back':
      return [CANCELLED_INFO];
    case 'completed':
      return undefined;
  }
}

const lineItemId = (order: SandboxOrder, index: number): string => `${order.id}-${index + 1}`;

/**
 * Which answer an order's `data` is written for. POST /orders and list entries carry what seed
 * §2.2 shows (`creationDate`, `purchaseCurrency`, `totals`); PATCH answers are seed §3.2.3/§3.2.4's,
 * which have no creationDate or purchaseCurrency and elide totals (`"totals": { ... }`), so the
 * sandbox leaves those three out; GET /orders/{id} (no example in the seed) answers the same as PATCH.
 */
export type OrderDataShape = 'created' | 'continued' | 'listed';

export function orderData(order: SandboxOrder, context: DocumentContext, shape: OrderDataShape): IntershopSandboxOrderData {
  const currency = order.basket.currency;
  const total = totalMinor(order);
  const [code, word] = statusCode(order);
  const full = shape !== 'continued';
  return {
    basket: order.basket.id,
    buckets: ['0'],
    ...(full ? { creationDate: order.creationDate.toISOString().replace(/Z$/, '+00:00') } : {}),
    customer: order.basket.customer,
    discounts: {},
    documentNumber: order.documentNumber,
    id: order.id,
    lineItems: order.basket.lines.map((_line, index) => lineItemId(order, index)),
    orderCreation: orderCreation(order, context),
    payments: [order.payment.id],
    ...(full ? { purchaseCurrency: currency } : {}),
    status: word,
    statusCode: code,
    termsAndConditionsAccepted: order.termsAndConditionsAccepted,
    totalProductQuantity: order.basket.lines.reduce((sum, line) => sum + line.quantity, 0),
    ...(full ? { totals: { grandTotal: priceItem(total, currency), itemTotal: priceItem(total, currency) } } : {}),
    user: order.basket.user,
  };
}

function orderPayment(order: SandboxOrder): IntershopSandboxOrderPayment {
  const currency = order.basket.currency;
  const total = totalMinor(order);
  return {
    baseAmount: icmMoney(total, currency),
    id: order.payment.id,
    openTender: true,
    paymentCosts: priceItem(0, currency),
    paymentInstrument: order.basket.paymentMethod,
    paymentMethod: order.basket.paymentMethod,
    redirectRequired: true,
    status: paymentStatus(order),
    totalAmount: icmMoney(total, currency),
  };
}

function lineItems(order: SandboxOrder): Record<string, IntershopSandboxLineItem> {
  const currency = order.basket.currency;
  return Object.fromEntries(
    order.basket.lines.map((line, index) => {
      const id = lineItemId(order, index);
      const item: IntershopSandboxLineItem = {
        id,
        position: index + 1,
        product: line.product,
        quantity: { value: line.quantity },
        pricing: { singleBasePrice: priceItem(line.priceMinor, currency), total: priceItem(line.priceMinor * line.quantity, currency) },
      };
      return [id, item];
    }),
  );
}

function included(orders: SandboxOrder[], includes: Set<string>): Record<string, unknown> | undefined {
  const sections: Record<string, Record<string, unknown>> = {};
  const add = (section: string, id: string, value: unknown): void => {
    sections[section] = { ...sections[section], [id]: value };
  };
  for (const order of orders) {
    if (includes.has('lineItems')) for (const [id, item] of Object.entries(lineItems(order))) add('lineItems', id, item);
    if (includes.has('payments')) add('payments', order.payment.id, orderPayment(order));
    const method = PAYMENT_METHODS[order.basket.paymentMethod].method;
    if (includes.has('payments.paymentInstrument')) add('payments.paymentInstrument', method.id, { id: method.id });
    if (includes.has('payments.paymentMethod')) add('payments.paymentMethod', method.id, method);
  }
  return Object.keys(sections).length ? sections : undefined;
}

/** One order as POST ('created'), PATCH or GET ('continued') answer it (seed §2.2, §3.2.3). */
export function orderDocument(order: SandboxOrder, includes: Set<string>, context: DocumentContext, shape: Exclude<OrderDataShape, 'listed'>): Record<string, unknown> {
  const extra = included([order], includes);
  const notes = infos(order);
  return {
    data: orderData(order, context, shape),
    ...(extra ? { included: extra } : {}),
    ...(notes ? { infos: notes } : {}),
    links: { self: `${context.restBase}/orders/${order.id}` },
  };
}

/**
 * One page of GET /orders: the user's orders, newest first (seed §2.3), from `offset`, at most
 * `limit`; `info` says which page and how many there are in all.
 */
export function orderListDocument(orders: SandboxOrder[], page: { offset: number; limit: number }, includes: Set<string>, context: DocumentContext): Record<string, unknown> {
  const slice = orders.slice(page.offset, page.offset + page.limit);
  const extra = included(slice, includes);
  return {
    data: slice.map((order) => orderData(order, context, 'listed')),
    ...(extra ? { included: extra } : {}),
    info: { limit: page.limit, offset: page.offset, total: orders.length },
  };
}

/** GET /orders/{id}/payments (seed §3.1): amounts as `{gross: {...}}`, includes without the `payments.` prefix. */
export function paymentsDocument(order: SandboxOrder, includes: Set<string>): Record<string, unknown> {
  const currency = order.basket.currency;
  const total = totalMinor(order);
  const method = PAYMENT_METHODS[order.basket.paymentMethod].method;
  const sections: Record<string, unknown> = {};
  if (includes.has('paymentMethod')) {
    sections.paymentMethod = {
      [method.id]: {
        default: false,
        description: method.description,
        displayName: method.displayName,
        id: method.id,
        paymentInstruments: method.paymentInstruments,
        restricted: false,
        saveAllowed: method.saveAllowed,
      },
    };
  }
  if (includes.has('paymentInstrument')) sections.paymentInstrument = { [method.id]: { id: method.id } };
  return {
    data: [
      {
        baseAmount: { gross: icmMoney(total, currency) },
        id: order.payment.id,
        paymentCosts: { gross: icmMoney(0, currency), net: icmMoney(0, currency), tax: icmMoney(0, currency) },
        paymentInstrument: method.id,
        paymentMethod: method.id,
        totalAmount: { gross: icmMoney(total, currency) },
      },
    ],
    ...(Object.keys(sections).length ? { included: sections } : {}),
  };
}

// ---- the legacy API (plain application/json) -------------------------------------------------

const legacyMoney = (minor: number, currency: string) => ({ type: 'Money', value: icmMoney(minor, currency).value, currencyMnemonic: currency });

export function legacyOrder(order: SandboxOrder, context: DocumentContext): Record<string, unknown> {
  const [code, word] = statusCode(order);
  return {
    type: 'Order',
    name: order.documentNumber,
    id: order.id,
    documentNo: order.documentNumber,
    creationDate: order.creationDate.getTime(),
    status: word,
    statusCode: code,
    totals: { type: 'BasketTotals', grandTotal: legacyMoney(totalMinor(order), order.basket.currency) },
    uri: `${context.restBase}/orders/${order.id}`,
  };
}

export function legacyCollection(name: string, links: { title: string; uri: string }[]): Record<string, unknown> {
  return { type: 'ResourceCollection', name, elements: links.map((link) => ({ type: 'Link', ...link })) };
}
