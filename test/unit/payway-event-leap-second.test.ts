import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { verifiedEventText } from '../../src/providers/payway/event-signature.js';

/**
 * Round twenty-six: a timed event signature ("<timestamp>.<body>", the time in
 * `X-Payway-Timestamp`) signed during a leap second. Only a clock set to one can test it, so the
 * gateway's clock is injected here (the independent tests sign at the machine's now).
 */
describe('a timed HMAC signed at a leap second (23:59:60) or written as asctime', () => {
  const SECRET = 'leap-secret';
  const body = JSON.stringify({ event: 'order_closed', merchant_reference: 'campaign-leap' });
  const request = (timestamp: string, secret = SECRET) => ({
    headers: {
      'content-type': 'application/json',
      'x-payway-timestamp': timestamp,
      'x-payway-signature': `sha256=${createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex')}`,
    },
    body: Buffer.from(body),
    query: new URLSearchParams(),
  });
  /** Half a second after the leap second 2016-12-31T23:59:60Z. */
  const NEW_YEAR = new Date(Date.UTC(2017, 0, 1, 0, 0, 0, 500));

  it.each([
    ['ISO 8601 in UTC', '2016-12-31T23:59:60Z'],
    ['ISO 8601 with a fraction', '2016-12-31T23:59:60.250Z'],
    ["Stockholm's wall clock, no zone", '2017-01-01T00:59:60'],
    ['an HTTP date', 'Sat, 31 Dec 2016 23:59:60 GMT'],
    ['asctime', 'Sat Dec 31 23:59:60 2016'],
  ])('%s (%s): the event is proved', async (_what, timestamp) => {
    await expect(verifiedEventText(request(timestamp), SECRET, NEW_YEAR)).resolves.toBe(body);
  });

  it('still a replay ten minutes later, and another secret is still refused', async () => {
    await expect(verifiedEventText(request('2016-12-31T23:59:60Z'), SECRET, new Date(NEW_YEAR.getTime() + 10 * 60_000))).rejects.toThrow(/too long ago/);
    await expect(verifiedEventText(request('2016-12-31T23:59:60Z', `${SECRET}-not`), SECRET, NEW_YEAR)).rejects.toThrow();
  });
});
