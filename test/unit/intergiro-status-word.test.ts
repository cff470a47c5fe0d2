import { describe, expect, it } from 'vitest';
import { isPastVerification, movedAmounts, NOTHING_MOVED, statusWordOf } from '../../src/providers/intergiro/amounts.js';
import { IntergiroOrder } from '../../src/providers/intergiro/wire.js';

const order = (fields: Record<string, unknown>) =>
  IntergiroOrder.parse({ id: 'o1', created: '2026-12-04T21:00:00Z', items: 20, currency: 'EUR', payment: { type: 'card' }, ...fields });

describe('statusWordOf (an order without its own status)', () => {
  it('takes the further along of the payment\'s word and the last event', () => {
    expect(statusWordOf(order({ payment: { type: 'defer', status: 'created' }, event: [{ type: 'cancel' }] }))).toBe('cancelled');
    expect(statusWordOf(order({ payment: { type: 'card', status: 'ordered' }, event: [{ type: 'order' }, { type: 'charge' }] }))).toBe('charged');
    expect(statusWordOf(order({ payment: { type: 'card', status: 'refunded' }, event: [{ type: 'charge' }, { type: 'settle' }] }))).toBe('refunded');
    expect(statusWordOf(order({ payment: { type: 'card', status: 'charged' }, event: [{ type: 'order' }] }))).toBe('charged');
  });

  it('reads a status written "" as none, its own status first otherwise', () => {
    expect(statusWordOf(order({ status: '', event: [{ type: 'order' }] }))).toBe('ordered');
    expect(statusWordOf(order({ status: '  ', payment: { type: 'defer' } }))).toBe('created');
    expect(statusWordOf(order({ status: 'Charged', payment: { type: 'card', status: 'ordered' } }))).toBe('Charged');
  });

  it('reads a first word (`created`, `deferred`) beside events that went further by the events; a later word stands', () => {
    expect(statusWordOf(order({ status: 'created', event: [{ type: 'order' }] }))).toBe('ordered');
    expect(statusWordOf(order({ status: 'Created', event: [{ type: 'order' }, { type: 'charge' }] }))).toBe('charged');
    expect(statusWordOf(order({ status: 'deferred', payment: { type: 'defer' }, event: [{ type: 'cancel' }] }))).toBe('cancelled');
    expect(statusWordOf(order({ status: 'created', event: [{ type: 'fail', original: 'order', error: 'declined' }] }))).toBe('created');
    expect(statusWordOf(order({ status: 'created', event: [] }))).toBe('created');
    expect(statusWordOf(order({ status: 'pending', event: [{ type: 'order' }] }))).toBe('pending');
    expect(isPastVerification(order({ status: 'created', event: [{ type: 'order' }] }))).toBe(true);
  });

  it('isPastVerification: ordered or later, denied, cancelled; not created, pending, or no word at all', () => {
    expect(isPastVerification(order({ status: 'ordered' }))).toBe(true);
    expect(isPastVerification(order({ status: 'DENIED' }))).toBe(true);
    expect(isPastVerification(order({ status: 'created' }))).toBe(false);
    expect(isPastVerification(order({ status: 'pending' }))).toBe(false);
    expect(isPastVerification(order({}))).toBe(false);
    expect(isPastVerification(order({ status: 'mystery' }))).toBe(false);
  });
});

describe('events listed newest first (no seed says in which order a list holds them)', () => {
  const at = (minute: number) => `2026-12-04T21:${String(minute).padStart(2, '0')}:00Z`;
  const history = [
    { type: 'order', date: at(1) },
    { type: 'charge', date: at(2) },
    { type: 'refund', date: at(3) },
  ];
  const total = { currency: 'EUR', minor: 2000 };

  it('are read in date order: the last event is the latest, a charge without items takes the rest, a refund without items no more than the gateway refunded', () => {
    for (const event of [history, [...history].reverse()]) {
      expect(statusWordOf(order({ event }))).toBe('refunded');
      // Read with the gateway's figures (a re-read; it knows of none here): a charge without items is
      // the rest; a refund without items counts no more than the gateway itself refunded, here none
      // (round twelve: a refund made at Intergiro itself is not counted, as the word alone is not).
      expect(movedAmounts(order({ event }), 'refunded', total, NOTHING_MOVED)).toMatchObject({ captured: 2000, refunded: 0 });
      // Without them (a callback, a listing) they say no more than the word (round seven: an Intergiro may record events without amounts).
      expect(movedAmounts(order({ event }), 'refunded', total)).toMatchObject({ captured: 0, refunded: 0 });
    }
  });

  it('keep the list\'s own order where an event has no readable date', () => {
    const undated = [{ type: 'refund' }, { type: 'charge', date: at(2) }];
    expect(movedAmounts(order({ event: undated }), 'refunded', total, NOTHING_MOVED)).toMatchObject({ captured: 2000, refunded: 0 });
  });
});
