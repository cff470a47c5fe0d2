import { describe, expect, it } from 'vitest';
import { MAX_REDIRECTS, oneLocation, onOrigins, redirectStep } from '../../src/providers/redirects.js';

/** The one redirect policy every adapter follows (src/providers/redirects.ts). */
describe('redirectStep', () => {
  const FROM = 'https://api.example/v1/orders/O1/capture';
  const own = onOrigins('https://api.example');
  const step = (status: number, method: string, location: string | string[] | undefined, hops = 0) => redirectStep(status, method, location, FROM, own, hops);

  it('307 / 308: the same request at Location, any method, a path alone resolved against the request', () => {
    for (const status of [307, 308]) {
      for (const method of ['GET', 'POST', 'PATCH', 'PUT']) {
        expect(step(status, method, '/v2/orders/O1/capture')).toEqual({ kind: 'follow', url: 'https://api.example/v2/orders/O1/capture' });
      }
    }
  });

  it('301 / 302 / 303 to a read: the read at Location', () => {
    for (const status of [301, 302, 303]) expect(step(status, 'GET', 'https://api.example/v2/orders/O1')).toEqual({ kind: 'follow', url: 'https://api.example/v2/orders/O1' });
  });

  it('301 / 302 to a write: followed only to its own path respelled (slash, letter case, same query)', () => {
    for (const status of [301, 302]) {
      expect(step(status, 'POST', '/v1/orders/O1/capture/')).toEqual({ kind: 'follow', url: 'https://api.example/v1/orders/O1/capture/' });
      expect(step(status, 'PATCH', '/V1/Orders/O1/Capture').kind).toBe('follow');
    }
    expect(redirectStep(301, 'POST', '/v1/orders/', 'https://api.example/v1/orders/?x=1', own)).toEqual({ kind: 'answer' });
    // The very path it was sent to is no respelling: a POST/Redirect/GET to the resource written.
    expect(redirectStep(302, 'PATCH', '/v1/orders/O1', 'https://api.example/v1/orders/O1', own)).toEqual({ kind: 'answer' });
    expect(redirectStep(302, 'PATCH', 'https://api.example/v1/orders/O1', 'https://api.example/v1/orders/O1', own)).toEqual({ kind: 'answer' });
  });

  it('a path respelled by trailing slashes is read without a pattern that backtracks over a run of them (security probe 6)', () => {
    expect(step(301, 'POST', '/v1/orders/O1/capture///').kind).toBe('follow');
    // 100,000 slashes not ending the path: no respelling, read at once (before: a quadratic scan).
    expect(step(301, 'POST', `/v1/orders/O1/capture${'/'.repeat(100_000)}x`)).toEqual({ kind: 'answer' });
  });

  it('a 301 / 302 to a write anywhere else is the adapter\'s answer to read (maybe carried out: POST/Redirect/GET), never "not carried out"', () => {
    for (const status of [301, 302]) {
      for (const method of ['POST', 'PATCH', 'PUT']) {
        expect(step(status, method, '/v1/orders/O1')).toEqual({ kind: 'answer' });
        expect(step(status, method, 'https://elsewhere.example/v1/orders/O1/capture')).toEqual({ kind: 'answer' });
        expect(step(status, method, undefined)).toEqual({ kind: 'answer' });
        expect(step(status, method, '/v1/orders/O1/capture/', MAX_REDIRECTS)).toEqual({ kind: 'answer' });
      }
    }
  });

  it('a 303 to a write points at its result: never followed, read by the adapter', () => {
    expect(step(303, 'POST', '/v1/orders/O1/capture/')).toEqual({ kind: 'answer' });
    expect(step(303, 'POST', 'https://elsewhere.example/x')).toEqual({ kind: 'answer' });
  });

  it('never to a target not allowed: a 307 / 308, or a read\'s redirect, so left is "not carried out"', () => {
    expect(step(307, 'POST', 'https://elsewhere.example/v1/orders/O1/capture').kind).toBe('unfollowed');
    expect(step(308, 'POST', 'http://api.example/v1/orders/O1/capture').kind).toBe('unfollowed');
    expect(step(308, 'POST', 'https://api.example:8443/v1/orders/O1/capture').kind).toBe('unfollowed');
    expect(step(301, 'GET', 'https://elsewhere.example/v1/orders/O1').kind).toBe('unfollowed');
    expect(step(308, 'GET', 'mailto:someone@api.example').kind).toBe('unfollowed');
  });

  it('the adapter\'s predicate decides what is allowed (here: http to https of the same host)', () => {
    const upgrade = (to: URL, from: URL) => to.origin === from.origin || (from.protocol === 'http:' && to.protocol === 'https:' && to.hostname === from.hostname);
    expect(redirectStep(308, 'POST', 'https://api.example/v1/x', 'http://api.example/v1/x', upgrade)).toEqual({ kind: 'follow', url: 'https://api.example/v1/x' });
    expect(redirectStep(301, 'POST', 'https://api.example/v1/x/', 'http://api.example/v1/x', upgrade).kind).toBe('follow');
    expect(redirectStep(301, 'POST', 'https://api.example/v1/x', 'http://api.example/v1/x', upgrade).kind).toBe('follow');
  });

  it('no one usable Location: a 307 / 308 or a read is not carried out', () => {
    for (const location of [undefined, '', '  ', ['/a', '/b'], '/a, /b', 'https://api.example/a,https://api.example/b', 'http://[bad']) {
      expect(step(308, 'POST', location).kind).toBe('unfollowed');
      expect(step(302, 'GET', location).kind).toBe('unfollowed');
    }
    expect(step(308, 'POST', ['/v2/x'])).toEqual({ kind: 'follow', url: 'https://api.example/v2/x' });
  });

  it(`at most ${MAX_REDIRECTS} hops`, () => {
    expect(step(308, 'POST', '/v2/x', MAX_REDIRECTS - 1).kind).toBe('follow');
    expect(step(308, 'POST', '/v2/x', MAX_REDIRECTS)).toEqual({ kind: 'unfollowed', why: `HTTP 308 after ${MAX_REDIRECTS} redirects` });
    expect(step(301, 'GET', '/v2/x', MAX_REDIRECTS).kind).toBe('unfollowed');
  });

  it('every other status is an answer', () => {
    for (const status of [200, 201, 204, 300, 304, 305, 400, 404, 502]) expect(step(status, 'GET', '/v2/x')).toEqual({ kind: 'answer' });
  });
});

describe('oneLocation', () => {
  it('one place, or none', () => {
    expect(oneLocation(' /a ')).toBe('/a');
    expect(oneLocation(['/a'])).toBe('/a');
    expect(oneLocation('/orders?ids=1,2')).toBe('/orders?ids=1,2');
    expect(oneLocation(['/a', '/b'])).toBeUndefined();
    expect(oneLocation('/a, /b')).toBeUndefined();
    expect(oneLocation(undefined)).toBeUndefined();
  });
});
