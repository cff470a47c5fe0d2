import { describe, expect, it } from 'vitest';
import { MAX_RECONCILE_DELAY_MS, reconcileDelayMs } from '../../src/domain/reconcile-delay.js';

const changedAt = Date.parse('2026-11-22T10:00:00.000Z');
const order = { updatedAt: new Date(changedAt).toISOString() };
const delayAfter = (waitedMs: number) => reconcileDelayMs(order, 2000, changedAt + waitedMs);

describe('how often a waiting order is read again', () => {
  it('every interval while the order changed recently', () => {
    expect(delayAfter(0)).toBe(2000);
    expect(delayAfter(15_000)).toBe(2000);
  });

  it('less often the longer it has waited: a tenth of the wait', () => {
    expect(delayAfter(10 * 60 * 1000)).toBe(60_000);
  });

  it('never more than five minutes apart', () => {
    expect(delayAfter(24 * 60 * 60 * 1000)).toBe(MAX_RECONCILE_DELAY_MS);
  });

  it('a day-long wait costs hundreds of reads, not tens of thousands', () => {
    let reads = 0;
    for (let waited = 0; waited < 24 * 60 * 60 * 1000; waited += delayAfter(waited)) reads++;
    expect(reads).toBeLessThan(1000);
    expect(reads).toBeGreaterThan(250);
  });
});
