/**
 * Round nine against the Intergiro we did not write (test/support/independent/intergiro-server.ts),
 * for two sentences of the seed the first eight rounds did not take word for word:
 * - "an Error will be returned together with the id of the order": an Intergiro that returns just
 *   that, the Error as a field beside the order's id (`{id, error: {status, type, error, content}}`,
 *   `errorShape: 'nested'`), answered 400 or 200;
 * - "It is highly recommended to use the date queries when listing orders": the seed names no date
 *   the range applies to, and an Intergiro may list what changed in it (its last event's day,
 *   `listBy: 'changed'`) rather than what was created in it; here with orders made three days
 *   before they change (a card authorized on Monday, captured on Thursday; a payment link paid days
 *   after it was sent), the gateway's clock set back for the creation.
 * Broke, fixed in src/providers/intergiro: a card needing 3-D Secure under a nested Error was a plain
 * refusal coded "400" (answered 400) or PROVIDER_UNAVAILABLE (answered 200), so it could never be
 * paid, and a decline lost Intergiro's words (wire.ts liftNestedError, read by client.ts); an order
 * that changed days after its creation was never found in the listing of the days around its
 * creation, so a capture of a card order cancelled at Intergiro since was answered CAPTURED (the read
 * back found nothing, the echo stood) and a payment link paid days after it was made, its callback
 * lost, stayed CREATED (index.ts listedOrder: the days around today are asked too).
 * Left (no it.fails): at an Intergiro listing by last change, an order whose last change is neither
 * in its creation's listing days nor in the last day or so (one changed at Intergiro's back office
 * days before the gateway next reads it) is found by neither listing; a lost creation is still found
 * (its creation is its latest change unless something changed it since).
 * The gateway re-reads waiting orders rarely here (reconcileIntervalMs is long), so an order that
 * moves moved because of an answer, a callback or the one re-read a suite says.
 */
import { describe, expect, it } from 'vitest';
import { INTERGIRO_TEST_BROWSER } from '../support/intergiro.js';
import { useIndependentIntergiro as useRound, type IntergiroVariation } from '../support/independent/intergiro-harness.js';

const useIndependentIntergiro = (variation: IntergiroVariation) => useRound('-9', variation);
const CARD = { paymentType: 'CARD', cardToken: 'tok_ok', browser: INTERGIRO_TEST_BROWSER };
const DAYS_AGO = 3;
const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString();

/**
 * The Error beside the order's id, `{id, error: {status: 400, type: "malformed content", error:
 * "verification required", content: {property, details}}}`. Read as CONTRACT §8's flat Error, its
 * `error` was no words and its `content` absent: a card needing 3-D Secure was refused
 * (PROVIDER_REJECTED coded "400", its order's id dropped), or answered 200, an unreadable order
 * (PROVIDER_UNAVAILABLE); a declined card lost the words that say why.
 */
describe.each([
  ['answered 400', {}],
  ['answered 200', { errorsAt200: true }],
] as [string, IntergiroVariation][])('Intergiro, round nine: an Error nested beside the order\'s id, %s', (_name, variation) => {
  const { context, createOk, create, resubmit } = useIndependentIntergiro({ errorShape: 'nested', callbacks: 'none', ...variation });

  it('a card needing 3-D Secure stops for it with the step\'s details, and is AUTHORIZED once verified', async () => {
    const order = await createOk({ ...CARD, cardToken: 'tok_3ds' });
    expect(order).toMatchObject({ status: 'ACTION_REQUIRED', creation: { status: 'STOPPED', stopAction: { type: 'THREE_DS', threeDS: { type: 'method' } } } });
    expect(order.creation.stopAction?.threeDS?.details).toMatchObject({ url: `${context.server.url}/3ds/method` });
    const verified = await resubmit(order.id);
    expect(verified.errors).toBeUndefined();
    expect(verified.data!.continueOrderCreation).toMatchObject({ status: 'AUTHORIZED', providerOrderId: order.providerOrderId });
    // The resubmission went under the id the nested Error carried.
    const posts = context.server.requests.filter((request) => request.method === 'POST' && request.path === '/v1/order');
    expect((posts.at(-1)?.body as { id?: string }).id).toBe(order.providerOrderId);
  });

  it('a declined card is PROVIDER_REJECTED in Intergiro\'s words', async () => {
    const answer = await create({ ...CARD, cardToken: 'tok_declined' });
    expect(answer.errors?.[0]?.extensions).toMatchObject({ code: 'PROVIDER_REJECTED', providerCode: 'malformed content' });
    expect(answer.errors?.[0]?.message).toContain('card declined');
  });
});

/** A gateway clock that can be set back: `back(run)` runs `run` with the gateway DAYS_AGO days in the past. */
function settableClock() {
  let offsetMs = 0;
  return {
    now: () => new Date(Date.now() + offsetMs),
    async back<T>(run: () => Promise<T>): Promise<T> {
      offsetMs = -DAYS_AGO * 86_400_000;
      try {
        return await run();
      } finally {
        offsetMs = 0;
      }
    },
  };
}

/**
 * A listing whose `start` / `end` select by each order's last change. The gateway looked for an
 * order in the listing of the days around its creation only (the day before to two days after):
 * an order made three days before its change was not there, so every read of it found nothing.
 */
describe('Intergiro, round nine: a listing by last change, a card order authorized three days ago', () => {
  const clock = settableClock();
  const { context, createOk, apply, read } = useRound('-9', { listBy: 'changed', callbacks: 'none' }, { now: clock.now });

  /** A card order authorized DAYS_AGO days ago, at the gateway and at Intergiro alike. */
  const authorizedDaysAgo = () =>
    clock.back(async () => {
      const order = await createOk(CARD);
      expect(order.status).toBe('AUTHORIZED');
      const held = context.server.order(order.providerOrderId!)!;
      held.created = daysAgo(DAYS_AGO);
      for (const event of held.event) event['date'] = daysAgo(DAYS_AGO);
      return order;
    });

  it('a capture after Intergiro\'s back office cancelled it is refused, not answered CAPTURED', async () => {
    const order = await authorizedDaysAgo();
    context.server.cancelBehind(order.providerOrderId!);
    const answer = await apply([{ orderId: order.id, events: [{ type: 'CAPTURE' }] }]);
    expect(answer.errors?.map((error) => error.extensions?.['code'])).toEqual(['PROVIDER_REJECTED']);
    const after = await read(order.id);
    expect(after.status).not.toBe('CAPTURED');
    expect(after.payments[0]).toMatchObject({ capturedAmount: { amount: '0.00' } });
    expect(context.server.order(order.providerOrderId!)).toMatchObject({ status: 'cancelled', charged: 0 });
  });

  it('a capture Intergiro carries out is CAPTURED, its figures Intergiro\'s', async () => {
    const order = await authorizedDaysAgo();
    const answer = await apply([{ orderId: order.id, events: [{ type: 'CAPTURE', amount: '12.50' }] }]);
    expect(answer.errors).toBeUndefined();
    expect((await read(order.id)).payments[0]).toMatchObject({ capturedAmount: { amount: '12.50' } });
    expect(context.server.order(order.providerOrderId!)).toMatchObject({ charged: 1250 });
  });
});

/**
 * The same listing, a payment link sent three days ago and paid today, its callback lost. The
 * gateway's re-read (due at once: the link waited three days) looked in the days around its
 * creation, found nothing, and the link stayed CREATED, read again only every five minutes there.
 */
describe('Intergiro, round nine: a listing by last change, a payment link paid three days after it was made', () => {
  const clock = settableClock();
  const { context, createOk, settlesAt } = useRound('-9', { listBy: 'changed', callbacks: 'none' }, { now: clock.now });

  it('the link paid, no callback, is AUTHORIZED by the gateway\'s re-read', async () => {
    const order = await clock.back(async () => {
      const made = await createOk({ paymentType: 'LINK' });
      expect(made.status).toBe('CREATED');
      context.server.setCreated(made.providerOrderId!, daysAgo(DAYS_AGO));
      // Paid before the gateway's clock comes back: its first re-read is then the one that must find it.
      await context.server.payLink(made.providerOrderId!);
      return made;
    });
    await settlesAt(order.id, 'AUTHORIZED', 5000);
  });
});
