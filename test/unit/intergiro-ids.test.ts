import { describe, expect, it } from 'vitest';
import { idText, IntergiroId } from '../../src/providers/intergiro/ids.js';
import { wholeNumbersAsWritten } from '../../src/providers/long-numbers.js';

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

  it('an id above 2^53 read through the shared long-number scan keeps its digits', () => {
    const read = JSON.parse(wholeNumbersAsWritten('[{"id": 1796656800123456789, "customer":12345678901234567890, "items": 20}]')) as Record<string, unknown>[];
    expect(read[0]).toEqual({ id: '1796656800123456789', customer: '12345678901234567890', items: 20 });
    expect(idText(read[0]!.id)).toBe('1796656800123456789');
  });
});
