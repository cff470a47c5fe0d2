import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { backoffDelayMs, backoffWindowMs } from '../../src/providers/resilience/backoff.js';

const settings = { baseMs: 100, capMs: 1000 };

describe('full-jitter backoff', () => {
  it('doubles the window per retry from the base, up to the cap', () => {
    expect([1, 2, 3, 4, 5, 6].map((retry) => backoffWindowMs(retry, settings))).toEqual([100, 200, 400, 800, 1000, 1000]);
    expect(backoffWindowMs(5000, settings)).toBe(1000);
  });

  it('waits anywhere in [0, window): the lowest and the highest random give the ends', () => {
    expect(backoffDelayMs(3, settings, () => 0)).toBe(0);
    expect(backoffDelayMs(3, settings, () => 0.999999)).toBe(399);
    expect(backoffDelayMs(3, settings, () => 0.5)).toBe(200);
  });

  it('never leaves the window, whatever the retry and the random draw', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100 }), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (retry, draw) => {
        const delay = backoffDelayMs(retry, settings, () => draw);
        return Number.isInteger(delay) && delay >= 0 && delay < Math.max(1, backoffWindowMs(retry, settings));
      }),
    );
  });

  it('spreads real draws over the window instead of bunching at its end', () => {
    const delays = Array.from({ length: 2000 }, () => backoffDelayMs(4, settings));
    expect(Math.min(...delays)).toBeLessThan(100);
    expect(Math.max(...delays)).toBeGreaterThan(700);
    expect(Math.max(...delays)).toBeLessThan(800);
  });

  it('refuses a retry number that is not a whole number from 1', () => {
    expect(() => backoffWindowMs(0, settings)).toThrow(RangeError);
    expect(() => backoffWindowMs(1.5, settings)).toThrow(RangeError);
  });
});
