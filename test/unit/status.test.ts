import { describe, expect, it } from 'vitest';
import { canTransition, isFinal, laterPaymentStatus, ORDER_STATUSES } from '../../src/domain/status.js';

describe('the order state machine', () => {
  it('moves forward along the happy path', () => {
    expect(canTransition('CREATED', 'ACTION_REQUIRED')).toBe(true);
    expect(canTransition('ACTION_REQUIRED', 'AUTHORIZED')).toBe(true);
    expect(canTransition('AUTHORIZED', 'PARTIALLY_CAPTURED')).toBe(true);
    expect(canTransition('PARTIALLY_CAPTURED', 'CAPTURED')).toBe(true);
    expect(canTransition('CAPTURED', 'PARTIALLY_REFUNDED')).toBe(true);
    expect(canTransition('PARTIALLY_REFUNDED', 'REFUNDED')).toBe(true);
  });

  it('never moves backwards', () => {
    expect(canTransition('CAPTURED', 'AUTHORIZED')).toBe(false);
    expect(canTransition('PENDING', 'CREATED')).toBe(false);
    expect(canTransition('AUTHORIZED', 'PENDING')).toBe(false);
  });

  it('never leaves a final status', () => {
    for (const final of ORDER_STATUSES.filter(isFinal)) {
      for (const to of ORDER_STATUSES) expect(canTransition(final, to)).toBe(false);
    }
  });

  it('cancels only before a capture, fails and expires only before an authorization', () => {
    expect(canTransition('AUTHORIZED', 'CANCELLED')).toBe(true);
    expect(canTransition('PARTIALLY_CAPTURED', 'CANCELLED')).toBe(false);
    expect(canTransition('PENDING', 'FAILED')).toBe(true);
    expect(canTransition('AUTHORIZED', 'FAILED')).toBe(false);
    expect(canTransition('CREATED', 'EXPIRED')).toBe(true);
    expect(canTransition('CAPTURED', 'EXPIRED')).toBe(false);
  });
});

describe('payment statuses', () => {
  it('follow the order: an action comes before a pending outcome, and nothing moves back', () => {
    expect(canTransition('ACTION_REQUIRED', 'PENDING')).toBe(true);
    expect(laterPaymentStatus('ACTION_REQUIRED', 'PENDING')).toBe('PENDING');
    expect(laterPaymentStatus('PENDING', 'ACTION_REQUIRED')).toBe('PENDING');
    expect(laterPaymentStatus('CAPTURED', 'AUTHORIZED')).toBe('CAPTURED');
    expect(laterPaymentStatus('AUTHORIZED', 'VOIDED')).toBe('VOIDED');
  });

  it('money taken is not undone by a late failure or void (refunds are the way back)', () => {
    expect(laterPaymentStatus('PENDING', 'FAILED')).toBe('FAILED');
    expect(laterPaymentStatus('CAPTURED', 'FAILED')).toBe('CAPTURED');
    expect(laterPaymentStatus('CAPTURED', 'VOIDED')).toBe('CAPTURED');
    expect(laterPaymentStatus('PARTIALLY_REFUNDED', 'FAILED')).toBe('PARTIALLY_REFUNDED');
    expect(laterPaymentStatus('CAPTURED', 'REFUNDED')).toBe('REFUNDED');
  });
});
