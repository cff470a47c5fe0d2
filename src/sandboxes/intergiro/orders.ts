/**
 * The Intergiro sandbox's order book: every simulated order, and the state machine that moves it.
 * A create authorizes by the test card token's rules (or waits for 3-D Secure, or opens a payment
 * link); PATCH events charge, refund or cancel where the status allows; each change appends its
 * events, sets the status and is reported through `changed` (which sends the callback).
 */
import { randomInt } from 'node:crypto';
import { GracelyFailure, malformed, notAllowed, notFound } from './errors.js';
import { toMajor } from './money.js';
import type { ThreeDSStepType } from './pages.js';
import { completeStep, currentStep, startThreeDS, verificationRequired, type ThreeDSState } from './three-ds.js';
import type { Timers } from '../kit/timers.js';
import {
  ITEMS_TYPE,
  echoFields,
  parseEventCreatable,
  parseOrderCreatable,
  type ChangeRequest,
  type DeferCreatable,
  type EventCreatable,
  type OrderCreatable,
} from './validation.js';
import type {
  IntergiroSandboxCardPayment,
  IntergiroSandboxDeferPayment,
  IntergiroSandboxError,
  IntergiroSandboxEvent,
  IntergiroSandboxEventType,
  IntergiroSandboxOrder,
  IntergiroSandboxStatus,
} from './wire.js';

export type IntergiroSandboxLinkOutcome = 'pay' | 'fail' | 'cancel';

/** Statuses a cancel may leave (CONTRACT §8: "allowed up to ordered"). */
const CANCELLABLE: ReadonlySet<IntergiroSandboxStatus> = new Set(['created', 'deferred', 'pending', 'ordered']);
const REFUNDABLE: ReadonlySet<IntergiroSandboxStatus> = new Set(['charged', 'paid', 'refunded']);

// ---------------------------------------------------------------------------------------------
// Card test rules
// ---------------------------------------------------------------------------------------------

type CardOutcome = 'approve' | 'deny' | 'pending';

interface CardRules {
  threeDS: ThreeDSStepType[];
  outcome: CardOutcome;
  scheme: string;
  iin: string;
  last4: string;
  /** Prefix of the acquirer reference, shaped like the seed's "MCA1400001202". */
  referencePrefix: string;
}

function cardRules(token: string): CardRules {
  const text = token.toLowerCase();
  const threeDS: ThreeDSStepType[] = text.includes('3ds2') ? ['method', 'challenge'] : text.includes('3ds') ? ['challenge'] : [];
  const outcome: CardOutcome = text.includes('deny') ? 'deny' : text.includes('pending') ? 'pending' : 'approve';
  if (text.includes('mastercard')) {
    return { threeDS, outcome, scheme: 'mastercard', iin: '555555', last4: '4444', referencePrefix: 'MCA' };
  }
  if (text.includes('amex')) {
    return { threeDS, outcome, scheme: 'amex', iin: '378282', last4: '0005', referencePrefix: 'AMX' };
  }
  return { threeDS, outcome, scheme: 'visa', iin: '411111', last4: '1111', referencePrefix: 'VIS' };
}

/** Stands in for the token of a customer's saved card: no test word, so it authorizes plainly. */
const SAVED_CARD_TOKEN = 'saved-card';

const ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function randomChars(alphabet: string, length: number): string {
  let text = '';
  for (let i = 0; i < length; i++) text += alphabet.charAt(randomInt(alphabet.length));
  return text;
}

function newOrderId(): string {
  return randomChars(ID_ALPHABET, 16);
}

function acquirerReference(prefix: string): string {
  return prefix + randomChars('0123456789', 10);
}

// ---------------------------------------------------------------------------------------------
// Order book
// ---------------------------------------------------------------------------------------------

export interface OrderRecord {
  order: IntergiroSandboxOrder;
  exponent: number;
  /** The authorized amount: the order total. */
  totalMinor: number;
  chargedMinor: number;
  refundedMinor: number;
  chargeAuto: boolean;
  /** The card's test rules; absent for a payment-link order. */
  card?: CardRules;
  threeDS?: ThreeDSState;
  settleTimer?: NodeJS.Timeout;
}

/** A PATCH event as echoed back: the event as given plus `date`, or the `fail` event. */
type EventEcho = Record<string, unknown>;

interface OrderBookDeps {
  baseUrl: string;
  now: () => Date;
  timers: Timers;
  customers: ReadonlySet<string>;
  pendingSettleMs: number;
  /** Called after every change of an order, with the order already updated. */
  changed: (order: IntergiroSandboxOrder) => void;
}

/** A created order or the 3-D Secure step the client must perform first. */
type CreateResult = { kind: 'order'; order: IntergiroSandboxOrder } | { kind: 'verify'; error: IntergiroSandboxError };

export class OrderBook {
  private readonly records = new Map<string, OrderRecord>();

  constructor(private readonly deps: OrderBookDeps) {}

  get(id: string): OrderRecord | undefined {
    return this.records.get(id);
  }

  list(start: string | undefined, end: string | undefined): IntergiroSandboxOrder[] {
    return [...this.records.values()]
      .map((record) => record.order)
      .filter((order) => {
        const day = order.created.slice(0, 10);
        return (start === undefined || day >= start) && (end === undefined || day <= end);
      })
      .sort((a, b) => a.created.localeCompare(b.created));
  }

  create(body: unknown): CreateResult {
    const creatable = parseOrderCreatable(body, this.deps.customers);
    if (creatable.id !== undefined) return this.resubmit(creatable.id, creatable);
    const payment = creatable.payment;
    if (payment.type === 'card' && payment.verification !== undefined) {
      throw malformed('id', 'string', 'a verification must be sent with the id of the order it belongs to');
    }
    if (payment.type === 'defer') {
      const record = this.newRecord(creatable, (id, created, amount) =>
        this.deferPayment(id, created, amount, creatable.currency, payment),
      );
      this.change(record, 'deferred', [this.event('defer')]);
      return { kind: 'order', order: record.order };
    }
    // A customer payment is paid with the customer's saved card, which follows the default rules.
    const rules = cardRules(payment.type === 'card' ? payment.card : SAVED_CARD_TOKEN);
    const record = this.newRecord(creatable, (_id, created, amount) =>
      cardPayment(created, amount, creatable.currency, rules),
    );
    record.card = rules;
    if (rules.threeDS.length > 0) {
      record.threeDS = startThreeDS(rules.threeDS);
      return this.verify(record, record.threeDS);
    }
    this.authorizeCard(record, rules.outcome);
    return { kind: 'order', order: record.order };
  }

  /** PATCH /v1/order: each element and each event stands alone; one failure never fails another. */
  applyChanges(requests: ChangeRequest[]): { id: string; event: EventEcho[] }[] {
    return requests.map((request) => {
      const record = this.records.get(request.id);
      const event = request.event.map((raw) => {
        if (record === undefined) return this.failEcho(raw, notFound(`no order with id ${request.id}`).body);
        return this.applyEvent(record, raw);
      });
      return { id: request.id, event };
    });
  }

  /** A person on the link page; nothing changes once the order has left `deferred`. */
  useLink(id: string, outcome: IntergiroSandboxLinkOutcome): OrderRecord {
    const record = this.records.get(id);
    if (record === undefined || record.order.payment.type !== 'defer') throw notFound(`no payment link for order ${id}`);
    if (record.order.status !== 'deferred') return record;
    switch (outcome) {
      case 'pay':
        this.approve(record);
        break;
      case 'fail':
        this.change(record, 'denied', [this.event('deny')]);
        break;
      case 'cancel':
        this.change(record, 'cancelled', [this.event('cancel')]);
        break;
    }
    return record;
  }

  /** The current 3-D Secure step of an order, for the ACS page. */
  threeDSStep(id: string): { record: OrderRecord; step: ThreeDSStepType; state: ThreeDSState } | undefined {
    const record = this.records.get(id);
    const state = record?.threeDS;
    const step = currentStep(state);
    if (record === undefined || state === undefined || step === undefined) return undefined;
    return { record, step, state };
  }

  // --- creation ------------------------------------------------------------------------------

  /** Stores a new `created` order with no events; `payment` builds its payment from the order's id, date and amount. */
  private newRecord(
    creatable: OrderCreatable,
    payment: (id: string, created: string, amount: number) => IntergiroSandboxOrder['payment'],
  ): OrderRecord {
    const id = newOrderId();
    const created = this.deps.now().toISOString();
    const amount = toMajor(creatable.totalMinor, creatable.exponent);
    const order: IntergiroSandboxOrder = {
      id,
      ...(creatable.number === undefined ? {} : { number: creatable.number }),
      created,
      ...(creatable.customer === undefined ? {} : { customer: creatable.customer }),
      items: creatable.items,
      currency: creatable.currency,
      ...(creatable.charge === undefined ? {} : { charge: creatable.charge }),
      payment: payment(id, created, amount),
      ...(creatable.callback === undefined ? {} : { callback: creatable.callback }),
      ...(creatable.meta === undefined ? {} : { meta: creatable.meta }),
      event: [],
      status: 'created',
    };
    const chargeAuto =
      creatable.charge === 'auto' || (creatable.payment.type === 'customer' && creatable.payment.charge === 'auto');
    const record: OrderRecord = {
      order,
      exponent: creatable.exponent,
      totalMinor: creatable.totalMinor,
      chargedMinor: 0,
      refundedMinor: 0,
      chargeAuto,
    };
    this.records.set(id, record);
    return record;
  }

  private deferPayment(
    id: string,
    created: string,
    amount: number,
    currency: string,
    payment: DeferCreatable,
  ): IntergiroSandboxDeferPayment {
    return {
      type: 'defer',
      method: 'link',
      created,
      status: 'created',
      service: 'defer',
      amount,
      currency,
      link: `${this.deps.baseUrl}/link/${id}`,
      ...(payment.redirectUrl === undefined ? {} : { redirectUrl: payment.redirectUrl }),
      ...(payment.cardholderName === undefined ? {} : { cardholderName: payment.cardholderName }),
    };
  }

  // --- 3-D Secure ----------------------------------------------------------------------------

  private verify(record: OrderRecord, state: ThreeDSState): CreateResult {
    const acsUrl = `${this.deps.baseUrl}/acs/${record.order.id}`;
    return { kind: 'verify', error: verificationRequired(record.order.id, state, acsUrl) };
  }

  private resubmit(id: string, creatable: OrderCreatable): CreateResult {
    const record = this.records.get(id);
    const state = record?.threeDS;
    if (record === undefined || state === undefined || currentStep(state) === undefined || record.order.status !== 'created') {
      throw malformed('id', 'string', `order ${id} is not waiting for verification`);
    }
    if (creatable.currency !== record.order.currency) {
      throw malformed('currency', 'Currency', 'currency differs from the order being verified');
    }
    if (creatable.totalMinor !== record.totalMinor) {
      throw malformed('items', ITEMS_TYPE, 'amount differs from the order being verified');
    }
    if (creatable.payment.type !== 'card') {
      throw malformed('payment.type', '"card"', 'the order being verified is a card order');
    }
    if (creatable.payment.verification === undefined) return this.verify(record, state);
    const result = completeStep(state, creatable.payment.verification);
    if (!result.done) return this.verify(record, state);
    delete record.threeDS;
    this.authorizeCard(record, result.authenticated ? (record.card?.outcome ?? 'approve') : 'deny');
    return { kind: 'order', order: record.order };
  }

  // --- transitions ---------------------------------------------------------------------------

  private authorizeCard(record: OrderRecord, outcome: CardOutcome): void {
    const payment = record.order.payment;
    if (payment.type === 'card') payment.reference = acquirerReference(record.card?.referencePrefix ?? 'VIS');
    switch (outcome) {
      case 'deny':
        this.change(record, 'denied', [this.event('deny')]);
        break;
      case 'pending':
        this.change(record, 'pending', [this.event('pend')]);
        record.settleTimer = this.deps.timers.set(() => this.settle(record), this.deps.pendingSettleMs);
        break;
      case 'approve':
        this.approve(record);
        break;
    }
  }

  private settle(record: OrderRecord): void {
    delete record.settleTimer;
    if (record.order.status === 'pending') this.approve(record);
  }

  /** Authorized: `ordered`, and `charged` at once when the order charges automatically. */
  private approve(record: OrderRecord): void {
    const events: IntergiroSandboxEvent[] = [this.event('order')];
    if (!record.chargeAuto) return this.change(record, 'ordered', events);
    record.chargedMinor = record.totalMinor;
    events.push({ ...this.event('charge'), items: toMajor(record.totalMinor, record.exponent) });
    this.change(record, 'charged', events);
  }

  private change(record: OrderRecord, status: IntergiroSandboxStatus, events: IntergiroSandboxEvent[]): void {
    record.order.event.push(...events);
    record.order.status = status;
    // A link keeps saying "created" until it is used; otherwise the payment mirrors the order.
    record.order.payment.status = status === 'deferred' ? 'created' : status;
    this.deps.changed(record.order);
  }

  private event(type: IntergiroSandboxEventType): { type: IntergiroSandboxEventType; date: string } {
    return { type, date: this.deps.now().toISOString() };
  }

  // --- PATCH events --------------------------------------------------------------------------

  private applyEvent(record: OrderRecord, raw: Record<string, unknown>): EventEcho {
    try {
      const creatable = parseEventCreatable(raw, record.exponent);
      const { status, stored } = this.eventEffect(record, creatable);
      this.change(record, status, [stored]);
      return { ...echoFields(creatable), date: stored.date };
    } catch (error) {
      if (!(error instanceof GracelyFailure)) throw error;
      const fail = this.failEcho(raw, error.body);
      this.change(record, record.order.status, [fail]);
      return fail;
    }
  }

  /** Checks the event against the order and books its amounts; throws when it cannot apply. */
  private eventEffect(
    record: OrderRecord,
    creatable: EventCreatable,
  ): { status: IntergiroSandboxStatus; stored: IntergiroSandboxEvent } {
    const status = record.order.status;
    const date = this.deps.now().toISOString();
    const base = { ...echoFields(creatable), date };
    switch (creatable.type) {
      case 'cancel': {
        if (!CANCELLABLE.has(status)) throw notAllowed(`an order that is ${status} cannot be cancelled`);
        this.deps.timers.clear(record.settleTimer);
        delete record.settleTimer;
        delete record.threeDS;
        return { status: 'cancelled', stored: base };
      }
      case 'charge': {
        if (status !== 'ordered') throw notAllowed(`an order that is ${status} cannot be charged`);
        const amount = creatable.amountMinor ?? record.totalMinor;
        if (amount > record.totalMinor) throw malformed('items', ITEMS_TYPE, 'the charge exceeds the authorized amount');
        record.chargedMinor = amount;
        return { status: 'charged', stored: { ...base, items: creatable.items ?? toMajor(amount, record.exponent) } };
      }
      case 'refund': {
        if (!REFUNDABLE.has(status)) throw notAllowed(`an order that is ${status} cannot be refunded`);
        const refundable = record.chargedMinor - record.refundedMinor;
        if (refundable <= 0) throw notAllowed('the order has nothing left to refund');
        const amount = creatable.amountMinor ?? refundable;
        if (amount > refundable) throw malformed('items', ITEMS_TYPE, 'the refund exceeds the charged amount not yet refunded');
        record.refundedMinor += amount;
        return { status: 'refunded', stored: { ...base, items: creatable.items ?? toMajor(amount, record.exponent) } };
      }
    }
  }

  private failEcho(raw: Record<string, unknown>, error: IntergiroSandboxError): IntergiroSandboxEvent {
    return { type: 'fail', original: String(raw.type), error, date: this.deps.now().toISOString() };
  }
}

/** A card order's payment before authorization: the card's brand details, no acquirer reference yet. */
function cardPayment(created: string, amount: number, currency: string, rules: CardRules): IntergiroSandboxCardPayment {
  return {
    type: 'card',
    created,
    amount,
    currency,
    status: 'created',
    service: 'intergiro',
    scheme: rules.scheme,
    iin: rules.iin,
    last4: rules.last4,
    expires: [12, 30],
  };
}
