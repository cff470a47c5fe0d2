import { providerUnavailable } from '../../domain/errors.js';
import { exponentOf } from '../../domain/money.js';
import type { Order } from '../../domain/order.js';
import type { DinteroClient } from './client.js';
import { eventsInCurrency } from './event-currency.js';
import { wholeMinor, wholeMinorOnly } from './minor-figures.js';
import { dinteroStatusLetters, type DinteroMoneyOperation, type DinteroTransaction, type DinteroTransactionRead } from './wire.js';

/*
 * Which order a transaction belongs to, and what it is worth, when Dintero's answer does not say
 * (wire.ts DinteroTransactionRead). What a transaction does say is never overridden.
 */

/** The transaction as read, if it names its order, amount and currency itself. */
export function selfContained(read: DinteroTransactionRead): DinteroTransaction | undefined {
  // Round twenty-six: a figure with a fraction no order's total has told the units of is none (minor-figures.ts).
  // Round twenty-nine: an event's amount in another currency than the transaction's is none (event-currency.ts).
  const whole = wholeMinorOnly(eventsInCurrency(read, read.currency));
  const { merchant_reference, amount, currency } = whole;
  return merchant_reference !== undefined && amount !== undefined && currency !== undefined ? { ...whole, merchant_reference, amount, currency } : undefined;
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
  // Round twenty-nine: an event's amount in another currency than the order's is none (event-currency.ts),
  // before anything tells the units by it (an AUTHORIZE event's amount) or counts it.
  const inMinor = authorizedAtTotal(inMinorUnits(eventsInCurrency(read, order.total.currency), order), order);
  return { ...inMinor, merchant_reference: merchantReference, amount: inMinor.amount ?? order.total.minor, currency: inMinor.currency ?? order.total.currency };
}

/**
 * A transaction of `order` that money has moved on (captured, refunded, voided: its status, a word
 * nobody listed, or a capture event) and whose amount is written below the order's total is read
 * at the total: the transaction pays the session the gateway made for the order, whose amount is
 * the order's total (the seed: "order": {"amount": 39800, ...}, no partial authorization anywhere),
 * so a lower amount there says what the transaction still holds (authorized less captured, nothing
 * once voided), as an implementer who reads a transaction's amount as its open amount writes it; no
 * seed shows a transaction read. Round fourteen: before, a first partial capture of 100.00 on
 * 498.00 was answered with `amount: 39800`, so the order's payment showed 398.00 authorized: the
 * rest (398.00) could not be captured (INVALID_STATE, "298.00 authorized and not yet captured")
 * while Dintero held it reserved. Before any money moved the amount is read as written (what it
 * says is never overridden there), and a transaction in another currency is left as it is.
 */
export function authorizedAtTotal(read: DinteroTransactionRead, order: Pick<Order, 'total'>): DinteroTransactionRead {
  if (read.currency !== undefined && read.currency !== order.total.currency) return read;
  if (read.amount === undefined || read.amount >= order.total.minor || !moneyMovedOn(read)) return read;
  return { ...read, amount: order.total.minor };
}

/** Statuses a transaction has before any capture, refund or void (CONTRACT §8's list). */
const BEFORE_ANY_MOVE = new Set<string>(['INITIATED', 'ON_HOLD', 'UNKNOWN', 'AUTHORIZED', 'FAILED', 'DECLINED']);

/** Whether money may have moved on the transaction since it was authorized (authorizedAtTotal). */
function moneyMovedOn(read: DinteroTransactionRead): boolean {
  if (typeof read.status !== 'string' || !BEFORE_ANY_MOVE.has(read.status)) return true;
  return read.events.some((event) => /captur/.test(dinteroStatusLetters(event.event)));
}

/**
 * A transaction of `order` whose amount is the order's total in major units (`498` for 498.00
 * NOK, `99.5` for 99.50) writes its amounts so: its amount, items and events are read as minor
 * units. Either way, an amount that is not a whole number of minor units is then none. The seed
 * writes every amount it shows in minor units but shows no read, and the transaction of a session
 * the gateway made for the order is for the order's total. Before, such a Dintero's 498.00 was
 * read as 4.98: the order showed 4.98 authorized and captured, and every refund above that was
 * refused by the gateway while Dintero held 498.00.
 */
export function inMinorUnits(read: DinteroTransactionRead, order: Pick<Order, 'total'>): DinteroTransactionRead {
  const factor = 10 ** exponentOf(order.total.currency);
  if (read.currency !== undefined && read.currency !== order.total.currency) return wholeMinorOnly(read);
  if (factor === 1 || !writesMajorUnits(read, order.total.minor, factor)) return wholeMinorOnly(read);
  // Round twenty-six: each figure in minor units where it is whole there (`99.5` is 9950), else none
  // (minor-figures.ts). Before, a figure with a fraction was none before the units were told.
  return wholeMinorOnly(read, factor);
}

/**
 * Whether the transaction's figures of the whole authorization say the order's total in major
 * units, and none says it in minor units: its amount, else (round fifteen) the sum of its items or
 * its AUTHORIZE event's amount. A transaction whose amount is what it still holds (round
 * fourteen's authorized less captured) no longer writes the total there once money moved: before,
 * such a Dintero writing major units had its 100.00 capture event read as 1.00 (the order showed
 * 1.00 captured, and every refund above that was refused by the gateway while Dintero held 100.00).
 */
function writesMajorUnits(read: DinteroTransactionRead, totalMinor: number, factor: number): boolean {
  const items = read.items?.length ? read.items.reduce((sum, item) => sum + item.amount, 0) : undefined;
  const authorization = read.events.find((event) => /^authoriz(e|ed|ation)$/.test(dinteroStatusLetters(event.event)))?.amount;
  const wholes = [read.amount, items, authorization].filter((figure): figure is number => figure !== undefined);
  // Round twenty-six: a figure may carry a fraction (`99.5` of a total of 99.50), which a double
  // does not scale exactly (minor-figures.ts wholeMinor); a fraction is never minor units.
  return !wholes.includes(totalMinor) && wholes.some((figure) => wholeMinor(figure, factor) === totalMinor);
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
