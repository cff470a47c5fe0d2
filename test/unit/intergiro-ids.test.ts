import { describe, expect, it } from 'vitest';
import { exactIdsOf, idText, IntergiroId } from '../../src/providers/intergiro/ids.js';

describe('Intergiro ids (round twenty-five)', () => {
  it('reads an id as text, or a JSON number within 2^53 as its digits', () => {
    expect(idText('TjbHYXXn6yEdhLgS')).toBe('TjbHYXXn6yEdhLgS');
    expect(idText(100007)).toBe('100007');
    expect(idText(Number.MAX_SAFE_INTEGER)).toBe('9007199254740991');
  });

  it('refuses a number it cannot hold exactly, a fraction, a negative', () => {
    expect(IntergiroId.safeParse(2 ** 53).success).toBe(false);
    expect(IntergiroId.safeParse(Number("1796656800123456789")).success).toBe(false);
    expect(idText(1.5)).toBeUndefined();
    expect(idText(-1)).toBeUndefined();
  });

  it('keeps an `id` or `customer` above 2^53 exactly by writing it as text before JSON.parse', () => {
    const read = JSON.parse(exactIdsOf('[{"id": 1796656800123456789, "customer":12345678901234567890, "items": 20}]')) as Record<string, unknown>[];
    expect(read[0]).toEqual({ id: '1796656800123456789', customer: '12345678901234567890', items: 20 });
  });

  it('leaves everything else byte for byte: safe ids, other members, digits inside strings, text that is no JSON', () => {
    for (const text of [
      '{"id":100007,"items":1796656800123456789}',
      '{"note":"\\"id\\":1796656800123456789","id":"x"}',
      '{"id":"1796656800123456789"}',
      '{"id":1.5e300}',
      '<html>12345678901234567890</html>',
    ]) expect(exactIdsOf(text)).toBe(text);
  });
});
