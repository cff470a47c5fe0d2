import { describe, expect, it } from 'vitest';
import { asciiI } from '../../src/providers/intershop/dotted-i.js';
import { withoutPlusSign } from '../../src/providers/intershop/plus-sign.js';

describe('withoutPlusSign (round twenty-eight)', () => {
  it('takes off one `+` directly before a digit, leading blanks kept', () => {
    expect(withoutPlusSign('+628.34')).toBe('628.34');
    expect(withoutPlusSign('+00000628.34')).toBe('00000628.34');
    expect(withoutPlusSign(' +50')).toBe(' 50');
  });

  it('leaves anything else as written, for the reader to refuse', () => {
    for (const text of ['++1', '+-1', '+ 1', '+.5', '-1', '1+', '+']) expect(withoutPlusSign(text)).toBe(text);
    expect(withoutPlusSign(628.34)).toBe(628.34);
    expect(withoutPlusSign(undefined)).toBeUndefined();
  });
});

describe('asciiI (round twenty-eight)', () => {
  it('reads the Turkish dotless and dotted I as ASCII', () => {
    expect(asciiI('red\u0131rect_urls_requ\u0131red')).toBe('redirect_urls_required');
    expect(asciiI('Red\u0131rect')).toBe('Redirect');
    expect(asciiI('PEND\u0130NG')).toBe('PENDING');
  });

  it('leaves ASCII words as they are', () => {
    expect(asciiI('AUTHORIZED')).toBe('AUTHORIZED');
    expect(asciiI('waiting_for_pending_payments')).toBe('waiting_for_pending_payments');
  });
});
