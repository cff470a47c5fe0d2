import { expect, it } from 'vitest';
import { CREATE_ORDER, type OrderView } from '../documents.js';
import { gql, gqlOk } from '../graphql.js';
import type { IndependentPeiOptions } from './pei-server.js';
import { createPastListingLag, PEI_BUYER_SSN, type independentPeiHarness } from './pei-harness.js';

/** What the gateway shows as captured, over all of the order's payments, in whole krónur. */
const captured = (order: OrderView): number => order.payments.reduce((sum, payment) => sum + Number(payment.capturedAmount?.amount ?? 0), 0);

const buyer = { name: 'Jón Þórsson', email: 'jon@example.is', nationalId: PEI_BUYER_SSN, phone: '1234567' };
const items = [{ code: 'LOPI', name: 'Lopapeysa, grá', quantity: 2, unit: 'stk.', unitPrice: '2500', amount: '5000' }];

/**
 * The paths an Icelandic client reference (`Pöntun-þæð-<tag>`: letters of one byte in ISO-8859-1
 * and two in UTF-8) must survive at a Pei whose charsets `variation` sets (rounds seventeen and
 * eighteen): a one-off order paid by the buyer, and an Orders/Pay and a Recurring charge whose
 * answers were lost, found in the listing past its lag (the buyer or the mandate charged once).
 * Registers the three tests in the calling describe; `harness` is that suite's.
 */
export function icelandicChargePaths(harness: ReturnType<typeof independentPeiHarness>, variation: Partial<IndependentPeiOptions>): void {
  const { gatewayFor, untilAt, oneOff, purchase, recurring } = harness;
  /** The reference, and the POSTs to `path` Pei received under it however Pei decoded it (counted by its ASCII tag). */
  const icelandic = () => {
    const tag = Math.random().toString(36).slice(2, 10);
    const { pei } = harness.parts;
    return {
      reference: `Pöntun-þæð-${tag}`,
      posts: (path: string) => pei.calls.filter((call) => call.method === 'POST' && call.path === path && String((call.body as { reference?: unknown } | undefined)?.reference ?? '').endsWith(tag)),
      made: () => [...pei.orders.values()].filter((order) => String(order.reference ?? '').endsWith(tag)),
    };
  };

  it('a one-off order with Icelandic names the buyer pays becomes CAPTURED (postback and reads)', async () => {
    const gateway = await gatewayFor(variation);
    try {
      const ref = icelandic();
      const order = (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: oneOff({ reference: ref.reference, buyer, items }) }, harness.parts.shop)).createOrder;
      expect(order.reference).toBe(ref.reference);
      expect((await harness.parts.pei.confirm(order.providerOrderId!))?.status).toBe(200);
      expect(captured(await untilAt(gateway, order.id, 'CAPTURED'))).toBe(5000);
    } finally {
      await gateway.close();
    }
  });

  it('an Orders/Pay under an Icelandic reference whose answer was lost (500), retried past the listing lag: found and CAPTURED, the buyer charged once', async () => {
    const gateway = await gatewayFor(variation);
    try {
      const { pei, merchant } = harness.parts;
      pei.purchaseAccess.add(PEI_BUYER_SSN);
      const ref = icelandic();
      const input = purchase({ reference: ref.reference, buyer, items, idempotencyKey: `icelandic-pay-${Math.random()}` });
      pei.loseNextAnswer('/api/orders/pay', 500);
      const first = await gql<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input }, merchant);
      if (first.errors) expect(first.errors[0]?.extensions?.['code']).toBe('PROVIDER_UNAVAILABLE');
      const retry = await createPastListingLag(gateway.url, input, merchant);
      expect(ref.posts('/api/orders/pay')).toHaveLength(1);
      expect(ref.made()).toHaveLength(1);
      expect(retry.errors).toBeUndefined();
      expect(retry.data!.createOrder.status).toBe('CAPTURED');
      expect(captured(retry.data!.createOrder)).toBe(5000);
    } finally {
      await gateway.close();
    }
  });

  it('a Recurring charge under an Icelandic reference whose answer was lost (500), retried past the listing lag: the mandate is charged once', async () => {
    const gateway = await gatewayFor(variation);
    try {
      const { pei, merchant } = harness.parts;
      const ref = icelandic();
      const input = recurring({ reference: ref.reference, buyer, items, idempotencyKey: `icelandic-recurring-${Math.random()}` });
      pei.loseNextAnswer('/api/orders', 500);
      const first = await gql<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input }, merchant);
      if (first.errors) expect(first.errors[0]?.extensions?.['code']).toBe('PROVIDER_UNAVAILABLE');
      const retry = await createPastListingLag(gateway.url, input, merchant);
      expect(ref.posts('/api/orders')).toHaveLength(1);
      expect(ref.made()).toHaveLength(1);
      expect(retry.errors).toBeUndefined();
      expect(captured(await untilAt(gateway, retry.data!.createOrder.id, 'CAPTURED'))).toBe(5000);
    } finally {
      await gateway.close();
    }
  });
}
