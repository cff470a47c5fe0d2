/**
 * Round twenty-four (test/providers/intergiro-independent-24.test.ts): a re-read of an order while
 * the gateway's own capture is out counts that capture by the word `charged` only where the read's
 * status list does not show less charged than the capture would leave captured.
 */
import { describe, expect, it } from 'vitest';
import type { Order, Payment } from '../../src/domain/order.js';
import { intentsOf } from '../../src/domain/orders/pending-operations.js';
import { knownFigures } from '../../src/providers/intergiro/amounts.js';
import { observationOfOrder } from '../../src/providers/intergiro/mapping.js';
import { IntergiroOrder } from '../../src/providers/intergiro/wire.js';
import { makeOrder } from '../support/orders.js';

const EUR = (minor: number) => ({ currency: 'EUR', minor });
const authorized: Payment = { id: 'p1', method: 'card', status: 'AUTHORIZED', amount: EUR(2000), capturedAmount: EUR(0), refundedAmount: EUR(0) };

/** An authorized 20.00 order with a capture of `minor` under way (the service gives a capture of the rest its amount). */
function capturing(minor = 2000): Order {
  const order = makeOrder({ status: 'AUTHORIZED', total: EUR(2000), payments: [authorized] });
  return { ...order, pendingOperations: intentsOf(order, [{ type: 'CAPTURE', amount: EUR(minor) }], new Date()) };
}
/** Intergiro's read of the order, without events, its status as given. */
const readOf = (status: unknown, extra: Record<string, unknown> = {}) =>
  IntergiroOrder.parse({ id: 'o1', created: '2026-12-07T10:00:00.000Z', items: 20, currency: 'EUR', payment: { type: 'card' }, status, ...extra });
const figuresOf = (order: Order, read: IntergiroOrder) => {
  const known = knownFigures(order, 'charged', read);
  const fact = observationOfOrder(read, 'provider_update', known);
  return { known, captured: fact.payments?.[0]?.capturedAmount.minor };
};

describe('knownFigures with a capture under way', () => {
  it('does not count the capture where the list shows less charged (its back office charged part): the list\'s figure stands', () => {
    expect(figuresOf(capturing(), readOf({ charged: 12.34 }))).toEqual({ known: { capturedMinor: 0, refundedMinor: 0 }, captured: 1234 });
    expect(figuresOf(capturing(), readOf({ ordered: 0, charged: '12.34' }))).toMatchObject({ captured: 1234 });
    expect(figuresOf(capturing(1500), readOf({ Charged: 12.34 }))).toMatchObject({ captured: 1234 });
  });

  it('counts it where the list shows it, or says nothing of amounts (as before)', () => {
    // The order's amount in its one word is the total: no figure, the word and the capture under way count.
    expect(figuresOf(capturing(), readOf({ charged: 20 }))).toMatchObject({ known: { capturedMinor: 2000 }, captured: 2000 });
    expect(figuresOf(capturing(1234), readOf({ charged: 12.34 }))).toMatchObject({ known: { capturedMinor: 1234 }, captured: 1234 });
    expect(figuresOf(capturing(), readOf('charged'))).toMatchObject({ known: { capturedMinor: 2000 }, captured: 2000 });
    expect(figuresOf(capturing(1000), readOf({ charged: 12.34 }))).toMatchObject({ known: { capturedMinor: 1000 } });
  });

  it('reads a list in another currency than the order\'s as saying nothing', () => {
    expect(knownFigures(capturing(), 'charged', readOf({ charged: 12.34 }, { currency: 'SEK' }))).toEqual({ capturedMinor: 2000, refundedMinor: 0 });
  });
});
