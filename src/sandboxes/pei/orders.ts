/**
 * The Pei sandbox's order book: every submitted order, the mandates First orders leave behind,
 * and the moves an order can make: the buyer confirms or cancels on the checkout page, a Recurring
 * order is charged on its mandate by itself, a purchase for a buyer is confirmed at once. Each
 * confirmation is reported through `confirmed` (which sends the postback).
 */
import { randomInt } from 'node:crypto';
import { conflict, forbidden, invalidRequest, notFound } from './errors.js';
import type { Timers } from '../kit/timers.js';
import type { PayRequest, SubmitRequest } from './validation.js';
import type { PeiSandboxOrder } from './wire.js';

const ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
/** Seed: "Default is one day into the future". */
const DEFAULT_EXPIRY_MS = 24 * 60 * 60 * 1000;

/** Ids shaped like the seed's ("ZsZUibpv0WAe77sGvYrm1lu0AM52D23N"). */
function newId(): string {
  let text = '';
  for (let i = 0; i < 32; i++) text += ID_ALPHABET.charAt(randomInt(ID_ALPHABET.length));
  return text;
}

export interface OrderBookOptions {
  now: () => Date;
  timers: Timers;
  /** How long after submission a Recurring order is charged on its mandate. */
  recurringChargeMs: number;
  /** Kennitölur the merchant has purchase access for. */
  purchaseAccess: ReadonlySet<string>;
  /** An order was confirmed (postback time). */
  confirmed: (order: PeiSandboxOrder) => void;
}

export type CheckoutState = 'open' | 'expired' | 'closed';

export class OrderBook {
  private readonly orders = new Map<string, PeiSandboxOrder>();
  /** mandateId -> the merchant it belongs to. */
  private readonly mandates = new Map<string, number>();
  /** The seed's example purchase id is 966127; the sandbox counts on from there. */
  private nextPurchaseId = 966127;

  constructor(private readonly options: OrderBookOptions) {}

  get(orderId: string): PeiSandboxOrder | undefined {
    return this.orders.get(orderId);
  }

  /** The merchant's order, or 404 (another merchant's order is as unknown as a missing one). */
  getFor(merchantId: number, orderId: string): PeiSandboxOrder {
    const order = this.orders.get(orderId);
    if (order === undefined || order.merchantId !== merchantId) throw notFound(`No order found with id ${orderId}.`);
    return order;
  }

  /** The merchant's orders submitted on `day` (YYYY-MM-DD, UTC = Icelandic time), oldest first. */
  listByDate(merchantId: number, day: string): PeiSandboxOrder[] {
    return [...this.orders.values()].filter((order) => order.merchantId === merchantId && order.created.slice(0, 10) === day);
  }

  submit(request: SubmitRequest): PeiSandboxOrder {
    const now = this.options.now();
    if (request.sequenceType === 'Recurring') {
      const owner = request.mandateId === null ? undefined : this.mandates.get(request.mandateId);
      if (owner !== request.merchantId) throw invalidRequest('order.mandateId', 'The MandateId is not a mandate of this merchant.');
    }
    const order: PeiSandboxOrder = {
      orderId: newId(),
      merchantId: request.merchantId,
      amount: request.amount,
      reference: request.reference,
      status: 'Pending',
      created: now.toISOString(),
      expirationDate: (request.expirationDate ?? new Date(now.getTime() + DEFAULT_EXPIRY_MS)).toISOString(),
      confirmed: null,
      sequenceType: request.sequenceType,
      mandateId: request.mandateId,
      purchaseId: null,
      successReturnUrl: request.successReturnUrl,
      cancelReturnUrl: request.cancelReturnUrl,
      postbackUrl: request.postbackUrl,
      buyer: request.buyer,
      items: request.items,
      subscriptionOptions: request.subscriptionOptions,
    };
    this.orders.set(order.orderId, order);
    if (order.sequenceType === 'Recurring') {
      // Seed: a Recurring order "will be automatically charged" on the mandate, without the buyer.
      this.options.timers.set(() => {
        if (order.status === 'Pending') this.confirm(order);
      }, this.options.recurringChargeMs);
    }
    return order;
  }

  /** Orders/Pay: "Create an order and confirm it", only for a buyer the merchant has purchase access for. */
  pay(request: PayRequest): PeiSandboxOrder {
    if (!this.options.purchaseAccess.has(request.buyer.ssn)) {
      // Pei names the buyer in this message; the gateway must not pass it on unmasked.
      throw forbidden(`The merchant does not have purchase access for buyer ${request.buyer.ssn}.`);
    }
    const now = this.options.now();
    const order: PeiSandboxOrder = {
      orderId: newId(),
      merchantId: request.merchantId,
      amount: request.amount,
      reference: request.reference,
      status: 'Pending',
      created: now.toISOString(),
      expirationDate: new Date(now.getTime() + DEFAULT_EXPIRY_MS).toISOString(),
      confirmed: null,
      sequenceType: 'OneOff',
      mandateId: null,
      purchaseId: null,
      successReturnUrl: null,
      cancelReturnUrl: null,
      postbackUrl: request.postbackUrl,
      buyer: request.buyer,
      items: request.items,
      subscriptionOptions: null,
    };
    this.orders.set(order.orderId, order);
    this.confirm(order);
    return order;
  }

  /** Whether the checkout page still takes a decision for the order. */
  checkoutState(order: PeiSandboxOrder): CheckoutState {
    if (order.status !== 'Pending' || order.sequenceType === 'Recurring') return 'closed';
    return Date.parse(order.expirationDate) <= this.options.now().getTime() ? 'expired' : 'open';
  }

  /** The buyer presses Confirm on the checkout page. */
  buyerConfirms(orderId: string): PeiSandboxOrder {
    const order = this.openForCheckout(orderId);
    this.confirm(order);
    return order;
  }

  /** The buyer presses Cancel (only offered when the order has a CancelReturnUrl). No postback: the seed posts on confirmation only. */
  buyerCancels(orderId: string): PeiSandboxOrder {
    const order = this.openForCheckout(orderId);
    if (order.cancelReturnUrl === null) throw conflict('This order cannot be cancelled by the buyer.');
    order.status = 'Cancelled';
    return order;
  }

  private openForCheckout(orderId: string): PeiSandboxOrder {
    const order = this.orders.get(orderId);
    if (order === undefined) throw notFound(`No order found with id ${orderId}.`);
    const state = this.checkoutState(order);
    if (state === 'expired') throw conflict('This order has expired.');
    if (state === 'closed') throw conflict(`This order is ${order.status.toLowerCase()}.`);
    return order;
  }

  private confirm(order: PeiSandboxOrder): void {
    order.status = 'Confirmed';
    order.confirmed = this.options.now().toISOString();
    order.purchaseId = this.nextPurchaseId++;
    if (order.sequenceType === 'First') {
      // The First order's card authentication becomes the mandate later Recurring orders use.
      order.mandateId = newId();
      this.mandates.set(order.mandateId, order.merchantId);
    }
    this.options.confirmed(order);
  }
}
