/**
 * The Checkout API of the Dintero sandbox: sessions created from a payment profile, the one
 * transaction a session can lead to, and the money operations on it (capture, refund, void).
 * The buyer's side (pay / decline / cancel) is driven by the checkout page in sandbox.ts.
 */
import { badRequest, DinteroFailure, notFound } from './errors.js';
import { checkoutId, uuid } from './ids.js';
import type {
  DinteroSandboxCheckoutItem,
  DinteroSandboxEventName,
  DinteroSandboxSession,
  DinteroSandboxSessionOrder,
  DinteroSandboxTransaction,
} from './wire.js';

const isInt = (value: unknown): value is number => typeof value === 'number' && Number.isSafeInteger(value);
const isObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);

function absoluteUrl(value: unknown, path: string, required: boolean): string | undefined {
  if (value === undefined && !required) return undefined;
  if (typeof value !== 'string' || !URL.canParse(value) || !/^https?:$/.test(new URL(value).protocol)) {
    throw badRequest(`${path} must be an absolute http(s) URL`, path);
  }
  return value;
}

/** A transaction operation the status does not allow (Dintero answers 400). */
const notAllowed = (message: string): DinteroFailure =>
  new DinteroFailure(400, { error: { code: 'TRANSACTION_STATUS_NOT_ALLOWED', message } });

function parseCheckoutItems(value: unknown, path: string): DinteroSandboxCheckoutItem[] {
  if (!Array.isArray(value)) throw badRequest('items must be an array', path);
  const seen = new Set<string>();
  return value.map((item, index) => {
    const at = `${path}.${index}`;
    if (!isObject(item)) throw badRequest('an item must be an object', at);
    if (typeof item.line_id !== 'string' || item.line_id === '') throw badRequest('line_id must be a non-empty string', `${at}.line_id`);
    if (seen.has(item.line_id)) throw badRequest('line_id must be unique', `${at}.line_id`);
    seen.add(item.line_id);
    if (!isInt(item.amount) || item.amount < 0) throw badRequest('amount must be a non-negative integer', `${at}.amount`);
    if (item.vat_amount !== undefined && (!isInt(item.vat_amount) || item.vat_amount < 0 || item.vat_amount > item.amount)) {
      throw badRequest('vat_amount must be an integer from 0 to amount', `${at}.vat_amount`);
    }
    if (item.vat !== undefined && (typeof item.vat !== 'number' || item.vat < 0 || item.vat > 100)) throw badRequest('vat is a percentage', `${at}.vat`);
    if (item.quantity !== undefined && !(typeof item.quantity === 'number' && item.quantity > 0)) throw badRequest('quantity must be positive', `${at}.quantity`);
    return {
      line_id: item.line_id,
      amount: item.amount,
      ...(typeof item.id === 'string' ? { id: item.id } : {}),
      ...(typeof item.description === 'string' ? { description: item.description } : {}),
      ...(item.quantity !== undefined ? { quantity: item.quantity as number } : {}),
      ...(item.vat_amount !== undefined ? { vat_amount: item.vat_amount as number } : {}),
      ...(item.vat !== undefined ? { vat: item.vat as number } : {}),
    };
  });
}

/** `{amount, items?}` of a capture or refund: items name the transaction's lines and sum to amount. */
function parseMoneyOperation(body: Record<string, unknown>, transaction: DinteroSandboxTransaction): { amount: number; items?: { line_id: string; amount: number }[] } {
  if (!isInt(body.amount) || body.amount <= 0) throw badRequest('amount must be a positive integer', 'amount');
  if (body.items === undefined) return { amount: body.amount };
  if (!Array.isArray(body.items)) throw badRequest('items must be an array', 'items');
  const items = body.items.map((item, index) => {
    if (!isObject(item) || typeof item.line_id !== 'string' || !transaction.items.some((line) => line.line_id === item.line_id)) {
      throw badRequest('line_id must name a line of the transaction', `items.${index}.line_id`);
    }
    if (!isInt(item.amount) || item.amount <= 0) throw badRequest('amount must be a positive integer', `items.${index}.amount`);
    return { line_id: item.line_id, amount: item.amount };
  });
  if (items.reduce((total, item) => total + item.amount, 0) !== body.amount) throw badRequest("the items' amounts must sum to amount", 'items');
  return { amount: body.amount, items };
}

export interface CheckoutOptions {
  accountId: string;
  profiles: ReadonlySet<string>;
  /** Base URL of the checkout host as a browser reaches it (the session `url` is a page there). */
  publicUrl: () => string;
  sessionTtlMs: number;
  now: () => Date;
}

export class Checkout {
  private readonly sessions = new Map<string, DinteroSandboxSession>();
  private readonly transactions = new Map<string, DinteroSandboxTransaction>();

  constructor(private readonly options: CheckoutOptions) {}

  /** POST /v1/sessions-profile -> `{id, url}`. */
  createSession(body: Record<string, unknown>): { id: string; url: string } {
    const url = body.url;
    if (!isObject(url)) throw badRequest('url.return_url is required', 'url');
    const returnUrl = absoluteUrl(url.return_url, 'url.return_url', true) as string;
    const callbackUrl = absoluteUrl(url.callback_url, 'url.callback_url', false);
    if (typeof body.profile_id !== 'string' || !this.options.profiles.has(body.profile_id)) {
      throw badRequest('profile_id names no payment profile of this account', 'profile_id');
    }
    const order = body.order;
    if (!isObject(order)) throw badRequest('order is required', 'order');
    if (!isInt(order.amount) || order.amount <= 0) throw badRequest('amount must be a positive integer', 'order.amount');
    if (typeof order.currency !== 'string' || !/^[A-Z]{3}$/.test(order.currency)) throw badRequest('currency must be ISO 4217', 'order.currency');
    if (typeof order.merchant_reference !== 'string' || order.merchant_reference === '') {
      throw badRequest('merchant_reference is required', 'order.merchant_reference');
    }
    const items = order.items === undefined ? [] : parseCheckoutItems(order.items, 'order.items');
    if (items.length && items.reduce((total, item) => total + item.amount, 0) !== order.amount) {
      throw badRequest("the items' amounts must sum to order.amount", 'order.items');
    }
    const sessionOrder: DinteroSandboxSessionOrder = {
      amount: order.amount,
      currency: order.currency,
      merchant_reference: order.merchant_reference,
      ...(typeof order.merchant_reference_2 === 'string' ? { merchant_reference_2: order.merchant_reference_2 } : {}),
      ...(isInt(order.vat_amount) ? { vat_amount: order.vat_amount } : {}),
      items,
    };
    const now = this.options.now();
    const session: DinteroSandboxSession = {
      id: checkoutId(this.options.accountId),
      profile_id: body.profile_id,
      created_at: now.toISOString(),
      expires_at: new Date(now.getTime() + this.options.sessionTtlMs).toISOString(),
      url: { return_url: returnUrl, ...(callbackUrl ? { callback_url: callbackUrl } : {}) },
      order: sessionOrder,
      events: [{ name: 'SESSION_CREATED', created_at: now.toISOString() }],
    };
    this.sessions.set(session.id, session);
    return { id: session.id, url: this.pageUrl(session.id) };
  }

  pageUrl(sessionId: string): string {
    return `${this.options.publicUrl()}/v1/view/${encodeURIComponent(sessionId)}`;
  }

  getSession(id: string): DinteroSandboxSession {
    const session = this.sessions.get(id);
    if (!session) throw notFound(`no session ${id}`);
    return session;
  }

  getTransaction(id: string): DinteroSandboxTransaction {
    const transaction = this.transactions.get(id);
    if (!transaction) throw notFound(`no transaction ${id}`);
    return transaction;
  }

  /** Whether the buyer can still act on the session's page. */
  isOpen(session: DinteroSandboxSession): boolean {
    return session.transaction_id === undefined && session.cancelled_at === undefined && Date.parse(session.expires_at) > this.options.now().getTime();
  }

  /** The buyer pays (AUTHORIZED) or the issuer declines (DECLINED): the session's one transaction. */
  completePayment(sessionId: string, outcome: 'pay' | 'decline'): DinteroSandboxTransaction {
    const session = this.getSession(sessionId);
    if (!this.isOpen(session)) throw badRequest('the session is no longer open', 'session');
    const now = this.options.now().toISOString();
    const status = outcome === 'pay' ? 'AUTHORIZED' : 'DECLINED';
    const transaction: DinteroSandboxTransaction = {
      id: checkoutId(this.options.accountId),
      account_id: this.options.accountId,
      session_id: session.id,
      merchant_reference: session.order.merchant_reference,
      ...(session.order.merchant_reference_2 ? { merchant_reference_2: session.order.merchant_reference_2 } : {}),
      amount: session.order.amount,
      currency: session.order.currency,
      status,
      payment_product: 'payex',
      payment_product_type: 'payex.creditcard',
      items: structuredClone(session.order.items),
      events: [
        { id: uuid(), event: 'INITIALIZE', success: true, amount: session.order.amount, created_at: now, transaction_status: 'INITIATED' },
        { id: uuid(), event: 'AUTHORIZE', success: outcome === 'pay', amount: session.order.amount, created_at: now, transaction_status: status },
      ],
      url: structuredClone(session.url),
      created_at: now,
      updated_at: now,
    };
    this.transactions.set(transaction.id, transaction);
    session.transaction_id = transaction.id;
    session.events.push({ name: outcome === 'pay' ? 'TRANSACTION_AUTHORIZED' : 'TRANSACTION_DECLINED', created_at: now });
    return transaction;
  }

  /** The buyer leaves the page with Cancel: no transaction, the session is cancelled. */
  cancelSession(sessionId: string): DinteroSandboxSession {
    const session = this.getSession(sessionId);
    if (!this.isOpen(session)) throw badRequest('the session is no longer open', 'session');
    const now = this.options.now().toISOString();
    session.cancelled_at = now;
    session.events.push({ name: 'SESSION_CANCELLED', created_at: now });
    return session;
  }

  capture(id: string, body: Record<string, unknown>): DinteroSandboxTransaction {
    const transaction = this.getTransaction(id);
    const status = transaction.status.toUpperCase();
    // "Capture remaining" is open after a partial refund too (Dintero's status reference).
    if (!['AUTHORIZED', 'PARTIALLY_CAPTURED', 'PARTIALLY_CAPTURED_REFUNDED'].includes(status)) throw notAllowed(`a ${status} transaction cannot be captured`);
    const operation = parseMoneyOperation(body, transaction);
    const left = transaction.amount - this.total(transaction, 'CAPTURE');
    if (operation.amount > left) throw badRequest(`only ${left} is left to capture`, 'amount');
    const reference = typeof body.capture_reference === 'string' ? body.capture_reference : undefined;
    const refunded = this.total(transaction, 'REFUND') > 0;
    const all = operation.amount === left;
    const next = refunded ? (all ? 'PARTIALLY_REFUNDED' : 'PARTIALLY_CAPTURED_REFUNDED') : all ? 'CAPTURED' : 'PARTIALLY_CAPTURED';
    return this.addEvent(transaction, 'CAPTURE', operation, next, reference ? { capture_reference: reference } : {});
  }

  refund(id: string, body: Record<string, unknown>): DinteroSandboxTransaction {
    const transaction = this.getTransaction(id);
    const status = transaction.status.toUpperCase();
    const refundable = ['CAPTURED', 'PARTIALLY_CAPTURED', 'PARTIALLY_REFUNDED', 'PARTIALLY_CAPTURED_REFUNDED'];
    if (!refundable.includes(status)) throw notAllowed(`a ${status} transaction cannot be refunded`);
    const operation = parseMoneyOperation(body, transaction);
    const captured = this.total(transaction, 'CAPTURE');
    const refunded = this.total(transaction, 'REFUND') + operation.amount;
    if (refunded > captured) throw badRequest(`only ${captured - refunded + operation.amount} is left to refund`, 'amount');
    // While part of the authorization is not captured, funds stay reserved: PARTIALLY_CAPTURED_REFUNDED,
    // even once everything captured so far is refunded. REFUNDED only when all of it was captured.
    const next = captured < transaction.amount ? 'PARTIALLY_CAPTURED_REFUNDED' : refunded === captured ? 'REFUNDED' : 'PARTIALLY_REFUNDED';
    const extra = {
      ...(typeof body.reason === 'string' ? { reason: body.reason } : {}),
      ...(typeof body.refund_reference === 'string' ? { refund_reference: body.refund_reference } : {}),
    };
    return this.addEvent(transaction, 'REFUND', operation, next, extra);
  }

  void(id: string): DinteroSandboxTransaction {
    const transaction = this.getTransaction(id);
    const status = transaction.status.toUpperCase();
    if (status !== 'AUTHORIZED') throw notAllowed(`a ${status} transaction cannot be voided`);
    return this.addEvent(transaction, 'VOID', { amount: transaction.amount }, 'AUTHORIZATION_VOIDED', {});
  }

  /** Test knob: the transaction's status word as given (any letter case), nothing else changes. */
  setStatus(id: string, status: string): DinteroSandboxTransaction {
    const transaction = this.getTransaction(id);
    transaction.status = status;
    transaction.updated_at = this.options.now().toISOString();
    return transaction;
  }

  private total(transaction: DinteroSandboxTransaction, event: DinteroSandboxEventName): number {
    return transaction.events.filter((entry) => entry.event === event && entry.success).reduce((total, entry) => total + entry.amount, 0);
  }

  private addEvent(
    transaction: DinteroSandboxTransaction,
    event: DinteroSandboxEventName,
    operation: { amount: number; items?: { line_id: string; amount: number }[] },
    status: string,
    extra: Record<string, string>,
  ): DinteroSandboxTransaction {
    const now = this.options.now().toISOString();
    transaction.events.push({
      id: uuid(),
      event,
      success: true,
      amount: operation.amount,
      created_at: now,
      transaction_status: status,
      ...(operation.items ? { items: operation.items } : {}),
      ...extra,
    });
    transaction.status = status;
    transaction.updated_at = now;
    return transaction;
  }
}
