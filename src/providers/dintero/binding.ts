import { providerUnavailable } from '../../domain/errors.js';
import type { Order } from '../../domain/order.js';
import type { DinteroClient } from './client.js';
import type { DinteroMoneyOperation, DinteroTransaction, DinteroTransactionRead } from './wire.js';

/*
 * Which order a transaction belongs to, and what it is worth, when Dintero's answer does not say
 * (wire.ts DinteroTransactionRead). What a transaction does say is never overridden.
 */

/** The transaction as read, if it names its order, amount and currency itself. */
export function selfContained(read: DinteroTransactionRead): DinteroTransaction | undefined {
  const { merchant_reference, amount, currency } = read;
  return merchant_reference !== undefined && amount !== undefined && currency !== undefined ? { ...read, merchant_reference, amount, currency } : undefined;
}

/**
 * A transaction the gateway reached through `order` (the session it made for it, the id a verified
 * fact stored, or a money call on it), completed from that order: its Dintero order id, total
 * and currency. Undefined when the transaction names another order or currency.
 */
export function boundToOrder(read: DinteroTransactionRead, order: Pick<Order, 'providerOrderId' | 'total'>): DinteroTransaction | undefined {
  const merchantReference = read.merchant_reference ?? order.providerOrderId;
  if (merchantReference === undefined || merchantReference !== order.providerOrderId) return undefined;
  if (read.currency !== undefined && read.currency !== order.total.currency) return undefined;
  return { ...read, merchant_reference: merchantReference, amount: read.amount ?? order.total.minor, currency: read.currency ?? order.total.currency };
}

/** A transaction reached through `order` that names another order or currency: nothing of it is believed. */
function mustBind(read: DinteroTransactionRead, order: Pick<Order, 'providerOrderId' | 'total'>): DinteroTransaction {
  const bound = boundToOrder(read, order);
  if (!bound) throw providerUnavailable('Dintero', new Error('the transaction belongs to another Dintero order'));
  return bound;
}

/** The transaction calls of `client` on `order`'s transaction, each answer bound to that order. */
export interface BoundTransactions {
  getTransaction(id: string): Promise<DinteroTransaction | null>;
  capture(id: string, body: DinteroMoneyOperation): Promise<DinteroTransaction>;
  refund(id: string, body: DinteroMoneyOperation): Promise<DinteroTransaction>;
  void(id: string): Promise<DinteroTransaction>;
}

export function boundTransactions(client: Pick<DinteroClient, 'getTransaction' | 'capture' | 'refund' | 'void'>, order: Pick<Order, 'providerOrderId' | 'total'>): BoundTransactions {
  return {
    getTransaction: async (id) => {
      const read = await client.getTransaction(id);
      return read && mustBind(read, order);
    },
    capture: async (id, body) => mustBind(await client.capture(id, body), order),
    refund: async (id, body) => mustBind(await client.refund(id, body), order),
    void: async (id) => mustBind(await client.void(id), order),
  };
}
