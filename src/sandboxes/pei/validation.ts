/**
 * Model binding and validation of the Pei sandbox's request bodies, as Pei's .NET Web API does it:
 * property names are matched without regard to letter case ("MerchantId" and "merchantId" both
 * bind), every failing field is reported at once under its `order.<path>` key, and no message
 * repeats a submitted value (a Ssn must not come back in an error).
 */
import { parsePeiDateTime } from '../../providers/pei/dates.js';
import { ModelState } from './errors.js';
import type { PeiSandboxBuyer, PeiSandboxItem, PeiSandboxSequenceType, PeiSandboxSubscriptionOptions } from './wire.js';

type Json = Record<string, unknown>;

/** Submit order (`POST /api/orders`), bound and checked; the mandate is checked against the book. */
export interface SubmitRequest {
  merchantId: number;
  amount: number;
  reference: string | null;
  expirationDate: Date | null;
  successReturnUrl: string | null;
  cancelReturnUrl: string | null;
  postbackUrl: string | null;
  sequenceType: PeiSandboxSequenceType;
  mandateId: string | null;
  buyer: PeiSandboxBuyer;
  items: PeiSandboxItem[];
  subscriptionOptions: PeiSandboxSubscriptionOptions | null;
}

/** Purchase for a buyer (`POST /api/orders/pay`). */
export interface PayRequest {
  merchantId: number;
  amount: number;
  reference: string | null;
  postbackUrl: string | null;
  buyer: PeiSandboxBuyer & { name: string; ssn: string; email: string };
  items: PeiSandboxItem[];
}

const SEQUENCE_TYPES: readonly PeiSandboxSequenceType[] = ['OneOff', 'First', 'Recurring'];

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The value of `name` in `object`, whatever its letter case (.NET binds case-insensitively). */
function prop(object: Json, name: string): unknown {
  const lower = name.toLowerCase();
  const key = Object.keys(object).find((candidate) => candidate.toLowerCase() === lower);
  return key === undefined ? undefined : object[key];
}

const absent = (value: unknown): boolean => value === undefined || value === null;

class Binder {
  readonly state = new ModelState();

  integer(value: unknown, key: string, label: string, required: boolean): number | null {
    if (absent(value)) {
      if (required) this.state.add(key, `The ${label} field is required.`);
      return null;
    }
    const number = typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value;
    if (typeof number !== 'number' || !Number.isSafeInteger(number)) {
      this.state.add(key, `The ${label} field must be a whole number.`);
      return null;
    }
    return number;
  }

  /** "Numeric"; the sandbox only knows ISK, which has no minor units, so amounts are whole krónur. */
  amount(value: unknown, key: string, label: string, required: boolean): number | null {
    if (absent(value)) {
      if (required) this.state.add(key, `The ${label} field is required.`);
      return null;
    }
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      this.state.add(key, `The ${label} field must be a number.`);
      return null;
    }
    if (!Number.isInteger(value)) {
      this.state.add(key, `The ${label} field must be a whole number of krónur.`);
      return null;
    }
    return value;
  }

  text(value: unknown, key: string, label: string, required: boolean): string | null {
    if (absent(value) || value === '') {
      if (required) this.state.add(key, `The ${label} field is required.`);
      return null;
    }
    if (typeof value !== 'string') {
      this.state.add(key, `The ${label} field must be a string.`);
      return null;
    }
    return value;
  }

  boolean(value: unknown, key: string, label: string): boolean {
    if (absent(value)) return false;
    if (typeof value !== 'boolean') {
      this.state.add(key, `The ${label} field must be true or false.`);
      return false;
    }
    return value;
  }

  url(value: unknown, key: string, label: string): string | null {
    const text = this.text(value, key, label, false);
    if (text === null) return null;
    try {
      const url = new URL(text);
      if (url.protocol === 'http:' || url.protocol === 'https:') return text;
    } catch {
      // reported below
    }
    this.state.add(key, `The ${label} field is not a valid absolute URL.`);
    return null;
  }

  buyer(value: unknown, key: string, requireAll: boolean): PeiSandboxBuyer {
    const empty: PeiSandboxBuyer = { name: null, ssn: null, email: null, mobileNumber: null };
    if (!isObject(value)) {
      this.state.add(key, absent(value) ? 'The Buyer field is required.' : 'The Buyer field must be an object.');
      return empty;
    }
    const ssnText = this.text(prop(value, 'ssn'), `${key}.ssn`, 'Ssn', requireAll);
    let ssn: string | null = null;
    if (ssnText !== null) {
      const digits = ssnText.replace('-', '');
      // A kennitala is ten digits (DDMMYY-NNNC); the hyphen is optional.
      if (/^\d{10}$/.test(digits)) ssn = digits;
      else this.state.add(`${key}.ssn`, 'The Ssn field must be a kennitala of 10 digits.');
    }
    const email = this.text(prop(value, 'email'), `${key}.email`, 'Email', requireAll);
    if (email !== null && !/^[^@\s]+@[^@\s]+$/.test(email)) this.state.add(`${key}.email`, 'The Email field is not a valid e-mail address.');
    return {
      name: this.text(prop(value, 'name'), `${key}.name`, 'Name', requireAll),
      ssn,
      email,
      mobileNumber: this.text(prop(value, 'mobileNumber'), `${key}.mobileNumber`, 'MobileNumber', false),
    };
  }

  items(value: unknown, key: string, withGroups: boolean): PeiSandboxItem[] {
    if (!Array.isArray(value) || value.length === 0) {
      this.state.add(key, 'At least one item is required.');
      return [];
    }
    const items = value.map((raw, index): PeiSandboxItem => {
      const itemKey = `${key}[${index}]`;
      if (!isObject(raw)) {
        this.state.add(itemKey, 'An item must be an object.');
        return { name: '', code: null, quantity: null, unit: null, unitPrice: null, amount: null, groupName: null, isOptional: false, isDefaultSelected: false };
      }
      const quantity = prop(raw, 'quantity');
      if (!absent(quantity) && (typeof quantity !== 'number' || !(quantity > 0))) this.state.add(`${itemKey}.quantity`, 'The Quantity field must be a positive number.');
      return {
        name: this.text(prop(raw, 'name'), `${itemKey}.name`, 'Name', true) ?? '',
        code: this.text(prop(raw, 'code'), `${itemKey}.code`, 'Code', false),
        quantity: typeof quantity === 'number' ? quantity : null,
        unit: this.text(prop(raw, 'unit'), `${itemKey}.unit`, 'Unit', false),
        unitPrice: this.amount(prop(raw, 'unitPrice'), `${itemKey}.unitPrice`, 'UnitPrice', false),
        amount: this.amount(prop(raw, 'amount'), `${itemKey}.amount`, 'Amount', false),
        groupName: withGroups ? this.text(prop(raw, 'groupName'), `${itemKey}.groupName`, 'GroupName', false) : null,
        isOptional: withGroups ? this.boolean(prop(raw, 'isOptional'), `${itemKey}.isOptional`, 'IsOptional') : false,
        isDefaultSelected: withGroups ? this.boolean(prop(raw, 'isDefaultSelected'), `${itemKey}.isDefaultSelected`, 'IsDefaultSelected') : false,
      };
    });
    // Seed: "Only one group item can be default selected."
    const defaults = new Map<string, number>();
    items.forEach((item, index) => {
      if (item.groupName === null || !item.isDefaultSelected) return;
      if (defaults.has(item.groupName)) {
        this.state.add(`${key}[${index}].isDefaultSelected`, 'Only one item of a group can be default selected.');
      } else {
        defaults.set(item.groupName, index);
      }
    });
    return items;
  }

  sequenceType(value: unknown, key: string): PeiSandboxSequenceType | null {
    if (absent(value)) {
      this.state.add(key, 'The SequenceType field is required.');
      return null;
    }
    // A .NET enum binds from its name (any case) or its number: OneOff (0), First (1), Recurring (2).
    if (typeof value === 'number' && Number.isInteger(value) && SEQUENCE_TYPES[value]) return SEQUENCE_TYPES[value];
    if (typeof value === 'string') {
      const found = SEQUENCE_TYPES.find((word) => word.toLowerCase() === value.trim().toLowerCase());
      if (found) return found;
    }
    this.state.add(key, 'The SequenceType field must be OneOff, First or Recurring.');
    return null;
  }

  subscription(value: unknown, key: string): PeiSandboxSubscriptionOptions | null {
    if (absent(value)) return null;
    if (!isObject(value)) {
      this.state.add(key, 'The SubscriptionOptions field must be an object.');
      return null;
    }
    const startDate = this.text(prop(value, 'startDate'), `${key}.startDate`, 'StartDate', true);
    if (startDate !== null && parseStartDate(startDate) === undefined) this.state.add(`${key}.startDate`, 'The StartDate field is not a valid date.');
    const frequency = this.text(prop(value, 'frequency'), `${key}.frequency`, 'Frequency', true);
    const normalized = frequency === null ? null : frequency.toLowerCase() === 'week' ? 'Week' : frequency.toLowerCase() === 'month' ? 'Month' : undefined;
    if (normalized === undefined) this.state.add(`${key}.frequency`, "The Frequency field must be 'Week' or 'Month'.");
    const interval = this.integer(prop(value, 'frequencyInterval'), `${key}.frequencyInterval`, 'FrequencyInterval', true);
    if (interval !== null && interval < 1) this.state.add(`${key}.frequencyInterval`, 'The FrequencyInterval field must be at least 1.');
    // The seed types Cycles as a String but its example sends a number; either binds.
    const cycles = this.integer(prop(value, 'cycles'), `${key}.cycles`, 'Cycles', true);
    if (cycles !== null && cycles < 1) this.state.add(`${key}.cycles`, 'The Cycles field must be at least 1.');
    if (startDate === null || !normalized || interval === null || cycles === null) return null;
    return { startDate, frequency: normalized, frequencyInterval: interval, cycles };
  }
}

/**
 * The seed writes StartDate three ways: "dd-mm-yyyy" (format), "28.6.2015" (table example) and
 * "2016-05-12" (JSON example); all three are accepted.
 */
export function parseStartDate(text: string): Date | undefined {
  let year: number, month: number, day: number;
  let match = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(text);
  if (match) [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  else {
    match = /^(\d{1,2})[.-](\d{1,2})[.-](\d{4})$/.exec(text);
    if (!match) return undefined;
    [day, month, year] = [Number(match[1]), Number(match[2]), Number(match[3])];
  }
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCMonth() === month - 1 && date.getUTCDate() === day ? date : undefined;
}

export function parseSubmit(body: unknown, now: Date): SubmitRequest {
  const binder = new Binder();
  const order: Json = isObject(body) ? body : {};
  if (!isObject(body)) binder.state.add('order', 'The order is required.');
  const merchantId = binder.integer(prop(order, 'merchantId'), 'order.merchantId', 'MerchantId', true);
  const amount = binder.amount(prop(order, 'amount'), 'order.amount', 'Amount', true);
  if (amount !== null && amount <= 0) binder.state.add('order.amount', 'The Amount field must be greater than 0.');

  let expirationDate: Date | null = null;
  const expiration = prop(order, 'expirationDate');
  if (!absent(expiration)) {
    // Zone-less (the seed's "2018-07-31 13:33:33.337") is Icelandic time, which is UTC.
    const parsed = typeof expiration === 'string' ? parsePeiDateTime(expiration) : undefined;
    if (!parsed) binder.state.add('order.expirationDate', 'The ExpirationDate field is not a valid date.');
    else if (parsed.getTime() <= now.getTime()) binder.state.add('order.expirationDate', 'The ExpirationDate must be in the future.');
    else expirationDate = parsed;
  }

  const sequenceType = binder.sequenceType(prop(order, 'sequenceType'), 'order.sequenceType');
  const mandateId = binder.text(prop(order, 'mandateId'), 'order.mandateId', 'MandateId', false);
  // Seed: "only applies if SequenceType is Recurring otherwise the mandateId should be null".
  if (sequenceType === 'Recurring' && mandateId === null) binder.state.add('order.mandateId', 'A Recurring order needs the MandateId of its First order.');
  if (sequenceType !== null && sequenceType !== 'Recurring' && mandateId !== null) {
    binder.state.add('order.mandateId', 'The MandateId must be null unless the SequenceType is Recurring.');
  }

  const request = {
    merchantId,
    amount,
    reference: binder.text(prop(order, 'reference'), 'order.reference', 'Reference', false),
    expirationDate,
    successReturnUrl: binder.url(prop(order, 'successReturnUrl'), 'order.successReturnUrl', 'SuccessReturnUrl'),
    cancelReturnUrl: binder.url(prop(order, 'cancelReturnUrl'), 'order.cancelReturnUrl', 'CancelReturnUrl'),
    postbackUrl: binder.url(prop(order, 'postbackUrl'), 'order.postbackUrl', 'PostbackUrl'),
    sequenceType,
    mandateId,
    buyer: binder.buyer(prop(order, 'buyer'), 'order.buyer', false),
    items: binder.items(prop(order, 'items'), 'order.items', true),
    subscriptionOptions: binder.subscription(prop(order, 'subscriptionOptions'), 'order.subscriptionOptions'),
  };
  binder.state.throwIfInvalid();
  return request as SubmitRequest;
}

export function parsePay(body: unknown): PayRequest {
  const binder = new Binder();
  const order: Json = isObject(body) ? body : {};
  if (!isObject(body)) binder.state.add('order', 'The order is required.');
  const amount = binder.amount(prop(order, 'amount'), 'order.amount', 'Amount', true);
  if (amount !== null && amount <= 0) binder.state.add('order.amount', 'The Amount field must be greater than 0.');
  const request = {
    merchantId: binder.integer(prop(order, 'merchantId'), 'order.merchantId', 'MerchantId', true),
    amount,
    reference: binder.text(prop(order, 'reference'), 'order.reference', 'Reference', false),
    postbackUrl: binder.url(prop(order, 'postbackUrl'), 'order.postbackUrl', 'PostbackUrl'),
    // Orders/Pay: Buyer.Name, Buyer.Ssn and Buyer.Email are required.
    buyer: binder.buyer(prop(order, 'buyer'), 'order.buyer', true),
    // Orders/Pay items have no GroupName / IsOptional / IsDefaultSelected.
    items: binder.items(prop(order, 'items'), 'order.items', false),
  };
  binder.state.throwIfInvalid();
  return request as PayRequest;
}
