/**
 * How a pending operation (an order change sent whose answer never came) is resolved from the
 * provider's figures: settled as done when they show it (its request key remembered, so a retry
 * answers the order), kept while they do not, dropped as not done after the bound or once the
 * order is final without it.
 */
import { describe, expect, it } from 'vitest';
import type { Order, Payment } from '../../src/domain/order.js';
import { intentsOf, PENDING_OPERATION_BOUND_MS, refuseWhilePending, resolvePending, withPending, withUnshownInfos } from '../../src/domain/orders/pending-operations.js';
import { makeOrder } from '../support/orders.js';

const EUR = (minor: number) => ({ currency: 'EUR', minor });
const payment = (captured: number, refunded = 0): Payment => ({
  id: 'p1',
  method: 'card',
  status: captured ? 'CAPTURED' : 'AUTHORIZED',
  amount: EUR(1000),
  capturedAmount: EUR(captured),
  refundedAmount: EUR(refunded),
});
const at = new Date('2026-12-03T10:00:00Z');
const later = (ms: number) => new Date(at.getTime() + ms);

/** An authorized 10.00 order with a pending capture of 4.00 under request key `request:k`. */
function withPendingCapture(): Order {
  const order = makeOrder({ status: 'AUTHORIZED', payments: [payment(0)] });
  return { ...order, pendingOperations: intentsOf(order, [{ type: 'CAPTURE', amount: EUR(400), requestKey: 'request:k' }], at) };
}

describe('pending operations', () => {
  it('count against the bounds: the order is checked as if they were done', () => {
    expect(withPending(withPendingCapture()).payments[0]?.capturedAmount).toEqual(EUR(400));
  });

  it('are settled as done when the provider shows them, and the request key is remembered', () => {
    const shown = { ...withPendingCapture(), payments: [payment(400)] };
    const resolved = resolvePending(shown, later(1000));
    expect(resolved?.pendingOperations).toEqual([]);
    expect(resolved?.seenKeys).toContain('request:k');
  });

  it('stay pending while the provider does not show them, within the bound', () => {
    expect(resolvePending(withPendingCapture(), later(PENDING_OPERATION_BOUND_MS - 1))).toBeNull();
  });

  it('are dropped as not done after the bound, or once the order is final without them', () => {
    const expired = resolvePending(withPendingCapture(), later(PENDING_OPERATION_BOUND_MS + 1));
    expect(expired?.pendingOperations).toEqual([]);
    expect(expired?.seenKeys).not.toContain('request:k');
    const cancelled = resolvePending({ ...withPendingCapture(), status: 'CANCELLED' }, later(1000));
    expect(cancelled?.pendingOperations).toEqual([]);
  });

  it('a refund is recognised by the refunded figure it leads to', () => {
    const captured = makeOrder({ status: 'CAPTURED', payments: [payment(1000)] });
    const order = { ...captured, pendingOperations: intentsOf(captured, [{ type: 'REFUND', amount: EUR(300) }], at) };
    expect(resolvePending({ ...order, payments: [payment(1000, 200)] }, later(1000))).toBeNull();
    expect(resolvePending({ ...order, payments: [payment(1000, 300)] }, later(1000))?.pendingOperations).toEqual([]);
  });

  it('one the provider\'s reads cannot show (its adapter says so) is kept unshown past the bound: not counted, its key refused for good, an Info names it', () => {
    const expired = resolvePending(withPendingCapture(), later(PENDING_OPERATION_BOUND_MS + 1), () => false);
    expect(expired?.pendingOperations).toEqual([]);
    expect(expired?.unshownOperations).toMatchObject([{ type: 'CAPTURE', requestKey: 'request:k' }]);
    expect(expired?.seenKeys).not.toContain('request:k');
    expect(withPending(expired!).payments[0]?.capturedAmount).toEqual(EUR(0));
    expect(() => refuseWhilePending(expired!, 'request:k')).toThrow(expect.objectContaining({ code: 'PROVIDER_UNAVAILABLE' }));
    expect(() => refuseWhilePending(expired!, 'request:other')).not.toThrow();
    const told = withUnshownInfos(expired!);
    expect(told?.creation.infos.map((info) => info.code)).toEqual(['provider.outcome_unshown']);
    expect(withUnshownInfos(told!)).toBeNull();
    // Within the bound, or where the reads would show it, nothing changes from before.
    expect(resolvePending(withPendingCapture(), later(PENDING_OPERATION_BOUND_MS - 1), () => false)).toBeNull();
    expect(resolvePending(withPendingCapture(), later(PENDING_OPERATION_BOUND_MS + 1), () => true)?.unshownOperations).toBeUndefined();
  });
});
