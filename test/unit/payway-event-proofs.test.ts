import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { spelledSignature } from '../../src/providers/payway/event-digests.js';
import { adyenAmount } from '../../src/providers/payway/event-adyen-amount.js';
import { otherJsonSpellings } from '../../src/providers/payway/event-json-spellings.js';

/** Round sixteen's readings of a Payway event: its HMAC's digest, the JSON spellings it may cover, Adyen's amount. */
describe('spelledSignature', () => {
  const hmac = (algorithm: string) => createHmac(algorithm, 'secret').update('body').digest();

  it('tells the digest by its prefix, in any letter case, and drops the prefix', () => {
    expect(spelledSignature(`sha1=${hmac('sha1').toString('hex')}`)).toEqual({ algorithm: 'sha1', text: hmac('sha1').toString('hex') });
    expect(spelledSignature(`SHA512=${hmac('sha512').toString('base64')}`)).toEqual({ algorithm: 'sha512', text: hmac('sha512').toString('base64') });
    expect(spelledSignature(`sha256=${hmac('sha256').toString('hex')}`)?.algorithm).toBe('sha256');
  });

  it('else by its length in hex, base64 or base64url (20, 32 or 64 bytes)', () => {
    for (const algorithm of ['sha1', 'sha256', 'sha512'] as const) {
      for (const encoding of ['hex', 'base64', 'base64url'] as const) expect(spelledSignature(hmac(algorithm).toString(encoding))?.algorithm).toBe(algorithm);
    }
  });

  it('no digest for another length or what is no encoding of bytes', () => {
    expect(spelledSignature('abc123')).toBeUndefined();
    expect(spelledSignature(createHmac('sha384', 'secret').update('body').digest('hex'))).toBeUndefined();
    expect(spelledSignature('not a signature!')).toBeUndefined();
  });
});

describe('otherJsonSpellings', () => {
  const texts = (body: string) => otherJsonSpellings(Buffer.from(body)).map((buffer) => buffer.toString('utf8'));

  it("gives ActiveSupport's escapes of & < > for JSON.generate's text, and the other way round", () => {
    // (Round seventeen offers Gson's spelling and non-ASCII escapes beside them: each of the same value.)
    expect(texts('{"ref":"https://x.se/?a=1&b=<2>"}')).toContain('{"ref":"https://x.se/?a=1\\u0026b=\\u003c2\\u003e"}');
    expect(texts('{"ref":"https://x.se/?a=1\\u0026b=\\u003C2\\u003e"}')).toContain('{"ref":"https://x.se/?a=1&b=<2>"}');
    for (const text of texts('{"ref":"https://x.se/?a=1&b=<2>"}')) expect(JSON.parse(text)).toEqual({ ref: 'https://x.se/?a=1&b=<2>' });
  });

  it('none for JSON without those characters, for what is not JSON, and never unescapes an escaped backslash', () => {
    expect(texts('{"ref":"adeprimo-campaign-001"}')).toEqual([]);
    expect(texts('event=order_closed&merchant_reference=a')).toEqual([]);
    expect(texts('{"ref":"a&b"')).toEqual([]);
    expect(texts('{"ref":"\\\\u0026"}')).toEqual([]);
  });
});

describe('adyenAmount', () => {
  it("reads Adyen's {currency, value} in minor units, the value a whole number or its digits, or flat fields", () => {
    expect(adyenAmount({ currency: 'SEK', value: 12_900 })).toEqual({ currency: 'SEK', minor: 12_900 });
    expect(adyenAmount({ currency: 'eur', value: '1290' })).toEqual({ currency: 'EUR', minor: 1_290 });
    expect(adyenAmount(undefined, { value: '14900', currency: 'SEK' })).toEqual({ currency: 'SEK', minor: 14_900 });
  });

  it('no amount for an unknown currency, a fraction, a negative or another value', () => {
    expect(adyenAmount({ currency: 'XXQ', value: 100 })).toBeUndefined();
    expect(adyenAmount({ currency: 'SEK', value: 129.5 })).toBeUndefined();
    expect(adyenAmount({ currency: 'SEK', value: -1 })).toBeUndefined();
    expect(adyenAmount({ currency: 'SEK', value: '129,00' })).toBeUndefined();
    expect(adyenAmount(undefined)).toBeUndefined();
  });
});
