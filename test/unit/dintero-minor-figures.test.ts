/**
 * Round twenty-six: a Dintero transaction read's figures as whole minor units (minor-figures.ts),
 * the units told against the order's total (binding.ts inMinorUnits). A figure with a fraction is
 * never minor units; one that is not whole in minor units either way is none, never rounded.
 */
import { describe, expect, it } from 'vitest';
import { boundToOrder, selfContained } from '../../src/providers/dintero/binding.js';
import { wholeMinor, wholeMinorOnly } from '../../src/providers/dintero/minor-figures.js';
import { DinteroTransactionRead } from '../../src/providers/dintero/wire.js';

const order = { providerOrderId: 'ORD1', total: { currency: 'NOK', minor: 9950 } };
const read = (json: string) => DinteroTransactionRead.parse(JSON.parse(json));

describe('wholeMinor', () => {
  it('scales a figure a double does not hold exactly, and refuses one that is not whole', () => {
    expect(wholeMinor(4.98, 100)).toBe(498);
    expect(wholeMinor(99.5, 100)).toBe(9950);
    expect(wholeMinor(0.005, 100)).toBeUndefined();
    expect(wholeMinor(39800, 1)).toBe(39800);
    expect(wholeMinor(99.5, 1)).toBeUndefined();
  });
});

describe('a transaction read with figures that carry a fraction', () => {
  const major = () =>
    read(`{"id":"t1","status":"PARTIALLY_CAPTURED","merchant_reference":"ORD1","amount":99.5,"currency":"NOK",
      "items":[{"line_id":"1","amount":79.5},{"line_id":"2","amount":20}],
      "events":[{"event":"AUTHORIZE","amount":99.5,"success":true},{"event":"CAPTURE","amount":50,"success":true,"capture_reference":"cap-1"}]}`);

  it('in major units against a total of 99.50: every figure in minor units', () => {
    const bound = boundToOrder(major(), order)!;
    expect(bound.amount).toBe(9950);
    expect(bound.items!.map((item) => item.amount)).toEqual([7950, 2000]);
    expect(bound.events.map((event) => event.amount)).toEqual([9950, 5000]);
  });

  it('against a total they do not say: the fractions are none, never rounded; the whole figures as written', () => {
    const bound = boundToOrder(major(), { ...order, total: { currency: 'NOK', minor: 12345 } })!;
    expect(bound.amount).toBe(12345); // completed from the order, as an unreadable amount always was
    expect(bound.items).toBeUndefined();
    expect(bound.events.map((event) => event.amount)).toEqual([undefined, 50]);
  });

  it('self-contained (no order to tell the units by): a fraction is no amount', () => {
    expect(selfContained(major())).toBeUndefined();
    expect(wholeMinorOnly(major()).events[0]!.amount).toBeUndefined();
  });

  it('`39800.0` and `3.98E4` are 39800', () => {
    const minor = read('{"id":"t1","status":"AUTHORIZED","merchant_reference":"ORD1","amount":3.98E4,"currency":"NOK","events":[{"event":"AUTHORIZE","amount":39800.0,"success":true}]}');
    expect(boundToOrder(minor, { ...order, total: { currency: 'NOK', minor: 39800 } })).toMatchObject({ amount: 39800, events: [{ amount: 39800 }] });
  });
});
