/**
 * Round five against the independent Dintero (test/support/independent/dintero-server.ts): money
 * that moves at Dintero without the gateway (its back office, an authorization voided when it
 * expires), then the gateway's next call on the order.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/app.js';
import { independentDinteroHarness } from '../support/independent/dintero-harness.js';
import type { IndependentDintero, IndependentDinteroOptions } from '../support/independent/dintero-server.js';

const NO_CALLBACK: IndependentDinteroOptions['callback'] = { how: 'none', ids: 'both', extras: false, copies: 0, delayMs: 0 };

describe('Dintero adapter against an independent implementation of the seed, round five', () => {
  const harness = independentDinteroHarness('-5');
  const { setUp, create, read, apply, reaches } = harness;

  describe.each([
    ['full transactions with events', { transaction: 'full', events: true }],
    ['bare {id, status} transactions', { transaction: 'minimal' }],
  ] as const)('money moved at Dintero without the gateway, %s', (_name, variation) => {
    let dintero: IndependentDintero;
    let gateway: Gateway;
    beforeAll(async () => {
      ({ dintero, gateway } = await setUp({ ...variation, callback: NO_CALLBACK }));
    });
    afterAll(() => dintero?.close());

    const authorized = async () => {
      const order = await create(gateway);
      const transactionId = await dintero.pay(dintero.latestSessionId());
      await reaches(gateway, order.id, 'AUTHORIZED');
      return { order, transactionId };
    };

    it('an authorization voided at Dintero (expired): the capture is refused, and the order then shows CANCELLED', async () => {
      const { order, transactionId } = await authorized();
      dintero.outside(transactionId, 'void');
      const capture = await apply(gateway, order.id, [{ type: 'CAPTURE' }]);
      expect(capture.errors?.[0]?.extensions?.['code']).toBe('PROVIDER_REJECTED');
      expect((await read(gateway, order.id)).status).toBe('CANCELLED');
    });

    it('an order captured in Dintero\'s back office: the capture is refused, and the order then shows it CAPTURED', async () => {
      const { order, transactionId } = await authorized();
      dintero.outside(transactionId, 'capture');
      const capture = await apply(gateway, order.id, [{ type: 'CAPTURE' }]);
      expect(capture.errors?.[0]?.extensions?.['code']).toBe('PROVIDER_REJECTED');
      expect(await read(gateway, order.id)).toMatchObject({ status: 'CAPTURED', payments: [{ capturedAmount: { amount: '498.00' } }] });
    });

    it('an order refunded in Dintero\'s back office after the gateway captured it: the refund is refused, and the order then shows it REFUNDED', async () => {
      const { order, transactionId } = await authorized();
      expect((await apply(gateway, order.id, [{ type: 'CAPTURE' }])).errors).toBeUndefined();
      dintero.outside(transactionId, 'refund');
      const refund = await apply(gateway, order.id, [{ type: 'REFUND' }]);
      expect(refund.errors?.[0]?.extensions?.['code']).toBe('PROVIDER_REJECTED');
      expect(await read(gateway, order.id)).toMatchObject({ status: 'REFUNDED' });
      expect(dintero.operationsOn(transactionId)).toEqual({ capture: 1, refund: 1, void: 0 });
    });

    it('an authorization voided at Dintero: the cancel that Dintero refuses leaves the order CANCELLED', async () => {
      const { order, transactionId } = await authorized();
      dintero.outside(transactionId, 'void');
      const cancel = await apply(gateway, order.id, [{ type: 'CANCEL' }]);
      expect((await read(gateway, order.id)).status).toBe('CANCELLED');
    });
  });
});
