import { describe, expect, it } from 'vitest';
import { IcmFlag, IcmPosition, IcmQuantity, idText } from '../../src/providers/intershop/json-scalars.js';

describe('Intershop: ids and flags in the JSON type the writer gave them (round twenty-five)', () => {
  it('an id is a string, or a whole JSON number read as its digits; nothing else is an id', () => {
    expect(idText('onUKAB2_eAQAAAFuFztdhmTy')).toBe('onUKAB2_eAQAAAFuFztdhmTy');
    expect(idText(4700001)).toBe('4700001');
    expect(idText(1.5)).toBeUndefined();
    expect(idText(true)).toBeUndefined();
    expect(idText(null)).toBeUndefined();
  });

  it('a flag is a boolean or "true" / "false" in any case; anything else is unread, never a guess', () => {
    expect(IcmFlag.parse(true)).toBe(true);
    expect(IcmFlag.parse(' TRUE ')).toBe(true);
    expect(IcmFlag.parse('false')).toBe(false);
    expect(IcmFlag.parse('yes')).toBeUndefined();
    expect(IcmFlag.parse(1)).toBeUndefined();
    expect(IcmFlag.parse(undefined)).toBeUndefined();
  });

  it('a line\'s quantity and position are JSON numbers or plain decimals written as strings (round twenty-six); anything else unread', () => {
    expect(IcmQuantity.parse(2)).toBe(2);
    expect(IcmQuantity.parse(' 2 ')).toBe(2);
    expect(IcmQuantity.parse('1.5')).toBe(1.5);
    expect(IcmQuantity.parse('-1')).toBeUndefined();
    expect(IcmQuantity.parse('1E3')).toBeUndefined();
    expect(IcmQuantity.parse('two')).toBeUndefined();
    expect(IcmPosition.parse('3')).toBe(3);
    expect(IcmPosition.parse(3)).toBe(3);
    expect(IcmPosition.parse('3.5')).toBeUndefined();
    expect(IcmPosition.parse(undefined)).toBeUndefined();
  });
});
