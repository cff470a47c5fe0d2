import { describe, expect, it } from 'vitest';
import { idAfter } from '../../src/providers/location-id.js';

describe('idAfter (the id a Location names after its collection)', () => {
  it.each([
    ['/api/orders/abc123', 'abc123'],
    ['https://p.example/api/orders/abc123/', 'abc123'],
    ['/api/orders/ab%2Fcd', 'ab/cd'],
    ['/api/orders/abc;jsessionid=1', 'abc'],
    ['/API/ORDERS/abc', 'abc'],
  ])('one segment: %s names %s, with or without spanningSegments', (location, id) => {
    expect(idAfter(location, 'orders')).toBe(id);
    expect(idAfter(location, 'orders', { spanningSegments: true })).toBe(id);
  });

  it.each(['/api/orders/ab/cd', '/api/orders/', '/api/orders/abc/;x', '/api/pay/abc', '/api/orders/abc, /api/orders/def'])('by default %s names nothing', (location) => {
    expect(idAfter(location, 'orders')).toBeUndefined();
  });

  it.each([
    ['/api/orders/ab/cd+e=', 'ab/cd+e='],
    ['/api/orders/ab//cd', 'ab//cd'],
    ['/api/orders/ab/cd//', 'ab/cd/'],
    ['/orders/x/orders/y', 'x/orders/y'],
    ['/api/orders/a%2Bb/c', 'a+b/c'],
  ])('spanningSegments: %s names %s (all after the first collection segment)', (location, id) => {
    expect(idAfter(location, 'orders', { spanningSegments: true })).toBe(id);
  });

  it.each(['/api/pay/abc', '/api/orders/', '/api/orders/abc, /api/orders/def'])('spanningSegments: %s names nothing', (location) => {
    expect(idAfter(location, 'orders', { spanningSegments: true })).toBeUndefined();
  });
});
