import { describe, expect, it } from 'vitest';
import { notCarriedOut, sameRequestAt } from '../../src/providers/intershop/front-tier-redirect.js';

const BASE = 'http://icm.example:8080/INTERSHOP/rest/WFS/inSPIRED-inTRONICS-Site/-';
const AT = `${BASE}/orders?include=payments`;

describe('sameRequestAt (round eighteen: the web tier in front of ICM redirecting)', () => {
  it('a 307 or 308 is the same request at Location, any method, a path alone resolved against the request', () => {
    expect(sameRequestAt(308, 'POST', 'http://icm.example:8080/icm/rest/-/orders?include=payments', AT, BASE)).toBe('http://icm.example:8080/icm/rest/-/orders?include=payments');
    expect(sameRequestAt(307, 'PATCH', '/icm/rest/-/orders/x', AT, BASE)).toBe('http://icm.example:8080/icm/rest/-/orders/x');
  });

  it('a 301, 302 or 303 is followed by a read only', () => {
    for (const status of [301, 302, 303]) {
      expect(sameRequestAt(status, 'GET', '/icm/orders', AT, BASE)).toBe('http://icm.example:8080/icm/orders');
      expect(sameRequestAt(status, 'POST', '/icm/orders', AT, BASE)).toBeUndefined();
      expect(sameRequestAt(status, 'PATCH', '/icm/orders/x', AT, BASE)).toBeUndefined();
    }
  });

  it('never to another origin (the token stays with INTERSHOP_URL), nor without one Location', () => {
    expect(sameRequestAt(308, 'GET', 'http://jrwilms01:10080/INTERSHOP/rest/orders', AT, BASE)).toBeUndefined();
    expect(sameRequestAt(308, 'GET', 'https://icm.example:8080/orders', AT, BASE)).toBeUndefined();
    expect(sameRequestAt(308, 'GET', 'http://icm.example/orders', AT, BASE)).toBeUndefined();
    expect(sameRequestAt(308, 'GET', '', AT, BASE)).toBeUndefined();
    expect(sameRequestAt(308, 'GET', '/a, /b', AT, BASE)).toBeUndefined();
    expect(sameRequestAt(200, 'GET', '/icm/orders', AT, BASE)).toBeUndefined();
  });

  it('a 307 / 308 says the request was not carried out; other statuses do not', () => {
    expect([301, 302, 303, 307, 308].map(notCarriedOut)).toEqual([false, false, false, true, true]);
  });
});
