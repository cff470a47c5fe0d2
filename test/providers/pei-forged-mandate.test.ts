/**
 * Security probe two (found by reading): a forged Pei postback handing its sender someone else's
 * mandate. The gateway notes each mandate's first owner (charge-without-buyer.ts): a RECURRING
 * charge on a mandate noted as issued on the caller's own order needs `orders:create` only. Where
 * Pei's reads leave a confirmed First order's `mandateId` out (the seed's Order.MandateId is null
 * unless Recurring), the mandate is taken from the postback; an unsigned one (to the bare
 * `/webhooks/pei`, not the URL the gateway signed for the order) naming a victim's mandate beside
 * the sender's own confirmed order made the sender that mandate's owner, free to charge it with a
 * browser token. Now the mandate is taken only from a postback to the signed URL.
 */
import { describe, expect, it } from 'vitest';
import { CREATE_ORDER, type OrderView } from '../support/documents.js';
import { tokenFor } from '../support/gateway.js';
import { gql, gqlOk } from '../support/graphql.js';
import { independentPeiHarness } from '../support/independent/pei-harness.js';

describe('Pei: a forged postback naming another buyer\'s mandate', () => {
  const harness = independentPeiHarness('-forged-mandate');
  const { parts, oneOff, gatewayFor, untilAt } = harness;
  const subscription = { startDate: '2027-01-05', frequency: 'MONTH', frequencyInterval: 1, cycles: 12 };

  it('gives its sender neither the mandate nor a charge on it with orders:create alone', async () => {
    // Reads without mandateId (omitOptional), and Pei's own postbacks not delivered: the victim's
    // mandate is noted for nobody, and the attacker's order is confirmed only by Pei's read.
    const gateway = await gatewayFor({ omitOptional: true, sendPostback: false }, { reconcileIntervalMs: 60_000 });
    try {
      const { pei } = parts;
      const victim = await tokenFor('orders:create', 'victim-shop-forged-mandate');
      const attacker = await tokenFor('orders:create', 'attacker-forged-mandate');
      const victimFirst = (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: oneOff({ pei: { sequenceType: 'FIRST', subscription } }) }, victim)).createOrder;
      await pei.confirm(victimFirst.providerOrderId!);
      const victimMandate = pei.orders.get(victimFirst.providerOrderId!)!.mandateId!;
      expect(victimMandate).toBeTruthy();

      const own = (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: oneOff({ pei: { sequenceType: 'FIRST', subscription } }) }, attacker)).createOrder;
      await pei.confirm(own.providerOrderId!);
      const purchaseId = pei.orders.get(own.providerOrderId!)!.purchaseId;
      const forged = await fetch(`${gateway.url}/webhooks/pei`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ orderId: own.providerOrderId, purchaseId, mandateId: victimMandate }),
      });
      expect(forged.status).toBeLessThan(300);
      const confirmed = await untilAt(gateway, own.id, 'CAPTURED');
      expect(confirmed.payments[0]?.mandateId ?? null).not.toBe(victimMandate);

      const charge = await gql<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: oneOff({ returnUrls: null, pei: { sequenceType: 'RECURRING', mandateId: victimMandate } }) }, attacker);
      expect(charge.errors?.map((error) => error.extensions?.['code'])).toEqual(['FORBIDDEN']);
      expect([...pei.orders.values()].filter((order) => order.mandateId === victimMandate && order.sequenceType === 'Recurring')).toHaveLength(0);
    } finally {
      await gateway.close();
    }
  });
});
