/**
 * Validation of what clients send the Intergiro sandbox: the Order Creatable of a create, the
 * Event Creatables of a PATCH and the dates of a list. Each check either returns a typed value or
 * throws a gracely 400 naming the offending property; amounts come out in integer minor units.
 */
import { malformed, type GracelyFailure } from './errors.js';
import { exponentOf, isKnownCurrency, toMinor } from './money.js';
import type { IntergiroSandboxItem, IntergiroSandboxItems } from './wire.js';

export const ITEMS_TYPE = 'number | Item | Item[]';

// ---------------------------------------------------------------------------------------------
// Order Creatable
// ---------------------------------------------------------------------------------------------

type CardCreatable = {
  type: 'card';
  card: string;
  subsequent?: { reference: string; initiator: 'cardholder' | 'merchant' };
  verification?: unknown;
};
type CustomerCreatable = { type: 'customer'; schedule?: number[]; charge?: 'auto'; due?: string };
export type DeferCreatable = { type: 'defer'; method: 'link'; cardholderName?: 'required'; redirectUrl?: string };
type PaymentCreatable = CardCreatable | CustomerCreatable | DeferCreatable;

export interface OrderCreatable {
  id?: string;
  number?: string;
  customer?: string;
  items: IntergiroSandboxItems;
  totalMinor: number;
  currency: string;
  exponent: number;
  charge?: 'auto';
  callback?: string;
  meta?: unknown;
  payment: PaymentCreatable;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function optionalString(value: unknown, property: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw malformed(property, 'string', `${property} must be a string`);
  return value;
}

function httpUrl(value: unknown, property: string): string {
  if (typeof value === 'string' && URL.canParse(value)) {
    const protocol = new URL(value).protocol;
    if (protocol === 'http:' || protocol === 'https:') return value;
  }
  throw malformed(property, 'string', `${property} must be an absolute http(s) URL`);
}

function parseCurrency(value: unknown): string {
  if (typeof value === 'string' && /^[A-Z]{3}$/.test(value) && isKnownCurrency(value)) return value;
  throw malformed('currency', 'Currency', 'currency must be a known ISO 4217 code');
}

function parseAmount(value: unknown, exponent: number, property: string): number {
  const minor = typeof value === 'number' ? toMinor(value, exponent) : undefined;
  if (minor === undefined) {
    throw malformed(property, 'number', `${property} must be a number with at most ${exponent} decimals`);
  }
  return minor;
}

/** One line in minor units: (price + vat) * quantity, which must land on a whole minor unit. */
function itemMinor(value: unknown, exponent: number, property: string): { item: IntergiroSandboxItem; minor: number } {
  if (!isRecord(value)) throw malformed(property, 'Item', `${property} must be an Item`);
  const name = value.name;
  if (typeof name !== 'string') throw malformed(`${property}.name`, 'string', 'an item needs a name');
  const price = parseAmount(value.price, exponent, `${property}.price`);
  const vat = value.vat === undefined ? 0 : parseAmount(value.vat, exponent, `${property}.vat`);
  const quantity = value.quantity;
  if (typeof quantity !== 'number' || !Number.isFinite(quantity) || quantity <= 0) {
    throw malformed(`${property}.quantity`, 'number', 'quantity must be a number greater than 0');
  }
  const unit = optionalString(value.unit, `${property}.unit`);
  const exact = (price + vat) * quantity;
  const minor = Math.round(exact);
  // A fractional quantity (2.5 kg) is fine as long as the line is a whole number of minor units.
  if (Math.abs(exact - minor) > 1e-6 || !Number.isSafeInteger(minor)) {
    throw malformed(`${property}.quantity`, 'number', 'the line total is not a whole number of minor units');
  }
  const item: IntergiroSandboxItem = { name, price: value.price as number, quantity };
  if (unit !== undefined) item.unit = unit;
  if (value.vat !== undefined) item.vat = value.vat as number;
  return { item, minor };
}

/** `items` is a plain amount, one Item or an array of Items; returns the echo and the total. */
function parseItems(value: unknown, exponent: number, property: string): { items: IntergiroSandboxItems; minor: number } {
  if (typeof value === 'number') return { items: value, minor: parseAmount(value, exponent, property) };
  if (Array.isArray(value)) {
    if (value.length === 0) throw malformed(property, ITEMS_TYPE, `${property} must not be empty`);
    const lines = value.map((line, index) => itemMinor(line, exponent, `${property}[${index}]`));
    return { items: lines.map((line) => line.item), minor: lines.reduce((sum, line) => sum + line.minor, 0) };
  }
  if (isRecord(value)) {
    const line = itemMinor(value, exponent, property);
    return { items: line.item, minor: line.minor };
  }
  throw malformed(property, ITEMS_TYPE, `${property} must be an amount, an Item or an array of Items`);
}

function parseChargeMode(value: unknown, property: string): 'auto' | undefined {
  if (value === undefined || value === 'auto') return value;
  throw malformed(property, '"auto"', `${property} must be "auto" when given`);
}

function parseCardPayment(payment: Record<string, unknown>): CardCreatable {
  const card = payment.card;
  if (typeof card !== 'string' || card.length === 0) {
    throw malformed('payment.card', 'Card.Token', 'a card payment needs a card token');
  }
  const result: CardCreatable = { type: 'card', card };
  if (payment.subsequent !== undefined) {
    const subsequent = payment.subsequent;
    if (
      !isRecord(subsequent) ||
      typeof subsequent.reference !== 'string' ||
      subsequent.reference.length === 0 ||
      (subsequent.initiator !== 'cardholder' && subsequent.initiator !== 'merchant')
    ) {
      throw malformed(
        'payment.subsequent',
        '{ reference: string, initiator: "cardholder" | "merchant" }',
        'subsequent needs a reference and an initiator of "cardholder" or "merchant"',
      );
    }
    result.subsequent = { reference: subsequent.reference, initiator: subsequent.initiator };
  }
  if (payment.verification !== undefined) result.verification = payment.verification;
  return result;
}

function parseCustomerPayment(payment: Record<string, unknown>): CustomerCreatable {
  const result: CustomerCreatable = { type: 'customer' };
  const schedule = payment.schedule;
  if (schedule !== undefined) {
    if (!Array.isArray(schedule) || !schedule.every((day): day is number => typeof day === 'number')) {
      throw malformed('payment.schedule', 'number[]', 'schedule must be an array of numbers');
    }
    result.schedule = schedule;
  }
  const charge = parseChargeMode(payment.charge, 'payment.charge');
  if (charge !== undefined) result.charge = charge;
  const due = optionalString(payment.due, 'payment.due');
  if (due !== undefined) result.due = due;
  return result;
}

function parseDeferPayment(payment: Record<string, unknown>): DeferCreatable {
  if (payment.method !== 'link') throw malformed('payment.method', '"link"', 'a defer payment needs method "link"');
  const result: DeferCreatable = { type: 'defer', method: 'link' };
  if (payment.cardholderName !== undefined) {
    if (payment.cardholderName !== 'required') {
      throw malformed('payment.cardholderName', '"required"', 'cardholderName must be "required" when given');
    }
    result.cardholderName = 'required';
  }
  if (payment.redirectUrl !== undefined) result.redirectUrl = httpUrl(payment.redirectUrl, 'payment.redirectUrl');
  return result;
}

function parsePayment(value: unknown): PaymentCreatable {
  if (!isRecord(value)) {
    throw malformed('payment', 'Payment.Creatable', 'payment must be a card, customer or defer Payment Creatable');
  }
  switch (value.type) {
    case 'card':
      return parseCardPayment(value);
    case 'customer':
      return parseCustomerPayment(value);
    case 'defer':
      return parseDeferPayment(value);
    default:
      throw malformed('payment.type', '"card" | "customer" | "defer"', 'payment.type must be card, customer or defer');
  }
}

export function parseOrderCreatable(body: unknown, customers: ReadonlySet<string>): OrderCreatable {
  if (!isRecord(body)) throw malformed('order', 'Order.Creatable', 'the body must be an Order Creatable');
  const id = optionalString(body.id, 'id');
  const number = optionalString(body.number, 'number');
  const customer = optionalString(body.customer, 'customer');
  const currency = parseCurrency(body.currency);
  const exponent = exponentOf(currency);
  const { items, minor: totalMinor } = parseItems(body.items, exponent, 'items');
  if (totalMinor <= 0) throw malformed('items', ITEMS_TYPE, 'the order amount must be greater than 0');
  const charge = parseChargeMode(body.charge, 'charge');
  const callback = body.callback === undefined ? undefined : httpUrl(body.callback, 'callback');
  const payment = parsePayment(body.payment);
  const needsCustomer = payment.type === 'customer' || (payment.type === 'card' && payment.subsequent !== undefined);
  if (needsCustomer && (customer === undefined || !customers.has(customer))) {
    throw malformed('customer', 'Customer.Identifier', 'a known customer id with a saved card is required');
  }
  const creatable: OrderCreatable = { items, totalMinor, currency, exponent, payment };
  if (id !== undefined) creatable.id = id;
  if (number !== undefined) creatable.number = number;
  if (customer !== undefined) creatable.customer = customer;
  if (charge !== undefined) creatable.charge = charge;
  if (callback !== undefined) creatable.callback = callback;
  if (body.meta !== undefined) creatable.meta = body.meta;
  return creatable;
}

// ---------------------------------------------------------------------------------------------
// Event Creatables (PATCH /v1/order)
// ---------------------------------------------------------------------------------------------

export interface EventCreatable {
  type: 'charge' | 'refund' | 'cancel';
  items?: IntergiroSandboxItems;
  amountMinor?: number;
  reference?: string;
  descriptor?: string;
}

export interface ChangeRequest {
  id: string;
  event: Record<string, unknown>[];
}

export function parseEventCreatable(raw: Record<string, unknown>, exponent: number): EventCreatable {
  const type = raw.type;
  if (type !== 'charge' && type !== 'refund' && type !== 'cancel') {
    throw malformed('type', '"charge" | "refund" | "cancel"', 'type must be charge, refund or cancel');
  }
  const creatable: EventCreatable = { type };
  if (raw.items !== undefined) {
    if (type === 'cancel') throw malformed('items', 'undefined', 'a cancel takes no items');
    const { items, minor } = parseItems(raw.items, exponent, 'items');
    if (minor <= 0) throw malformed('items', ITEMS_TYPE, 'the amount must be greater than 0');
    creatable.items = items;
    creatable.amountMinor = minor;
  }
  const reference = optionalString(raw.reference, 'reference');
  if (reference !== undefined) creatable.reference = reference;
  const descriptor = optionalString(raw.descriptor, 'descriptor');
  if (descriptor !== undefined) creatable.descriptor = descriptor;
  return creatable;
}

/** The Event Creatable fields as the client sent them (validated), for the echo and the order. */
export function echoFields(creatable: EventCreatable): {
  type: EventCreatable['type'];
  items?: IntergiroSandboxItems;
  reference?: string;
  descriptor?: string;
} {
  return {
    type: creatable.type,
    ...(creatable.items === undefined ? {} : { items: creatable.items }),
    ...(creatable.reference === undefined ? {} : { reference: creatable.reference }),
    ...(creatable.descriptor === undefined ? {} : { descriptor: creatable.descriptor }),
  };
}

export function parseChangeRequests(body: unknown): ChangeRequest[] {
  const invalid = (property: string): GracelyFailure =>
    malformed(property, '{ id: string, event: Event.Creatable[] }[]', 'the body must be an array of { id, event[] }');
  if (!Array.isArray(body)) throw invalid('order');
  return body.map((element: unknown, index) => {
    if (!isRecord(element) || typeof element.id !== 'string') throw invalid(`[${index}].id`);
    const events = element.event;
    if (!Array.isArray(events)) throw invalid(`[${index}].event`);
    const checked = events.map((event: unknown, position) => {
      if (!isRecord(event) || typeof event.type !== 'string') throw invalid(`[${index}].event[${position}].type`);
      return event;
    });
    return { id: element.id, event: checked };
  });
}

// ---------------------------------------------------------------------------------------------
// List dates (GET /v1/order?start=&end=)
// ---------------------------------------------------------------------------------------------

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

export function parseDay(value: string | null, property: 'start' | 'end'): string | undefined {
  if (value === null) return undefined;
  const match = DATE_PATTERN.exec(value);
  const [year, month, day] = match === null ? [] : match.slice(1).map(Number);
  if (year === undefined || month === undefined || day === undefined) {
    throw malformed(property, 'Date', `${property} must be a date YYYY-MM-DD`);
  }
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
    throw malformed(property, 'Date', `${property} is not a calendar date`);
  }
  return value;
}

