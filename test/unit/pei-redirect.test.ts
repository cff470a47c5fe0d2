import { describe, expect, it } from 'vitest';
import { redirectTarget } from '../../src/providers/pei/redirect.js';

/** Round eighteen of Pei: which redirects of Pei's front tier the client follows (src/providers/pei/redirect.ts). */
describe('Pei redirectTarget', () => {
  const at = (location: string) => ({ location });
  const BASE = 'https://api.pei.is/api/orders';

  it('follows any redirect of a read or a listing to the same server, the query as the Location gives it', () => {
    for (const status of [301, 302, 303, 307, 308]) {
      expect(redirectTarget('GET', `${BASE}?merchantId=4&date=2026-12-07`, status, at('/api/orders/?merchantId=4&date=2026-12-07'))).toBe('https://api.pei.is/api/orders/?merchantId=4&date=2026-12-07');
    }
    expect(redirectTarget('GET', `${BASE}/abc`, 301, at('https://api.pei.is/api/v2/orders/abc'))).toBe('https://api.pei.is/api/v2/orders/abc');
  });

  it("follows a POST's 307 and 308 anywhere on the same server, its 301 and 302 only to its own path respelled", () => {
    expect(redirectTarget('POST', `${BASE}/pay`, 307, at('/api/v2/orders/pay'))).toBe('https://api.pei.is/api/v2/orders/pay');
    expect(redirectTarget('POST', `${BASE}/pay`, 308, at('/api/orders/pay/'))).toBe('https://api.pei.is/api/orders/pay/');
    expect(redirectTarget('POST', `${BASE}/pay`, 301, at('/api/orders/pay/'))).toBe('https://api.pei.is/api/orders/pay/');
    expect(redirectTarget('POST', `${BASE}/pay`, 302, at('/API/Orders/Pay'))).toBe('https://api.pei.is/API/Orders/Pay');
    expect(redirectTarget('POST', `${BASE}/pay`, 301, at('/api/v2/orders/pay'))).toBeUndefined();
    expect(redirectTarget('POST', `${BASE}/pay`, 302, at('/api/orders/ffmPoSnWFUjs0W9u45es0elUKBnpFRSf'))).toBeUndefined();
    expect(redirectTarget('POST', `${BASE}/pay`, 303, at('/api/orders/pay/'))).toBeUndefined();
  });

  it('follows nothing to another host, port or scheme but http to https of the same host', () => {
    expect(redirectTarget('GET', `${BASE}/abc`, 301, at('https://api2.pei.is/api/orders/abc'))).toBeUndefined();
    expect(redirectTarget('POST', `${BASE}/pay`, 307, at('https://api.pei.is:8443/api/orders/pay'))).toBeUndefined();
    expect(redirectTarget('GET', `${BASE}/abc`, 301, at('http://api.pei.is/api/orders/abc'))).toBeUndefined();
    expect(redirectTarget('POST', 'http://api.pei.is/api/orders/pay', 308, at('https://api.pei.is/api/orders/pay'))).toBe('https://api.pei.is/api/orders/pay');
  });

  it('follows no answer that is not a redirect, nor one without a single Location', () => {
    expect(redirectTarget('GET', `${BASE}/abc`, 200, at('/api/orders/abc/'))).toBeUndefined();
    expect(redirectTarget('GET', `${BASE}/abc`, 304, at('/api/orders/abc/'))).toBeUndefined();
    expect(redirectTarget('GET', `${BASE}/abc`, 301, {})).toBeUndefined();
    expect(redirectTarget('GET', `${BASE}/abc`, 301, at('/a, /b'))).toBeUndefined();
  });
});
