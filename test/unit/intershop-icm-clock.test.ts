import { describe, expect, it } from 'vitest';
import { icmClockBehindMs } from '../../src/providers/intershop/icm-clock.js';

// Round seventeen (test/providers/intershop-independent-17): how far ICM's clock is behind, as its `Date` header says.
describe('icmClockBehindMs', () => {
  const at = Date.parse('2026-12-07T10:20:30.600Z');

  it('is the gateway\'s time less the header\'s: an upper bound (whole seconds cut down, the answer\'s travel)', () => {
    expect(icmClockBehindMs('Mon, 07 Dec 2026 10:10:30 GMT', at)).toBe(10 * 60 * 1000 + 600);
    expect(icmClockBehindMs('Mon, 07 Dec 2026 10:20:30 GMT', at)).toBe(600);
  });

  it('is 0 for a clock ahead, a missing header or one that is no date (the window is never narrowed)', () => {
    expect(icmClockBehindMs('Mon, 07 Dec 2026 10:30:30 GMT', at)).toBe(0);
    expect(icmClockBehindMs('', at)).toBe(0);
    expect(icmClockBehindMs('  ', at)).toBe(0);
    expect(icmClockBehindMs('yesterday', at)).toBe(0);
  });

  it('reads the obsolete forms HTTP still accepts (RFC 850; asctime, GMT without saying so, whatever the gateway\'s own zone)', () => {
    expect(icmClockBehindMs('Monday, 07-Dec-26 10:10:30 GMT', at)).toBe(10 * 60 * 1000 + 600);
    expect(icmClockBehindMs('Mon Dec  7 10:10:30 2026', at)).toBe(10 * 60 * 1000 + 600);
  });
});
