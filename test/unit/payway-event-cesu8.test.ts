import { describe, expect, it } from 'vitest';
import { cesu8Text } from '../../src/providers/payway/event-cesu8.js';

describe('cesu8Text (round twenty-nine: an event written in CESU-8)', () => {
  it('reads a lone high half written as three bytes as that half', () => {
    expect(cesu8Text(Buffer.from([0x61, 0xed, 0xa0, 0xbc]))).toBe('a\ud83c');
  });
  it('reads a pair written as six bytes as its code point, beside UTF-8 letters', () => {
    expect(cesu8Text(Buffer.from([0xc3, 0xa5, 0xed, 0xa0, 0xbc, 0xed, 0xbe, 0x84]))).toBe('å🎄');
  });
  it('takes four-byte UTF-8 beside a surrogate so written', () => {
    expect(cesu8Text(Buffer.concat([Buffer.from('🎄'), Buffer.from([0xed, 0xa0, 0xbc])]))).toBe('🎄\ud83c');
  });
  it('is undefined for UTF-8 holding no surrogate (the one rule reads it)', () => {
    expect(cesu8Text(Buffer.from('vårkampanj 🎄'))).toBeUndefined();
  });
  it('is undefined for ISO-8859-1 and any other byte that is no UTF-8', () => {
    expect(cesu8Text(Buffer.from('vårkampanj', 'latin1'))).toBeUndefined();
    expect(cesu8Text(Buffer.from([0xed, 0xa0, 0xbc, 0xe5]))).toBeUndefined();
    expect(cesu8Text(Buffer.from([0xed, 0xa0]))).toBeUndefined();
    expect(cesu8Text(Buffer.from([0xe0, 0x80, 0x80, 0xed, 0xa0, 0xbc]))).toBeUndefined();
  });
});
