import { describe, expect, it } from 'vitest';
import { locationOf, redirectStep } from '../../src/providers/dintero/redirects.js';

const ORIGINS = ['https://api.dintero.com', 'https://checkout.dintero.com'];
const FROM = 'https://checkout.dintero.com/v1/transactions/T1/capture';

describe('Dintero redirects (round eighteen)', () => {
  it.each([301, 302, 307, 308])('follows %d on any method, kept, to a Dintero host, relative or absolute', (status) => {
    expect(redirectStep(FROM, 'POST', status, '/dintero/v1/transactions/T1/capture', ORIGINS)).toEqual({ kind: 'follow', url: 'https://checkout.dintero.com/dintero/v1/transactions/T1/capture' });
    expect(redirectStep(FROM, 'GET', status, 'https://api.dintero.com/v1/transactions/T1', ORIGINS)).toEqual({ kind: 'follow', url: 'https://api.dintero.com/v1/transactions/T1' });
  });

  it('follows 303 for a read only: after a POST it may point at a result', () => {
    expect(redirectStep(FROM, 'GET', 303, '/v1/transactions/T1/', ORIGINS).kind).toBe('follow');
    expect(redirectStep(FROM, 'POST', 303, '/v1/transactions/T1', ORIGINS)).toEqual({ kind: 'answer' });
  });

  it('never follows off Dintero\'s hosts, nor without a usable Location', () => {
    expect(redirectStep(FROM, 'POST', 308, 'https://elsewhere.example/v1/transactions/T1/capture', ORIGINS).kind).toBe('unfollowed');
    expect(redirectStep(FROM, 'POST', 307, 'http://checkout.dintero.com/v1/x', ORIGINS).kind).toBe('unfollowed');
    expect(redirectStep(FROM, 'GET', 301, undefined, ORIGINS).kind).toBe('unfollowed');
    expect(redirectStep(FROM, 'GET', 301, 'http://[bad', ORIGINS).kind).toBe('unfollowed');
  });

  it('reads every other status as an answer', () => {
    for (const status of [200, 202, 204, 304, 400, 404, 502]) expect(redirectStep(FROM, 'GET', status, '/v1/x', ORIGINS)).toEqual({ kind: 'answer' });
  });

  it('reads a Location sent once; one sent twice names no single place', () => {
    expect(locationOf({ location: '/a' })).toBe('/a');
    expect(locationOf({ location: ['/a'] })).toBe('/a');
    expect(locationOf({ location: ['/a', '/b'] })).toBeUndefined();
    expect(locationOf(undefined)).toBeUndefined();
  });
});
