/** Round twenty-nine of Dintero: an event's amount in another currency than its transaction's is none (src/providers/dintero/event-currency.ts, wire.ts, binding.ts). */
import { describe, expect, it } from 'vitest';
import { boundToOrder, selfContained } from '../../src/providers/dintero/binding.js';
import { eventsInCurrency } from '../../src/providers/dintero/event-currency.js';
import { DinteroTransactionRead } from '../../src/providers/dintero/wire.js';

const ORDER = { providerOrderId: 'ABC123DEF', total: { currency: 'NOK', minor: 49800 } } as Parameters<typeof boundToOrder>[1];
const read = (events: unknown[], currency?: string): DinteroTransactionRead =>
  DinteroTransactionRead.parse({ id: 'T1', status: 'PARTIALLY_CAPTURED', merchant_reference: 'ABC123DEF', amount: 49800, ...(currency ? { currency } : {}), events });

describe('eventsInCurrency', () => {
  it.each([
    ['EUR', 'EUR'],
    ['eur', 'EUR'],
    [978, 'EUR'],
    ['euro', '?'],
    [12345, '?'],
  ] as [unknown, string][])('an event in %j (read as %s) beside a NOK transaction has no amount; one in NOK or naming none keeps its own', (currency, letters) => {
    const transaction = read([
      { event: 'CAPTURE', amount: 850, currency, success: true, capture_reference: 'cap-1' },
      { event: 'CAPTURE', amount: 2000, currency: 'nok', success: true },
      { event: 'REFUND', amount: 1000, success: true },
    ], 'NOK');
    expect(transaction.events[0]!.currency).toBe(letters);
    const kept = eventsInCurrency(transaction, 'NOK').events;
    expect(kept.map((event) => event.amount)).toEqual([undefined, 2000, 1000]);
    expect(kept[0]).toMatchObject({ event: 'CAPTURE', success: true, capture_reference: 'cap-1' });
  });

  it('is read so by selfContained (the transaction\'s currency) and boundToOrder (the order\'s, for a transaction naming none)', () => {
    const events = [{ event: 'CAPTURE', amount: 350000, currency: 'HUF', success: true }];
    expect(selfContained(read(events, 'NOK'))!.events[0]!.amount).toBeUndefined();
    expect(boundToOrder(read(events), ORDER)!.events[0]!.amount).toBeUndefined();
    expect(boundToOrder(read([{ event: 'CAPTURE', amount: 10000, currency: 'NOK', success: true }]), ORDER)!.events[0]!.amount).toBe(10000);
  });

  it('without a currency to compare with, leaves the read as it is', () => {
    const transaction = read([{ event: 'CAPTURE', amount: 850, currency: 'EUR', success: true }]);
    expect(eventsInCurrency(transaction, undefined)).toBe(transaction);
  });
});
