/**
 * purchaseEventOf (src/providers/payway/event-shape.ts): no seed shows a Payway event, so the
 * same facts are read from the shapes webhook senders commonly use; the sandbox sends two of them
 * over HTTP (test/providers/payway*.test.ts). Here: the rest, and what must never be misread.
 */
import { describe, expect, it } from 'vitest';
import { formEvent } from '../../src/providers/payway/event-form.js';
import { purchaseEventOf } from '../../src/providers/payway/event-shape.js';

const closed = { event: 'order_closed', paywayOrderId: 'ADEPRIMO-123', merchantReference: 'campaign-1', receiptId: 'r-1' };

describe('purchaseEventOf', () => {
  it.each([
    ['the events overview', { event: 'order_closed', timestamp: 't', payload: { order: { id: 'ADEPRIMO-123', merchant_reference: 'campaign-1' }, receipt: { id: 'r-1' } } }],
    ['a dotted type, the purchase flat under data', { id: 'evt_1', type: 'order.closed', data: { order_id: 'ADEPRIMO-123', merchant_reference: 'campaign-1', receipt_id: 'r-1' } }],
    ['camelCase names, an order object under data', { eventType: 'OrderClosed', data: { order: { orderId: 'ADEPRIMO-123', merchantReference: 'campaign-1' }, receiptId: 'r-1' } }],
    ['all of it at the top, the name in capitals', { name: 'ORDER_CLOSED', order_id: 'ADEPRIMO-123', merchant_reference: 'campaign-1', receipt: { id: 'r-1' } }],
    ['an object entity (as Stripe-like senders)', { topic: 'order-closed', object: { order: { id: 'ADEPRIMO-123' }, merchant_reference: 'campaign-1', receipt_id: 'r-1' } }],
    ['all of it in the seed\'s `item` wrapper, the name too', { item: { event: 'order_closed', order_id: 'ADEPRIMO-123', merchant_reference: 'campaign-1', receipt_id: 'r-1' } }],
    ['Stripe\'s shape: the purchase under data.object', { id: 'evt_1', object: 'event', type: 'order.closed', data: { object: { order_id: 'ADEPRIMO-123', merchant_reference: 'campaign-1', receipt_id: 'r-1' } } }],
    ['all of it under data, the name as its type', { data: { id: 'evt_1', type: 'order.closed', order_id: 'ADEPRIMO-123', merchant_reference: 'campaign-1', receipt_id: 'r-1' } }],
  ])('%s', (_, body) => {
    expect(purchaseEventOf(body)).toEqual(closed);
  });

  it("no event name, the purchase's result as place_order answers it: complete closes, failed fails, another word is no end", () => {
    expect(purchaseEventOf({ item: { status: 'complete', order_id: 'ADEPRIMO-123', merchant_reference: 'campaign-1', receipt_id: 'r-1' } })).toEqual(closed);
    expect(purchaseEventOf({ item: { status: 'FAILED', order_id: 'o-1', message: 'Refused' } })).toEqual({ event: 'payment_failure', paywayOrderId: 'o-1', message: 'Refused' });
    expect(purchaseEventOf({ item: { status: 'pending', order_id: 'o-1' } })).toBe('other');
    expect(purchaseEventOf({ item: { status: 'action_required', order_id: 'o-1' } })).toBe('other');
    expect(purchaseEventOf({ status: 'completed', order_id: 'o-1' })).toMatchObject({ event: 'order_closed', paywayOrderId: 'o-1' });
  });

  it('inside the wrapper, only a purchase event\'s name counts as the name: a product type or a person\'s name leaves the result to be read', () => {
    expect(purchaseEventOf({ item: { type: 'subscription', status: 'complete', order_id: 'o-1' } })).toMatchObject({ event: 'order_closed', paywayOrderId: 'o-1' });
    expect(purchaseEventOf({ data: { name: 'Donald Duck', type: 'payment_failure', order_id: 'o-1' } })).toMatchObject({ event: 'payment_failure', paywayOrderId: 'o-1' });
    expect(purchaseEventOf({ item: { event: 'account_changed', order_id: 'o-1' } })).toBe('other');
    expect(purchaseEventOf({ item: { type: 'subscription', order_id: 'o-1' } })).toBe('unreadable');
  });

  it('an explicit event / event_type / event_name / topic goes before a bare type or name (which may be something else\'s)', () => {
    expect(purchaseEventOf({ type: 'webhook', event_type: 'order_closed', order_id: 'o-1' })).toMatchObject({ event: 'order_closed' });
    expect(purchaseEventOf({ name: 'Kalle Anka', event_name: 'payment_failure', order_id: 'o-1' })).toMatchObject({ event: 'payment_failure' });
    expect(purchaseEventOf({ type: 'subscription', order_id: 'o-1', merchant_reference: 'campaign-1' })).toBe('other');
  });

  it('a failure with its message, an order id written as a number', () => {
    expect(purchaseEventOf({ type: 'payment.failure', data: { order: { id: 4711 }, payment: { message: 'Refused' } } })).toEqual({
      event: 'payment_failure',
      paywayOrderId: '4711',
      message: 'Refused',
    });
    expect(purchaseEventOf({ event: 'PaymentFailure', payload: { order_id: 'o-1', message: 'Not enough funds' } })).toMatchObject({ event: 'payment_failure', message: 'Not enough funds' });
  });

  it("never takes the event's own id for the order's: an event naming only the merchant reference is read by it", () => {
    expect(purchaseEventOf({ id: 'evt_1', type: 'order.closed', data: { merchant_reference: 'campaign-1' } })).toEqual({ event: 'order_closed', merchantReference: 'campaign-1' });
    expect(purchaseEventOf({ id: 'evt_1', event: 'payment_failure', merchant_reference: 'campaign-1' })).toEqual({ event: 'payment_failure', merchantReference: 'campaign-1' });
    expect(purchaseEventOf({ id: 'evt_1', event: 'order_closed' })).toBe('unreadable');
  });

  it('another event is `other` (acknowledged, ignored); no name, no order, or no object at all is unreadable', () => {
    expect(purchaseEventOf({ event: 'account_changed', payload: { account: { id: 'a' } } })).toBe('other');
    expect(purchaseEventOf({ type: 'subscription.renewed', data: { order_id: 'o-1' } })).toBe('other');
    expect(purchaseEventOf({ payload: { order: { id: 'o-1' } } })).toBe('unreadable');
    expect(purchaseEventOf({ event: 'order_closed', payload: { order: {} } })).toBe('unreadable');
    expect(purchaseEventOf([{ event: 'order_closed' }])).toBe('unreadable');
    expect(purchaseEventOf(undefined)).toBe('unreadable');
  });

  it('a merchant reference keeps its exact spelling (it is matched as sent)', () => {
    expect(purchaseEventOf({ event: 'order_closed', payload: { order: { id: 'o-1', merchant_reference: ' Campaign 1 ' } } })).toMatchObject({ merchantReference: ' Campaign 1 ' });
  });

  it('a merchant reference written as a whole number is its digits (round nine); another value is none', () => {
    expect(purchaseEventOf({ event: 'order_closed', merchant_reference: 100234 })).toEqual({ event: 'order_closed', merchantReference: '100234' });
    expect(purchaseEventOf({ event: 'order_closed', payload: { order: { id: 'o-1', merchant_reference: 100234 } } })).toEqual({ event: 'order_closed', paywayOrderId: 'o-1', merchantReference: '100234' });
    // Inside a wrapper beside a bare outer `type`: the number still names the purchase there.
    expect(purchaseEventOf({ type: 'webhook', data: { event: 'payment_failure', merchant_reference: 7 } })).toEqual({ event: 'payment_failure', merchantReference: '7' });
    expect(purchaseEventOf({ event: 'order_closed', merchant_reference: 1.5 })).toBe('unreadable');
    expect(purchaseEventOf({ event: 'order_closed', merchant_reference: true })).toBe('unreadable');
  });
});

describe('formEvent', () => {
  it('flat and bracketed fields become the object a JSON event would be', () => {
    expect(formEvent('event=order_closed&payload[order][id]=ADEPRIMO-123&payload[order][merchant_reference]=campaign-1&payload[receipt][id]=r-1')).toEqual({
      event: 'order_closed',
      payload: { order: { id: 'ADEPRIMO-123', merchant_reference: 'campaign-1' }, receipt: { id: 'r-1' } },
    });
    expect(purchaseEventOf(formEvent('type=order.closed&order_id=ADEPRIMO-123&merchant_reference=campaign-1&receipt_id=r-1'))).toEqual(closed);
  });

  it('keeps a field\'s first value, leaves lists, clashes and prototype names out; nothing readable is undefined', () => {
    expect(formEvent('event=order_closed&event=payment_failure&order=1&order[id]=2&tags[]=a')).toEqual({ event: 'order_closed', order: '1' });
    const polluted = formEvent('__proto__[admin]=1&a[constructor][prototype][x]=1&event=order_closed');
    expect(polluted).toEqual({ event: 'order_closed' });
    expect(({} as Record<string, unknown>)['admin']).toBeUndefined();
    expect(formEvent('')).toBeUndefined();
    expect(formEvent('[x]=1')).toBeUndefined();
  });
});
