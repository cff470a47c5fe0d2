/**
 * Round six of the Intershop adapter against an ICM written by other people from the seed alone
 * (test/support/independent/intershop-server.ts): the gateway's recovery paths (a lost answer, a
 * retry with the same key) against an ICM whose reads and listing lag its writes, and what changes
 * at ICM between the gateway's calls. Every suite ends with the harness's money check (no order
 * shows more reserved or captured than ICM holds).
 */
import { describe, expect, it } from 'vitest';
import { icmHarness } from '../support/independent/intershop-harness.js';
import type { IcmServerOptions } from '../support/independent/intershop-server.js';

function harness(options: Partial<IcmServerOptions>) {
  return icmHarness('-6', options);
}

describe('Intershop adapter against an independent ICM whose reads and listing lag its writes by 300 ms, and that fails with a 500 of its own after placing an order', () => {
  const t = harness({ readLagMs: 300 });

  it('a basket paid without a redirect, the POST answered 500 after ICM placed it: the retry at once with the same key finds the order (before: "absent", the basket POSTed again and refused, PROVIDER_REJECTED for an order ICM holds the money of)', async () => {
    const basketId = t.h.icm.addBasket(71, 'USD', { payment: 'direct' });
    const variables = t.input(basketId, { idempotencyKey: `answered-${Math.random()}` });
    t.h.icm.loseNextAnswer('POST', 500);
    expect((await t.create(variables)).errors?.map((error) => error.extensions?.code)).toEqual(['PROVIDER_UNAVAILABLE']);
    const retried = await t.create(variables);
    expect(retried.errors).toBeUndefined();
    expect(retried.data!.createOrder).toMatchObject({ status: 'AUTHORIZED', total: { amount: '71.00' } });
    expect(t.h.icm.calls.filter((call) => call.method === 'POST' && call.body.includes(basketId))).toHaveLength(1);
  });
});
