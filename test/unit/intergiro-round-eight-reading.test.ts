import { describe, expect, it } from 'vitest';
import { isVerificationRequired, saysNumberTaken } from '../../src/providers/intergiro/mapping.js';
import { IntergiroError, IntergiroOrder } from '../../src/providers/intergiro/wire.js';

/** Round eight (test/providers/intergiro-independent-8.test.ts): what the seed leaves open in an Error and an event. */
describe('saysNumberTaken (a creation refused because its number is already an order\'s)', () => {
  const error = (fields: Record<string, unknown>) => IntergiroError.parse({ id: 'o1', ...fields });

  it('is a 409, or words to that effect, beside an order id', () => {
    expect(saysNumberTaken(error({ status: 409, type: 'not allowed' }))).toBe(true);
    expect(saysNumberTaken(error({ status: 400, type: 'malformed content', error: 'Number already used' }))).toBe(true);
    expect(saysNumberTaken(error({ status: 422, message: 'DUPLICATE_NUMBER' }))).toBe(true);
    expect(saysNumberTaken(error({ status: 400, content: { description: 'order with this number exists' } }))).toBe(true);
  });

  it('is never an Error without an id, a decline, or a 3-D Secure step', () => {
    expect(saysNumberTaken(IntergiroError.parse({ status: 409, error: 'number already used' }))).toBe(false);
    expect(saysNumberTaken(error({ status: 400, type: 'malformed content', error: 'card declined' }))).toBe(false);
    expect(saysNumberTaken(error({ status: 400, type: 'malformed content', error: 'verification required' }))).toBe(false);
  });
});

describe('IntergiroError (each field read on its own)', () => {
  it('reads an Error whose status is a word, its id and words kept', () => {
    const parsed = IntergiroError.parse({ status: 'error', type: 'malformed content', error: 'verification required', id: 'o1', content: { property: 'card', details: { url: 'u' } } });
    expect(parsed).toMatchObject({ status: undefined, error: 'verification required', id: 'o1', content: { property: 'card' } });
    expect(isVerificationRequired(parsed)).toBe(true);
  });

  it('drops a field of another type, not the Error', () => {
    expect(IntergiroError.parse({ status: 400, error: { code: 7 }, id: 'o1', content: 'card' })).toMatchObject({ status: 400, error: undefined, id: 'o1', content: undefined });
    expect(IntergiroError.parse({ status: '400' }).status).toBe(400);
  });
});

describe('IntergiroEvent dates', () => {
  const order = (event: unknown[]) => IntergiroOrder.parse({ id: 'o1', created: '2026-12-04T21:00:00Z', items: 20, currency: 'EUR', payment: { type: 'card' }, event });

  it('reads a date as ISO text, epoch milliseconds or epoch seconds', () => {
    const [text, ms, s] = order([
      { type: 'order', date: '2026-12-04T21:00:00.000Z' },
      { type: 'charge', date: Date.UTC(2026, 11, 4, 21, 0, 1) },
      { type: 'refund', date: Date.UTC(2026, 11, 4, 21, 0, 2) / 1000 },
    ]).event!;
    expect([text?.date, ms?.date, s?.date]).toEqual(['2026-12-04T21:00:00.000Z', '2026-12-04T21:00:01.000Z', '2026-12-04T21:00:02.000Z']);
  });

  it('drops a date, reference or descriptor it cannot read, not the order', () => {
    const [event] = order([{ type: 'charge', date: { at: 'now' }, reference: 42, descriptor: ['x'], items: 5 }]).event!;
    expect(event).toMatchObject({ type: 'charge', date: undefined, reference: undefined, descriptor: undefined, items: 5 });
  });
});
