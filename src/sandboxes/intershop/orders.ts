/**
 * The order creation chain of the Intershop sandbox (seed §2.2, §3.2): one state per order, the
 * CONTINUE requests that move it, the PSP's decision on its page, and the PSP's notification that
 * settles a payment without the shop (with pause/resume so tests decide when it lands).
 */
import { PAYMENT_METHODS, icmId, type Basket, type BasketBook } from './catalog.js';
import { basketNotFound, malformed, redirectNotConfirmed, termsNotAccepted } from './errors.js';
import { isRecord } from './http.js';
import type { Timers } from '../kit/timers.js';
import type { IntershopSandboxRedirectUrls } from './wire.js';

/** Where an order is in the chain. */
export type ChainPhase = 'urls_required' | 'redirect' | 'pending' | 'completed' | 'rolled_back';

/**
 * What the buyer chose on the PSP page. The two pending ones are asynchronous payments: the PSP
 * accepts them now and tells ICM later whether they went through.
 */
export type IntershopSandboxPspOutcome = 'success' | 'pending_success' | 'pending_failure' | 'cancel' | 'failure';
export const PSP_OUTCOMES: readonly IntershopSandboxPspOutcome[] = ['success', 'pending_success', 'pending_failure', 'cancel', 'failure'];

export interface SandboxOrder {
  id: string;
  documentNumber: string;
  creationDate: Date;
  basket: Basket;
  termsAndConditionsAccepted: boolean;
  phase: ChainPhase;
  redirect?: IntershopSandboxRedirectUrls;
  payment: { id: string; transactionId: string; transactionUuid: string };
  /** The PSP's record of the buyer's decision, once made. */
  psp?: IntershopSandboxPspOutcome;
}

export interface OrderBookOptions {
  baskets: BasketBook;
  timers: Timers;
  now: () => Date;
  /** How long after the buyer's decision the PSP notifies ICM (pending, cancel, failure). */
  notificationMs: number;
}

const REDIRECT_STATUSES = ['SUCCESS', 'CANCEL', 'FAILURE'] as const;

export class OrderBook {
  private readonly orders = new Map<string, SandboxOrder>();
  private documentCounter = 0;
  private paused = false;
  private readonly held: string[] = [];

  constructor(private readonly options: OrderBookOptions) {}

  get(id: string): SandboxOrder | undefined {
    return this.orders.get(id);
  }

  /** Newest first (seed §2.3). */
  list(): SandboxOrder[] {
    return [...this.orders.values()].sort((a, b) => b.creationDate.getTime() - a.creationDate.getTime() || (b.documentNumber > a.documentNumber ? 1 : -1));
  }

  findByTransaction(transactionUuid: string): SandboxOrder | undefined {
    return [...this.orders.values()].find((order) => order.payment.transactionUuid === transactionUuid);
  }

  /** POST /orders: the basket becomes an order that stops for its redirect URLs. */
  create(body: unknown): SandboxOrder {
    if (!isRecord(body)) throw malformed('The request body must be a JSON object.');
    const basketId = body.basket;
    if (typeof basketId !== 'string' || !basketId) throw malformed("'basket' is required.", '$.basket');
    const accepted = body.termsAndConditionsAccepted;
    if (accepted !== undefined && typeof accepted !== 'boolean') throw malformed("'termsAndConditionsAccepted' must be a boolean.", '$.termsAndConditionsAccepted');
    if (accepted !== true) {
      // Checked before the basket is taken: a refused checkout leaves the basket as it was.
      throw termsNotAccepted();
    }
    const basket = this.options.baskets.take(basketId);
    if (!basket) throw basketNotFound(basketId);
    const order: SandboxOrder = {
      id: icmId(),
      documentNumber: String(++this.documentCounter).padStart(8, '0'),
      creationDate: this.options.now(),
      basket,
      termsAndConditionsAccepted: true,
      phase: 'urls_required',
      payment: { id: icmId(), transactionId: String(Date.now()) + String(this.documentCounter), transactionUuid: icmId() },
    };
    this.orders.set(order.id, order);
    return order;
  }

  /**
   * PATCH /orders/{id} `{orderCreation: {status: "CONTINUE", redirect}}`. The chain re-checks
   * every step: a step whose data is still missing stops again where it was, and an order whose
   * creation already ended is answered as it is (seed: "it is not harmed or restarted").
   */
  continueCreation(order: SandboxOrder, body: unknown): void {
    if (!isRecord(body) || !isRecord(body.orderCreation)) throw malformed("'orderCreation' is required.", '$.orderCreation');
    const creation = body.orderCreation;
    if (creation.status !== 'CONTINUE') throw malformed("'orderCreation.status' must be CONTINUE.", '$.orderCreation.status');
    const redirect = creation.redirect === undefined ? {} : creation.redirect;
    if (!isRecord(redirect)) throw malformed("'orderCreation.redirect' must be an object.", '$.orderCreation.redirect');
    const urls = parseUrls(redirect);
    const result = parseResult(redirect);

    switch (order.phase) {
      case 'urls_required':
        if (urls) {
          order.redirect = urls;
          order.phase = 'redirect';
        }
        return;
      case 'redirect':
        if (result) this.applyRedirectResult(order, result);
        return;
      case 'pending':
      case 'completed':
      case 'rolled_back':
        return;
    }
  }

  /**
   * The shop passes the PSP's answer on. ICM believes the PSP, not the browser (the return URL is
   * the buyer's to edit):
   * - once the PSP recorded a decision, that decision counts whatever status the shop sends: a
   *   payment the PSP took (Pay, or an asynchronous payment it accepted) is not undone by a CANCEL
   *   or FAILURE — ICM cannot take back money the PSP moved, so it completes (or waits for the
   *   notification) exactly as for SUCCESS; a cancel or failure the PSP recorded rolls back;
   * - with nothing recorded, a SUCCESS is refused (422), a CANCEL or FAILURE ends the attempt (the
   *   buyer left the PSP page without deciding).
   */
  private applyRedirectResult(order: SandboxOrder, result: { status: (typeof REDIRECT_STATUSES)[number]; parameters: Map<string, string> }): void {
    if (!order.psp) {
      if (result.status === 'SUCCESS') throw redirectNotConfirmed();
      return this.rollBack(order);
    }
    const transactionId = result.parameters.get('transactionID');
    if (result.status === 'SUCCESS' && transactionId !== undefined && transactionId !== order.payment.transactionId) throw redirectNotConfirmed();
    switch (order.psp) {
      case 'success':
        order.phase = 'completed';
        return;
      case 'pending_success':
      case 'pending_failure':
        order.phase = 'pending';
        return;
      case 'cancel':
      case 'failure':
        return this.rollBack(order);
    }
  }

  /** The buyer's decision on the PSP page. False when the transaction is already decided. */
  decide(order: SandboxOrder, outcome: IntershopSandboxPspOutcome): boolean {
    if (order.phase !== 'redirect' || order.psp) return false;
    order.psp = outcome;
    if (outcome !== 'success') {
      // A synchronous success is confirmed by the shop's CONTINUE (the seed's workflow without
      // notification); everything else the PSP reports to ICM itself.
      this.options.timers.set(() => this.notify(order.id), this.options.notificationMs);
    }
    return true;
  }

  /** While paused, PSP notifications wait; resuming delivers them at once, in order. */
  pauseNotifications(paused: boolean): void {
    this.paused = paused;
    if (!paused) for (let id = this.held.shift(); id !== undefined; id = this.held.shift()) this.notify(id);
  }

  /** The PSP's notification: it settles the payment whether or not the shop ever continues. */
  private notify(orderId: string): void {
    if (this.paused) {
      this.held.push(orderId);
      return;
    }
    const order = this.orders.get(orderId);
    if (!order || (order.phase !== 'redirect' && order.phase !== 'pending')) return;
    if (order.psp === 'pending_success') order.phase = 'completed';
    else this.rollBack(order);
  }

  private rollBack(order: SandboxOrder): void {
    order.phase = 'rolled_back';
    // Seed §3.2.5: "The order was rolled back and the basket restored."
    this.options.baskets.restore(order.basket);
  }

  /** The `redirectUrl` of the PSP page, as ICM generates it (seed §3.2.3, without the PSP merchant password). */
  pspUrl(order: SandboxOrder, webBase: string): string {
    const urls = order.redirect;
    if (!urls) throw new Error('no redirect URLs yet');
    const query = new URLSearchParams({
      PaymentTransactionUUID: order.payment.transactionUuid,
      transactionID: order.payment.transactionId,
      orderID: order.id,
      paymentID: order.payment.id,
      amount: String(totalMinor(order)),
      currency: order.basket.currency,
      successURL: urls.successUrl,
      failURL: urls.failureUrl,
      cancelURL: urls.cancelUrl,
    });
    return `${webBase}/en_US/-/${order.basket.currency}/ISHPayRedirect-OnlinePay?${query}`;
  }
}

export function totalMinor(order: SandboxOrder): number {
  return order.basket.lines.reduce((total, line) => total + line.priceMinor * line.quantity, 0);
}

export function capturesOnSuccess(order: SandboxOrder): boolean {
  return PAYMENT_METHODS[order.basket.paymentMethod].captures;
}

function parseUrls(redirect: Record<string, unknown>): IntershopSandboxRedirectUrls | undefined {
  const names = ['successUrl', 'cancelUrl', 'failureUrl'] as const;
  const given = names.filter((name) => redirect[name] !== undefined);
  if (!given.length) return undefined;
  for (const name of names) {
    const value = redirect[name];
    if (typeof value !== 'string' || !URL.canParse(value)) {
      throw malformed(`'orderCreation.redirect.${name}' must be an absolute URL.`, `$.orderCreation.redirect.${name}`);
    }
  }
  return { successUrl: String(redirect.successUrl), cancelUrl: String(redirect.cancelUrl), failureUrl: String(redirect.failureUrl) };
}

function parseResult(redirect: Record<string, unknown>): { status: (typeof REDIRECT_STATUSES)[number]; parameters: Map<string, string> } | undefined {
  if (redirect.status === undefined) return undefined;
  const status = REDIRECT_STATUSES.find((candidate) => candidate === redirect.status);
  if (!status) throw malformed("'orderCreation.redirect.status' must be SUCCESS, CANCEL or FAILURE.", '$.orderCreation.redirect.status');
  const raw = redirect.parameters ?? [];
  if (!Array.isArray(raw)) throw malformed("'orderCreation.redirect.parameters' must be an array.", '$.orderCreation.redirect.parameters');
  const parameters = new Map<string, string>();
  for (const [index, entry] of raw.entries()) {
    if (!isRecord(entry) || typeof entry.name !== 'string' || typeof entry.value !== 'string') {
      throw malformed('Each redirect parameter is {name, value}.', `$.orderCreation.redirect.parameters[${index}]`);
    }
    parameters.set(entry.name, entry.value);
  }
  return { status, parameters };
}

