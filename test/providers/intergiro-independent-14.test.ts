/**
 * Round fourteen (header written below once the findings are known).
 */
import { describe, expect, it } from 'vitest';
import { INTERGIRO_TEST_BROWSER } from '../support/intergiro.js';
import { useIndependentIntergiro as useRound, type IntergiroVariation } from '../support/independent/intergiro-harness.js';

const useIndependentIntergiro = (variation: IntergiroVariation) => useRound('-14', variation);
const CARD = { paymentType: 'CARD', cardToken: 'tok_ok', browser: INTERGIRO_TEST_BROWSER };
const LINK = { paymentType: 'LINK' };
const codes = (errors: { extensions?: Record<string, unknown> }[] | undefined) => errors?.map((error) => error.extensions?.['code']);

describe.each([
  ['5 s ahead', 5_000],
  ['5 s behind', -5_000],
])('Intergiro, round fourteen: its clock %s, callback tokens with iat / nbf / exp', (_name, clockOffsetMs) => {
  const { context, createOk, settlesAt } = useIndependentIntergiro({ clockOffsetMs, callbackClaims: 'timed' });

  it('a payment link paid is CAPTURED by its callback', async () => {
    const order = await createOk({ ...LINK, charge: true });
    expect(order.status).toBe('CREATED');
    await context.server.payLink(order.providerOrderId!);
    expect(context.server.callbacksSent.at(-1)?.status).toBeLessThan(300);
    const paid = await settlesAt(order.id, 'CAPTURED');
    expect(paid.payments[0]).toMatchObject({ capturedAmount: { amount: '20.00' } });
  });
});

/**
 * A token whose `nbf` is further ahead than two synced clocks can be apart (here 10 minutes) is not
 * believed as it stands: it is refused (401) as an expired one is, and the order it names is read
 * from Intergiro instead, so the change it tells of is not lost.
 */
describe('Intergiro, round fourteen: its clock 10 minutes ahead, callback tokens with iat / nbf / exp', () => {
  const { context, createOk, settlesAt } = useIndependentIntergiro({ clockOffsetMs: 600_000, callbackClaims: 'timed' });

  it('the callback of a paid payment link is refused, and the order read from Intergiro is CAPTURED', async () => {
    const order = await createOk({ ...LINK, charge: true });
    await context.server.payLink(order.providerOrderId!);
    // Refused (401), or held back by the hint throttle (429: the order is re-read when its lease ends).
    expect([401, 429]).toContain(context.server.callbacksSent.at(-1)?.status);
    const paid = await settlesAt(order.id, 'CAPTURED', 10_000);
    expect(paid.payments[0]).toMatchObject({ capturedAmount: { amount: '20.00' } });
  }, 15_000);
});

describe.each([
  ['5 s ahead', 5_000],
  ['5 s behind', -5_000],
])('Intergiro, round fourteen: its clock %s, a refund refused', (_name, clockOffsetMs) => {
  const { context, create, apply, read } = useIndependentIntergiro({ clockOffsetMs, refundsDeclined: true, callbacks: 'none' });

  it('is refused, and the order shows nothing refunded', async () => {
    const made = await create({ ...CARD, charge: true });
    const order = made.data!.createOrder;
    expect(order.status).toBe('CAPTURED');
    const answer = await apply([{ orderId: order.id, events: [{ type: 'REFUND', amount: '5.00' }] }]);
    expect(context.server.order(order.providerOrderId!)).toMatchObject({ refunded: 0 });
    expect(codes(answer.errors)).toEqual(['PROVIDER_REJECTED']);
    expect((await read(order.id)).payments[0]).toMatchObject({ refundedAmount: { amount: '0.00' } });
  }, 15_000);
});

describe.each([
  ['5 s ahead', 5_000],
  ['5 s behind', -5_000],
])('Intergiro, round fourteen: its clock %s, two refunds in one call, the second more than its back office left', (_name, clockOffsetMs) => {
  const { context, createOk, apply, read } = useIndependentIntergiro({ clockOffsetMs, callbacks: 'none' });

  it('the second is refused; the order shows what Intergiro refunded', async () => {
    const order = await createOk({ ...CARD, charge: true });
    expect(order.status).toBe('CAPTURED');
    context.server.refundBehind(order.providerOrderId!, 1500);
    const answer = await apply([{ orderId: order.id, events: [{ type: 'REFUND', amount: '2.00' }, { type: 'REFUND', amount: '4.00' }] }]);
    expect(context.server.order(order.providerOrderId!)).toMatchObject({ refunded: 1700 });
    expect(codes(answer.errors)).toEqual(['PROVIDER_REJECTED']);
    expect((await read(order.id)).payments[0]).toMatchObject({ refundedAmount: { amount: '17.00' } });
  }, 15_000);
});

describe('Intergiro, round fourteen: every time its own zone\'s wall clock, without a zone, a refund refused', () => {
  const { context, create, apply, read } = useIndependentIntergiro({ createdFormat: 'local-behind', eventDatesAs: 'local-behind', refundsDeclined: true, callbacks: 'none' });

  it('is refused, and the order shows nothing refunded', async () => {
    const made = await create({ ...CARD, charge: true });
    const order = made.data!.createOrder;
    expect(order.status).toBe('CAPTURED');
    const answer = await apply([{ orderId: order.id, events: [{ type: 'REFUND', amount: '5.00' }] }]);
    expect(context.server.order(order.providerOrderId!)).toMatchObject({ refunded: 0 });
    expect(codes(answer.errors)).toEqual(['PROVIDER_REJECTED']);
    expect((await read(order.id)).payments[0]).toMatchObject({ refundedAmount: { amount: '0.00' } });
  }, 15_000);
});

describe('Intergiro, round fourteen: every time its own zone\'s wall clock, without a zone, two refunds in one call, the second more than its back office left', () => {
  const { context, createOk, apply, read } = useIndependentIntergiro({ createdFormat: 'local-behind', eventDatesAs: 'local-behind', callbacks: 'none' });

  it('the second is refused; the order shows what Intergiro refunded', async () => {
    const order = await createOk({ ...CARD, charge: true });
    expect(order.status).toBe('CAPTURED');
    context.server.refundBehind(order.providerOrderId!, 1500);
    const answer = await apply([{ orderId: order.id, events: [{ type: 'REFUND', amount: '2.00' }, { type: 'REFUND', amount: '4.00' }] }]);
    expect(context.server.order(order.providerOrderId!)).toMatchObject({ refunded: 1700 });
    expect(codes(answer.errors)).toEqual(['PROVIDER_REJECTED']);
    expect((await read(order.id)).payments[0]).toMatchObject({ refundedAmount: { amount: '17.00' } });
  }, 15_000);
});
