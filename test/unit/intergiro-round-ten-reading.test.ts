import { describe, expect, it } from 'vitest';
import { eventMinor, statusWordOf } from '../../src/providers/intergiro/amounts.js';
import { observationOfOrder } from '../../src/providers/intergiro/mapping.js';
import { statusOfList } from '../../src/providers/intergiro/status-words.js';
import { IntergiroOrder } from '../../src/providers/intergiro/wire.js';

/** Round ten (test/providers/intergiro-independent-10.test.ts): `"status": "<Status of order>"` as a status list, refunds recorded negative. */
describe('statusOfList (an order\'s status as the words it reached, with the amount in each)', () => {
  it('reads the furthest word that holds an amount, as written', () => {
    expect(statusOfList({ ordered: 0, charged: 12.34 })).toBe('charged');
    expect(statusOfList({ ordered: 0, charged: 7.34, refunded: 5 })).toBe('refunded');
    expect(statusOfList({ Ordered: '0.00', Charged: '20.00' })).toBe('Charged');
    expect(statusOfList({ created: 20 })).toBe('created');
    expect(statusOfList({ ordered: 20, Canceled: 20 })).toBe('Canceled');
    expect(statusOfList({ ordered: 0, captured: 20 })).toBe('captured');
  });

  it('is no word where no known word holds anything; a word or anything else is left as it came', () => {
    expect(statusOfList({ ordered: 0, charged: null, refunded: '' })).toBeUndefined();
    expect(statusOfList({ shipped: 20 })).toBeUndefined();
    expect(statusOfList({})).toBeUndefined();
    expect(statusOfList('charged')).toBe('charged');
    expect(statusOfList(undefined)).toBeUndefined();
    expect(statusOfList(['ordered'])).toEqual(['ordered']);
  });

  it('an order with a status list is readable and maps as its word; a status of another type is none', () => {
    const order = { id: 'o1', created: '2026-12-06T06:00:00.000Z', items: 20, currency: 'EUR', payment: { type: 'card' } };
    const listed = IntergiroOrder.parse({ ...order, status: { ordered: 0, charged: 20 }, event: [{ type: 'order' }, { type: 'charge', items: 20 }] });
    expect(listed.status).toBe('charged');
    expect(observationOfOrder(listed)).toMatchObject({ status: 'CAPTURED', providerStatus: 'charged' });
    const numbered = IntergiroOrder.parse({ ...order, status: 7, event: [{ type: 'order' }] });
    expect(numbered.status).toBeUndefined();
    expect(statusWordOf(numbered)).toBe('ordered');
  });
});

describe('eventMinor (what a charge or refund event moves)', () => {
  it('counts an event by its size, whatever its sign', () => {
    expect(eventMinor(-5, 'EUR')).toBe(500);
    expect(eventMinor(5, 'EUR')).toBe(500);
    expect(eventMinor([{ price: -2.5, quantity: 2 }], 'EUR')).toBe(500);
  });

  it('a partial refund recorded negative counts what was refunded (the domain then makes the order PARTIALLY_REFUNDED by the figures)', () => {
    const order = IntergiroOrder.parse({
      id: 'o1',
      created: '2026-12-06T06:00:00.000Z',
      items: 20,
      currency: 'EUR',
      payment: { type: 'card' },
      status: 'refunded',
      event: [{ type: 'order' }, { type: 'charge', items: 20 }, { type: 'refund', items: -5 }],
    });
    const fact = observationOfOrder(order);
    expect(fact.payments?.[0]).toMatchObject({ capturedAmount: { minor: 2000 }, refundedAmount: { minor: 500 } });
  });
});
