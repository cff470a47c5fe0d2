/**
 * Round five against the Intergiro we did not write (test/support/independent/intergiro-server.ts),
 * for what happens between the gateway's calls and where the adapter decides "money moved":
 * - a change it cannot carry out recorded the seed's way ("the order will be updated with the
 *   successful or failed Event"): an event `failed`, or the event asked for marked failed, instead
 *   of CONTRACT §8's `{type: "fail", original}`;
 * The gateway re-reads waiting orders rarely here (reconcileIntervalMs is long) unless a suite says
 * otherwise, so an order that moves moved because of an answer or a callback.
 */
import { describe, expect, it } from 'vitest';
import { INTERGIRO_TEST_BROWSER } from '../support/intergiro.js';
import { useIndependentIntergiro as useRound, type IntergiroVariation } from '../support/independent/intergiro-harness.js';

const useIndependentIntergiro = (variation: IntergiroVariation) => useRound('-5', variation);
const CARD = { paymentType: 'CARD', cardToken: 'tok_ok', browser: INTERGIRO_TEST_BROWSER };

/**
 * The seed's Callbacks: "the order will be updated with the successful or failed Event". It shows
 * no event, so an implementer from the seed alone records a change it cannot carry out as the
 * Event asked for, marked failed (`status: "failed"`, `success: false`, or with its Error), or as
 * an event `failed`; the PATCH answer is "the same changes you requested" either way. The adapter
 * knew only CONTRACT §8's `fail`: a capture of an order cancelled at Intergiro was answered
 * CAPTURED (20.00 captured, nothing charged), and the read of the order counted its failed charge
 * as money captured.
 */
describe.each([['failed'], ['status'], ['error'], ['success']] as [IntergiroVariation['failedEventAs']][])(
  'Intergiro, round five: a change it cannot carry out recorded as `%s`',
  (failedEventAs) => {
    const { context, createOk, apply, read } = useIndependentIntergiro({ failedEventAs, callbacks: 'none' });

    it('a capture of an order cancelled at Intergiro is refused, nothing shown captured', async () => {
      const order = await createOk(CARD);
      expect(order.status).toBe('AUTHORIZED');
      context.server.cancelBehind(order.providerOrderId!);
      const answer = await apply([{ orderId: order.id, events: [{ type: 'CAPTURE' }] }]);
      expect(answer.errors?.[0]?.extensions?.['code']).toBe('PROVIDER_REJECTED');
      expect(context.server.order(order.providerOrderId!)).toMatchObject({ charged: 0 });
      const after = await read(order.id);
      expect(after.status).not.toBe('CAPTURED');
      expect(after.payments[0]).toMatchObject({ capturedAmount: { amount: '0.00' } });
    });

    it('a cancel of an order charged at Intergiro is refused, not CANCELLED', async () => {
      const order = await createOk(CARD);
      context.server.chargeBehind(order.providerOrderId!);
      const answer = await apply([{ orderId: order.id, events: [{ type: 'CANCEL' }] }]);
      expect(answer.errors?.[0]?.extensions?.['code']).toBe('PROVIDER_REJECTED');
      expect((await read(order.id)).status).not.toBe('CANCELLED');
    });
  },
);
