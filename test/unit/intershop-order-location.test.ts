import { describe, expect, it } from 'vitest';
import { orderIdAt } from '../../src/providers/intershop/order-location.js';

describe('orderIdAt: the ICM order a `Location` names (round sixteen)', () => {
  it('takes the id after `/orders/`, whatever the host and prefix (the seed\'s `links.self` names ICM\'s own host)', () => {
    expect(orderIdAt('http://jrwilms01:10080/INTERSHOP/rest/WFS/inSPIRED-inTRONICS-Site/-/orders/3ycKAB2_A8wAAAFrW_44a5lI')).toBe('3ycKAB2_A8wAAAFrW_44a5lI');
    expect(orderIdAt('/INTERSHOP/rest/WFS/inSPIRED-inTRONICS-Site/-/orders/onKAB2_x.AAAF/')).toBe('onKAB2_x.AAAF');
    expect(orderIdAt('orders/on%2EKAB2')).toBe('on.KAB2');
  });

  it('leaves out a segment\'s matrix parameters and the query', () => {
    expect(orderIdAt('http://icm/INTERSHOP/rest/WFS/site/-/orders/onKAB2;jsessionid=abc?include=payments')).toBe('onKAB2');
  });

  it('names nothing for another resource, an empty value, two addresses, or an id with a control character', () => {
    expect(orderIdAt('')).toBeUndefined();
    expect(orderIdAt('http://icm/INTERSHOP/rest/WFS/site/-/orders')).toBeUndefined();
    expect(orderIdAt('http://icm/INTERSHOP/rest/WFS/site/-/baskets/nNQKAB2')).toBeUndefined();
    expect(orderIdAt('http://icm/INTERSHOP/rest/WFS/site/-/orders/onKAB2/payments')).toBeUndefined();
    expect(orderIdAt('/orders/a, /orders/b')).toBeUndefined();
    expect(orderIdAt('/orders/a%0Ab')).toBeUndefined();
    expect(orderIdAt('/orders/%E0%A4%A')).toBeUndefined();
  });

  it('takes an id holding a path\'s own characters, percent-encoded in its one segment (round twenty-one: the seed shows no alphabet)', () => {
    expect(orderIdAt('/INTERSHOP/rest/WFS/site/-/orders/on%2BKAB2%2F0001%3DAAAF')).toBe('on+KAB2/0001=AAAF');
    expect(orderIdAt('http://jrwilms01:10080/INTERSHOP/rest/WFS/site/-/orders/on%20KAB2%25x%C3%BC')).toBe('on KAB2%xü');
    expect(orderIdAt('/orders/on%3Fa%23b')).toBe('on?a#b');
  });
});
