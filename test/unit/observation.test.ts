import { describe, expect, it } from 'vitest';
import { applyObservation, type ProviderObservation } from '../../src/domain/observation.js';
import type { Order, Payment } from '../../src/domain/order.js';
import type { OrderStatus } from '../../src/domain/status.js';
import { checkOrderChange, projectOrderChange } from '../../src/domain/order-events.js';
import { GatewayError } from '../../src/domain/errors.js';
import { changesBetween } from '../../src/store/changes.js';
import { makeOrder } from '../support/orders.js';

const EUR = (minor: number) => ({ currency: 'EUR', minor });
const payment = (status: Payment['status'], captured = 0, refunded = 0): Payment => ({
  id: 'p1',
  method: 'card',
  status,
  amount: EUR(1000),
  capturedAmount: EUR(captured),
  refundedAmount: EUR(refunded),
});
const fact = (key: string, status: OrderStatus, payments?: Payment[]): ProviderObservation => ({
  key,
  type: status.toLowerCase(),
  status,
  providerStatus: status.toLowerCase(),
  ...(payments ? { payments } : {}),
});
const at = '2026-11-22T10:00:00.000Z';

function apply(order: Order, ...facts: ProviderObservation[]): Order {
  return facts.reduce((current, next) => applyObservation(current, next, 'WEBHOOK', at) ?? current, order);
}

describe('applying provider facts', () => {
  it('records a status change as the next event with its previous status', () => {
    const order = apply(makeOrder(), fact('a', 'AUTHORIZED', [payment('AUTHORIZED')]));
    expect(order.status).toBe('AUTHORIZED');
    expect(order.events.at(-1)).toMatchObject({ id: '2', status: 'AUTHORIZED', previousStatus: 'CREATED', source: 'WEBHOOK' });
  });

  it('changes nothing for a fact applied before (duplicate delivery)', () => {
    const once = apply(makeOrder(), fact('a', 'AUTHORIZED', [payment('AUTHORIZED')]));
    expect(applyObservation(once, fact('a', 'AUTHORIZED', [payment('AUTHORIZED')]), 'WEBHOOK', at)).toBeNull();
  });

  it('records a late, older fact in the history without moving the status back', () => {
    const captured = apply(makeOrder(), fact('a', 'AUTHORIZED', [payment('AUTHORIZED')]), fact('c', 'CAPTURED', [payment('CAPTURED', 1000)]));
    const late = apply(captured, fact('late-authorized', 'AUTHORIZED', [payment('AUTHORIZED')]));
    expect(late.status).toBe('CAPTURED');
    expect(late.events.at(-1)).toMatchObject({ type: 'authorized', status: 'CAPTURED', previousStatus: 'CAPTURED' });
    expect(late.payments[0]?.capturedAmount.minor).toBe(1000);
    // ... and sends nothing: a message CAPTURED -> CAPTURED would be no change (CONTRACT §2).
    expect(changesBetween(captured, late)).toEqual([]);
    expect(changesBetween(makeOrder(), captured).map((change) => change.status)).toEqual(['AUTHORIZED', 'CAPTURED']);
  });

  it('a fact restating what was captured replaces a figure read too high, and the change is sent; others only raise it', () => {
    const charged = (minor: number): Payment => ({ ...payment('CAPTURED', minor), amount: EUR(minor) });
    const read = apply(makeOrder(), fact('read', 'CAPTURED', [charged(1000)]));
    expect(apply(read, fact('lower', 'CAPTURED', [charged(600)])).payments[0]?.capturedAmount.minor).toBe(1000);
    const restated = apply(read, { ...fact('stated', 'CAPTURED', [charged(600)]), restatesCaptured: true });
    expect(restated.payments[0]).toMatchObject({ amount: EUR(600), capturedAmount: EUR(600) });
    expect(restated.status).toBe('CAPTURED');
    expect(changesBetween(read, restated).map((change) => change.status)).toEqual(['CAPTURED']);
  });

  it('a fact that covers other keys makes those facts repeats when they come later', () => {
    const stated = apply(makeOrder(), { ...fact('stated', 'CAPTURED', [payment('CAPTURED', 600)]), covers: ['read'] });
    expect(applyObservation(stated, fact('read', 'CAPTURED', [payment('CAPTURED', 1000)]), 'RECONCILIATION', at)).toBeNull();
  });

  it('does not record a re-read that lags behind what the gateway already knows', () => {
    const captured = apply(makeOrder(), fact('a', 'AUTHORIZED', [payment('AUTHORIZED')]), fact('c', 'CAPTURED', [payment('CAPTURED', 1000)]));
    const polled = applyObservation(captured, fact('poll-old', 'AUTHORIZED', [payment('AUTHORIZED')]), 'RECONCILIATION', at);
    expect(polled?.events).toEqual(captured.events);
    expect(polled?.status).toBe('CAPTURED');
  });

  it('keeps what a later read adds to a payment (the method\'s display name) although the status stays', () => {
    const authorized = apply(makeOrder(), fact('a', 'AUTHORIZED', [payment('AUTHORIZED')]));
    const named = apply(authorized, fact('a-with-payments', 'AUTHORIZED', [{ ...payment('AUTHORIZED'), methodName: 'Visa' }]));
    expect(named.payments[0]?.methodName).toBe('Visa');
    expect(named.status).toBe('AUTHORIZED');
  });

  it('a confirmation of a refund already recorded adds no event (no PARTIALLY_REFUNDED -> PARTIALLY_REFUNDED message) but keeps its provider word', () => {
    const captured = apply(makeOrder(), fact('a', 'AUTHORIZED', [payment('AUTHORIZED')]), fact('c', 'CAPTURED', [payment('CAPTURED', 1000)]));
    const refunded = apply(captured, fact('r', 'PARTIALLY_REFUNDED', [payment('PARTIALLY_REFUNDED', 1000, 400)]));
    const confirmed = apply(refunded, { ...fact('r-callback', 'PARTIALLY_REFUNDED', [payment('PARTIALLY_REFUNDED', 1000, 400)]), providerStatus: 'refunded' });
    expect(confirmed.events).toEqual(refunded.events);
    expect(confirmed).toMatchObject({ status: 'PARTIALLY_REFUNDED', providerStatus: 'refunded' });
    // A second refund is a real change: its amount moves.
    const again = apply(confirmed, fact('r2', 'PARTIALLY_REFUNDED', [payment('PARTIALLY_REFUNDED', 1000, 500)]));
    expect(again.events.at(-1)).toMatchObject({ status: 'PARTIALLY_REFUNDED', previousStatus: 'PARTIALLY_REFUNDED' });
  });

  it('keeps an order open when all that was captured is refunded but the provider says authorization is left', () => {
    const partly = apply(makeOrder(), fact('a', 'AUTHORIZED', [payment('AUTHORIZED')]), fact('c', 'CAPTURED', [payment('CAPTURED', 400)]));
    const open = apply(partly, fact('r', 'PARTIALLY_REFUNDED', [payment('PARTIALLY_REFUNDED', 400, 400)]));
    expect(open.status).toBe('PARTIALLY_REFUNDED');
    const over = apply(partly, fact('r-all', 'REFUNDED', [payment('REFUNDED', 400, 400)]));
    expect(over.status).toBe('REFUNDED');
  });

  it('refines captured and refunded statuses by the amounts', () => {
    const partly = apply(makeOrder(), fact('a', 'AUTHORIZED', [payment('AUTHORIZED')]), fact('c', 'CAPTURED', [payment('CAPTURED', 400)]));
    expect(partly.status).toBe('PARTIALLY_CAPTURED');
    const refunded = apply(partly, fact('r', 'REFUNDED', [payment('PARTIALLY_REFUNDED', 400, 100)]));
    expect(refunded.status).toBe('PARTIALLY_REFUNDED');
    expect(apply(refunded, fact('r2', 'REFUNDED', [payment('REFUNDED', 400, 400)])).status).toBe('REFUNDED');
  });

  it('keeps the status for a word the adapter does not know: the raw word and one Info, however often it is read', () => {
    const authorized = apply(makeOrder(), fact('a', 'AUTHORIZED', [payment('AUTHORIZED')]));
    const odd: ProviderObservation = { key: 'odd', type: 'unknown_status', status: null, provider: 'PEI', providerStatus: 'OnHold' };
    const after = apply(authorized, odd, { ...odd, key: 'odd-again' });
    expect(after.status).toBe('AUTHORIZED');
    expect(after.providerStatus).toBe('OnHold');
    expect(after.creation.infos.filter((info) => info.code === 'provider.unknown_status')).toHaveLength(1);
    expect(after.creation.infos[0]?.message).toContain('"OnHold"');
    // Neither the status nor an amount moved: no event, no subscriber message (CONTRACT §2).
    expect(after.events).toEqual(authorized.events);
    // A known word later moves the order on as usual.
    expect(apply(after, fact('c', 'CAPTURED', [payment('CAPTURED', 1000)])).status).toBe('CAPTURED');
  });

  it('a fact the adapter cannot place (status null with its own Infos) adds those Infos once instead of the unknown word\'s', () => {
    const pending = apply(makeOrder(), fact('p', 'PENDING', [payment('PENDING')]));
    const unplaced: ProviderObservation = { key: 'u', type: 'payment_failure_unplaced', status: null, provider: 'PAYWAY', providerStatus: 'payment_failure', unplaced: [{ code: 'payway.failure_unplaced', message: 'may be either\'s' }] };
    const after = apply(pending, unplaced, { ...unplaced, key: 'u-again' });
    expect(after.status).toBe('PENDING');
    expect(after.creation.infos.map((info) => info.code)).toEqual(['payway.failure_unplaced']);
    expect(after.events).toEqual(pending.events);
  });

  it('converges whatever order two facts arrive in', () => {
    const a = fact('a', 'AUTHORIZED', [payment('AUTHORIZED')]);
    const c = fact('c', 'CAPTURED', [payment('CAPTURED', 1000)]);
    const forward = apply(makeOrder(), a, c);
    const reversed = apply(makeOrder(), c, a);
    expect(reversed.status).toBe(forward.status);
    expect(reversed.payments).toEqual(forward.payments);
  });
});

describe('capture, refund and cancel bounds', () => {
  const authorized = apply(makeOrder(), fact('a', 'AUTHORIZED', [payment('AUTHORIZED')]));
  const codeOf = (run: () => unknown) => {
    try {
      run();
      return 'ok';
    } catch (error) {
      return error instanceof GatewayError ? error.code : 'other';
    }
  };

  it('refuses a capture beyond what is authorized and not yet captured', () => {
    expect(codeOf(() => checkOrderChange(authorized, { type: 'CAPTURE', amount: '10.01' }, 'e'))).toBe('INVALID_STATE');
    const change = checkOrderChange(authorized, { type: 'CAPTURE', amount: '6.00' }, 'e');
    const after = projectOrderChange(authorized, change);
    expect(after.status).toBe('PARTIALLY_CAPTURED');
    expect(codeOf(() => checkOrderChange(after, { type: 'CAPTURE', amount: '4.01' }, 'e'))).toBe('INVALID_STATE');
    expect(checkOrderChange(after, { type: 'CAPTURE' }, 'e').amount).toEqual(EUR(400));
  });

  it('refuses a refund beyond what is captured and not yet refunded, and a cancel after a capture', () => {
    expect(codeOf(() => checkOrderChange(authorized, { type: 'REFUND', amount: '1.00' }, 'e'))).toBe('INVALID_STATE');
    const captured = projectOrderChange(authorized, checkOrderChange(authorized, { type: 'CAPTURE', amount: '5.00' }, 'e'));
    expect(codeOf(() => checkOrderChange(captured, { type: 'REFUND', amount: '5.01' }, 'e'))).toBe('INVALID_STATE');
    expect(codeOf(() => checkOrderChange(captured, { type: 'CANCEL' }, 'e'))).toBe('INVALID_STATE');
    expect(codeOf(() => checkOrderChange(authorized, { type: 'CANCEL' }, 'e'))).toBe('ok');
  });

  it('refuses excess decimals with the field named', () => {
    try {
      checkOrderChange(authorized, { type: 'CAPTURE', amount: '1.005' }, 'input.0.events.0');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(GatewayError);
      expect((error as GatewayError).details.field).toBe('input.0.events.0.amount');
    }
  });
});
