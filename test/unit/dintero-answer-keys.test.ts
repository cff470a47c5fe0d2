import { describe, expect, it } from 'vitest';
import { snakeCaseKey, withSnakeCaseKeys } from '../../src/providers/dintero/answer-keys.js';
import { decimalCommaAsPoint } from '../../src/providers/dintero/decimal-comma.js';

describe('Dintero answer keys in snake_case (round twenty-eight)', () => {
  it.each([
    ['merchantReference', 'merchant_reference'],
    ['MerchantReference', 'merchant_reference'],
    ['merchantReference2', 'merchant_reference_2'],
    ['MerchantReference_2', 'merchant_reference_2'],
    ['merchant-reference-2', 'merchant_reference_2'],
    ['SessionID', 'session_id'],
    ['ID', 'id'],
    ['Id', 'id'],
    ['merchant_reference_2', 'merchant_reference_2'],
    ['_links', '_links'],
    ['status', 'status'],
  ])('%s is %s', (key, snake) => {
    expect(snakeCaseKey(key)).toBe(snake);
  });

  it('respells keys at any depth, never values, and keeps a key written in snake_case over its respelling', () => {
    const answer = { Id: 'T1', Status: 'AUTHORIZED', MerchantReference: 'ABC', Events: [{ Event: 'CAPTURE', CaptureReference: 'cap-1', Amount: 100 }], status: 'CAPTURED' };
    expect(withSnakeCaseKeys(answer)).toEqual({ id: 'T1', status: 'CAPTURED', merchant_reference: 'ABC', events: [{ event: 'CAPTURE', capture_reference: 'cap-1', amount: 100 }] });
    expect(withSnakeCaseKeys({ id: 'MixedCaseValue', items: [{ line_id: 'A' }] })).toEqual({ id: 'MixedCaseValue', items: [{ line_id: 'A' }] });
  });

  it('keeps keys that Object.prototype also has (constructor, __proto__) as the answer\'s own, and never sets a prototype', () => {
    const answer = JSON.parse('{"Status": "AUTHORIZED", "constructor": "x", "__proto__": {"polluted": true}}') as Record<string, unknown>;
    const read = withSnakeCaseKeys(answer) as Record<string, unknown>;
    expect(Object.keys(read).sort()).toEqual(['__proto__', 'constructor', 'status']);
    expect(read['constructor']).toBe('x');
    expect(Object.getPrototypeOf(read)).toBe(Object.prototype);
    expect((read as { polluted?: unknown }).polluted).toBeUndefined();
  });

  it('answers an answer already in snake_case as the same value', () => {
    const answer = { id: 'T1', events: [{ event: 'AUTHORIZE' }] };
    expect(withSnakeCaseKeys(answer)).toBe(answer);
  });
});

describe('Dintero amounts with a decimal comma (round twenty-eight)', () => {
  it.each([
    ['99,50', '99.50'],
    ['498,00', '498.00'],
    ['-50,00', '-50.00'],
    ['99,5', '99.5'],
    [' 49800,0 ', '49800.0'],
  ])('%s is read as %s', (text, point) => {
    expect(decimalCommaAsPoint(text)).toBe(point);
  });

  it.each(['1,500', '1.500,00', '1 500,00', '1,500,000', '99.50', '99,', ',50'])('%s is left as it is (ambiguous, or not a decimal comma)', (text) => {
    expect(decimalCommaAsPoint(text)).toBe(text);
  });
});
