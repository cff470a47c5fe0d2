/**
 * Round fourteen against the Intergiro we did not write (test/support/independent/intergiro-server.ts),
 * for the one thing every earlier round took for granted: that Intergiro's clock is the gateway's.
 * The seed names no clock and shows no time but "<datetime of order>"; its callbacks are "a signed
 * JWT" whose claims it does not show (the example token is cut after `merchant`). Varied:
 * - Intergiro's clock a few seconds off the gateway's (`clockOffsetMs`, ahead or behind; its HTTP
 *   `Date` header by the same clock, as any server writes it), and its callback tokens carrying
 *   iat / nbf / exp by that clock (`callbackClaims` `timed`), as a JWT library sets them; here on a
 *   payment link paid, and 10 minutes ahead (further than two synced clocks are apart);
 * - a refund the acquirer refuses (`refundsDeclined`), or one more than Intergiro's back office
 *   left, in two refunds of one call: Intergiro records the failed Event on the order and its PATCH
 *   answers "the same changes you requested"; the gateway's read back takes a failure as this
 *   PATCH's only where it is dated since the PATCH went (round seven's datedSince, a 2 s margin);
 * - every time Intergiro writes as its own zone's wall clock without a zone (round six's
 *   `createdFormat` `local-behind`, here for its events' `date` too: `eventDatesAs` `local-behind`).
 * Broke, fixed in src/providers/intergiro:
 * - a callback token whose `nbf` was a second or more ahead of the gateway's clock was refused
 *   (jose checks `nbf` with no tolerance): every callback of an Intergiro whose clock ran ahead was
 *   401, a paid link stayed CREATED until a re-read. A genuine token (signature checked) whose
 *   `nbf` is at most 5 minutes ahead is believed now (its `exp` checked); one further ahead is read
 *   as an expired one is, the order it names read from Intergiro (webhook.ts notYetValid). With
 *   the clock behind, the tokens were read already (that case is a control).
 * - a refused refund, dated by Intergiro's clock 5 s ahead or behind, or by a zoneless wall clock,
 *   fell outside "since the PATCH" and the refund was answered done: 5.00 shown refunded where
 *   Intergiro refunded nothing; of two refunds in one call, both answered done where it refused one. An
 *   event's date is now set beside the gateway's times on Intergiro's clock, as its answers' `Date`
 *   header shows it (only what the header's whole second shows for sure, an `Age` counted, five
 *   minutes at most: dates.ts clockAheadOf, client.ts clockAheadMs), and a date without a zone in
 *   the wall clock its order's `created` shows (dates.ts wallClockOffsetOf, echo-read-back.ts
 *   datedSince).
 * Left: an Intergiro whose answers carry no `Date` (or one a proxy writes by another clock) and
 * whose clock is more than 2 s off still has its refused refunds answered done (the echo stands, as
 * for an undated failure); a zoneless wall clock is told only by `created`, so an order made more
 * than a zone's width before the gateway knew of it is read as UTC. Earlier rounds' it.fails stay.
 * The gateway re-reads waiting orders rarely here (reconcileIntervalMs is long), so an order that
 * moves moved because of an answer, a callback or the read a refused callback sets off.
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

/** Intergiro's clock apart from the gateway's: ahead, behind, or its own zone's wall clock written without a zone. */
const CLOCKS_APART = [
  ['its clock 5 s ahead', { clockOffsetMs: 5_000 }],
  ['its clock 5 s behind', { clockOffsetMs: -5_000 }],
  ["every time its own zone's wall clock, without a zone", { createdFormat: 'local-behind', eventDatesAs: 'local-behind' }],
] as const;

describe.each(CLOCKS_APART)('Intergiro, round fourteen: %s, a refund refused', (_name, clock) => {
  const { context, create, apply, read } = useIndependentIntergiro({ ...clock, refundsDeclined: true, callbacks: 'none' });

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

describe.each(CLOCKS_APART)('Intergiro, round fourteen: %s, two refunds in one call, the second more than its back office left', (_name, clock) => {
  const { context, createOk, apply, read } = useIndependentIntergiro({ ...clock, callbacks: 'none' });

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
