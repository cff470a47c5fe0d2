import { describe, expect, it } from 'vitest';
import { acceptedNotDone } from '../../src/providers/intershop/accepted-not-done.js';

describe('a write ICM answered 202 Accepted (round twenty-two)', () => {
  it('is accepted and not carried out yet: its body is not the outcome', () => {
    expect(acceptedNotDone(202)).toBe(true);
    for (const status of [200, 201, 204, 303]) expect(acceptedNotDone(status)).toBe(false);
  });
});
