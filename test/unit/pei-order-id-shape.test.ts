import { describe, expect, it } from 'vitest';
import { locatedOrderId } from '../../src/providers/pei/location.js';
import { peiIdShaped } from '../../src/providers/pei/order-id-shape.js';

describe('Pei ids in base64 (round twenty-one: the seed names no alphabet)', () => {
  it.each(['ffmPoSnWFUjs0W9u45es0elUKBnpFRSf', 'fdfQQ33gdgWfgGoP642', 'ab+cd/efGHijKLmnOPqrSTuv', 'q1w+E2r/T3y4U5i6O7p8Aw==', 'abc-def_ghijklmnop'])('%s is shaped like an id', (id) => {
    expect(peiIdShaped(id)).toBe(true);
  });

  it.each(['OK', 'Payment accepted', 'ab+cd/ef=GHijKLmnOPqrSTuv', 'abcdefghijklmnop===', 'x'.repeat(129)])('%s is not', (text) => {
    expect(peiIdShaped(text)).toBe(false);
  });

  it.each([
    ['/api/orders/ab%2Bcd%2FefGHijKLmnOPqrSTuv', 'ab+cd/efGHijKLmnOPqrSTuv'],
    ['https://api.pei.is/api/orders/ab+cd/efGHijKLmnOPqrSTuv', 'ab+cd/efGHijKLmnOPqrSTuv'],
    ['/api/orders/q1w+E2r/T3y4U5i6O7p8Aw==', 'q1w+E2r/T3y4U5i6O7p8Aw=='],
    ['/api/orders/q1w+E2r/T3y4U5i6O7p8Aw==/', 'q1w+E2r/T3y4U5i6O7p8Aw=='],
    ['/api/Orders/fdfQQ33gdgWfgGoP642/', 'fdfQQ33gdgWfgGoP642'],
  ])('the Location %s names %s', (location, id) => {
    expect(locatedOrderId({ location })).toBe(id);
  });

  it.each(['/api/orders/pay', '/api/orders/', '/api/payments/ab+cd/efGHijKLmnOPqrSTuv'])('the Location %s names none', (location) => {
    expect(locatedOrderId({ location })).toBeUndefined();
  });
});
