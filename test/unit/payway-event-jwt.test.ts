import { describe, expect, it } from 'vitest';
import { jwtTimesHold, numericDate } from '../../src/providers/payway/event-jwt.js';

// Round twenty-one (payway-independent-21.test.ts): a JWT event's times read as a signer may
// write them, held to five minutes either way.
describe('Payway JWT event times (event-jwt.ts)', () => {
  const now = 1_800_000_000;

  it.each([
    [now, now],
    [`${now}`, now],
    [' 1800000000 ', now],
    [now + 0.5, now + 0.5],
    [now * 1000, now],
    [`${now * 1000}`, now],
  ])('numericDate(%j) is %s', (written, seconds) => expect(numericDate(written)).toBe(seconds));

  it.each([['2027-01-15T08:00:00Z'], [-1], [''], [null], [true], [1e21], ['18e8']])('numericDate(%j) is no time', (written) => expect(numericDate(written)).toBeUndefined());

  it.each([
    ['no times', {}, true],
    ['nbf 299 s ahead', { nbf: now + 299 }, true],
    ['nbf 301 s ahead', { nbf: now + 301 }, false],
    ['exp 299 s past', { exp: now - 299 }, true],
    ['exp 300 s past', { exp: now - 300 }, false],
    ['exp in milliseconds, 10 minutes past', { exp: (now - 600) * 1000 }, false],
    ['iat an hour ago, no exp (no window to hold it to)', { iat: now - 3600 }, true],
    ['iat written as a date text', { iat: '2027-01-15T08:00:00Z' }, false],
    ['exp written as a date text', { exp: '2027-01-15T08:00:00Z' }, false],
  ] as const)('%s: %s', (_how, claims, holds) => expect(jwtTimesHold(claims, now)).toBe(holds));
});
