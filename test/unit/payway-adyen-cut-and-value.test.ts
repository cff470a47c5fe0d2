import { describe, expect, it } from 'vitest';
import { adyenCutsOf, mayBeAdyenCut } from '../../src/providers/payway/adyen-reference-cut.js';
import { adyenValuesAsWritten } from '../../src/providers/payway/event-adyen-value-text.js';

/** Round twenty-eight of the Payway adapter (test/providers/payway-independent-28.test.ts): the pure readers it added. */
describe('adyenCutsOf: the writings of "the first 80 characters" of a longer reference', () => {
  const ascii79 = 'a'.repeat(79);

  it('an ASCII reference has one cut, its first 80 units; one of 80 or fewer has none', () => {
    expect(adyenCutsOf('b'.repeat(100))).toEqual(['b'.repeat(80)]);
    expect(adyenCutsOf('b'.repeat(80))).toEqual([]);
  });

  it('a pair cut in two at the 80th unit: as cut, with U+FFFD or `?` for its half, or without it; and 80 code points', () => {
    const reference = `${ascii79}🎄🎄-rest`;
    const cuts = adyenCutsOf(reference);
    expect(cuts).toEqual(expect.arrayContaining([reference.slice(0, 80), `${ascii79}\uFFFD`, `${ascii79}?`, ascii79, `${ascii79}🎄`]));
    expect(cuts).toHaveLength(5);
  });

  it('emoji all through: 80 units (cut between pairs) and 80 code points (160 units)', () => {
    const reference = '🎄'.repeat(90);
    expect(adyenCutsOf(reference)).toEqual(['🎄'.repeat(40), '🎄'.repeat(80)]);
  });

  it('mayBeAdyenCut: 80 units, 79 units, or 80 code points', () => {
    expect(mayBeAdyenCut('x'.repeat(80))).toBe(true);
    expect(mayBeAdyenCut('x'.repeat(79))).toBe(true);
    expect(mayBeAdyenCut('🎄'.repeat(80))).toBe(true);
    expect(mayBeAdyenCut('x'.repeat(81))).toBe(false);
    expect(mayBeAdyenCut('x'.repeat(40))).toBe(false);
  });
});

describe('adyenValuesAsWritten: a `value` written with a fraction or an exponent keeps its text', () => {
  it.each([
    ['{"amount":{"currency":"SEK","value":149.0}}', '{"amount":{"currency":"SEK","value":"149.0"}}'],
    ['{"amount":{"value" : 1.49e2}}', '{"amount":{"value" : "1.49e2"}}'],
    ['[{"value":-1.5},{"value":7.25}]', '[{"value":"-1.5"},{"value":"7.25"}]'],
  ])('%s', (text, written) => {
    expect(adyenValuesAsWritten(text)).toBe(written);
    expect(JSON.parse(adyenValuesAsWritten(text))).toBeTruthy();
  });

  it.each([
    '{"amount":{"currency":"SEK","value":14900}}',
    '{"reason":"note {\\"value\\": 1.5}","amount":{"value":12900}}',
    '{"other":149.0,"list":["value", 1.5]}',
    'eventCode=AUTHORISATION&value=149.0',
  ])('left as written: %s', (text) => {
    expect(adyenValuesAsWritten(text)).toBe(text);
  });
});
