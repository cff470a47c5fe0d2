/**
 * Round twenty-six against the Intergiro we did not write (test/support/independent/intergiro-server.ts),
 * for round twenty-five's leftover and a paginator no earlier round combined:
 * - round seven's "two partial refunds of 5.00" race, left by round twenty-five as timing-dependent:
 *   the seed's PATCH answer is "the same changes you requested" and says nothing of how long it
 *   takes, so a first refund answered past the gateway's bound (420 ms, `patchAnswerDelaysMs`) is
 *   unknown to it (PROVIDER_UNAVAILABLE, its intent pending) while Intergiro carried it out, and a
 *   second refund of the same order goes 50 ms later and is answered at once. Here made
 *   deterministic: no poller (`pollerDisabled`, re-reads run by hand), so nothing reads Intergiro
 *   between the first answer's loss and the second's echo; with events carrying their amounts,
 *   with reads without events and a status list, and with the poller every 300 ms;
 * - "The response will be an array of orders": the seed shows no paging. Round thirteen paged it by
 *   a `Link` or by `X-Total-Count` alone, round twenty-one had the last page's link wrap; an
 *   Intergiro sending both headers (`listTotalCount`) whose `rel="next"` loops back to page one from
 *   page two on though more pages follow (`listNextLink` `back-early`: a cursor ring cut short, a
 *   page number wrapped modulo the wrong count), on a lost creation's search.
 * Found (run on the adapter before the fix):
 * - the race: the first refund answered PROVIDER_UNAVAILABLE (its intent pending, never sent again),
 *   the second PARTIALLY_REFUNDED, each reaching Intergiro once (10.00 held), and the order showed
 *   5.00 refunded for good, with events and with a status list alike (4 tests). Why a re-read did
 *   not count the first: none came. The second refund's echo is recorded as the gateway's
 *   projection of it onto the stored order (5.00 in all: the first is not counted, its outcome
 *   unknown), and the domain settles a pending intent once the order's figure reaches the one it
 *   expected (domain/orders/pending-operations.ts resolvePending: the first expected 5.00), so
 *   that echo settled the first refund as done without counting it. Nothing was pending, the
 *   order was no longer due for a re-read, and 5.00 stayed. It showed 10.00 only where the
 *   poller's re-read landed between the first answer's loss and the second's echo (the poller
 *   suite passed so before the fix, by timing). The second refund's read back had listed both
 *   refunds; its fact was dropped because the echo's answer stood.
 * - the listing: the walk came back to page one, found it unchanged, and took the listing for
 *   whole (round twenty-two's wrap), though `X-Total-Count` said it held more than the four orders
 *   read: the lost creation on page three was "surely absent" and the retry made, and charged
 *   (charge "auto"), a second order under the same reference.
 * Fixed in src/providers/intergiro:
 * - earlier-unknown-changes.ts withReadOfEarlierUnknown, read by echo-read-back.ts: where an earlier
 *   capture or refund of the order is still pending, a change answered done also records its read
 *   back's fact after the echo's, where the read shows more captured or refunded than the echo:
 *   the order shows the 10.00 Intergiro holds in the second call's own answer. A read never counts
 *   a change it does not show (the control: the first refund dropped before Intergiro, 5.00 shown).
 * - client.ts listOrderPages (the shared listing-headers.ts countsMoreThan): a walk that ends by coming back
 *   (a link to a page asked, a page read again, `[]`) is not whole where the last page read says
 *   by `X-Total-Count` that the range holds more than it carried: the lost creation is unknown
 *   (PROVIDER_UNAVAILABLE, its intent kept), never absent; found on page one (newest first, the
 *   control) it is answered.
 * Left (it.fails): at an Intergiro recording events without amounts the read lists two refunds and
 *   not how much, so 5.00 shows where 10.00 is held (round seven's leftover; telling the second
 *   listed refund for the lost one would be a guess). A `Link` that loops back early with no
 *   `X-Total-Count` is still read as whole.
 * Fixed in the domain: the first refund dropped before it reached Intergiro had its intent settled
 *   as done by the second refund's figure, so its retry under its own key was answered from the
 *   order, nothing sent; a change answered done now raises the expectation of an earlier one of its
 *   kind still pending by its own amount (domain/orders/pending-operations.ts withoutIntents).
 * Earlier rounds' it.fails stay.
 */
import { describe, expect, it } from 'vitest';
import { INTERGIRO_TEST_BROWSER } from '../support/intergiro.js';
import { useIndependentIntergiro as useRound, type IntergiroRoundOptions, type IntergiroVariation } from '../support/independent/intergiro-harness.js';
import type { IntergiroServer } from '../support/independent/intergiro-server.js';
import { sleep } from '../support/test-time.js';

const useIndependentIntergiro = (variation: IntergiroVariation, setup?: IntergiroRoundOptions) => useRound('-26', variation, setup);
const CARD = { paymentType: 'CARD', cardToken: 'tok_ok', browser: INTERGIRO_TEST_BROWSER };
const codes = (errors: { extensions?: Record<string, unknown> }[] | undefined) => errors?.map((error) => error.extensions?.['code']);
const patchesOf = (server: IntergiroServer) => server.requests.filter((request) => request.method === 'PATCH').length;
const refundsSentTo = (server: IntergiroServer, id: string) =>
  server.requests
    .filter((request) => request.method === 'PATCH' && Array.isArray(request.body))
    .flatMap((request) => (request.body as { id: string; event: { type: string }[] }[]).filter((element) => element.id === id).flatMap((element) => element.event))
    .filter((event) => event.type === 'refund').length;
/** The refunded figure an order view shows, in minor units. */
const refundedShown = (order: { payments: { refundedAmount: { amount: string } }[] }) => Math.round(Number(order.payments[0]!.refundedAmount.amount) * 100);

/**
 * Round seven's "two partial refunds of 5.00" race, as round twenty-five made it deterministic:
 * two back offices refund 5.00 each, 50 ms apart, Intergiro answering the first PATCH 420 ms late
 * (past the gateway's 400 ms bound), the change carried out at once. Without a poller (only the
 * gateway's own calls read Intergiro, re-reads run by hand) nothing can land between the first
 * answer's loss and the second's echo, so what the second call records is all there is.
 */
describe.each([
  ['events with their amounts, no poller', {}, { pollerDisabled: true }],
  ['reads without events, a status list, no poller', { readsWithoutEvents: true, statusAs: 'list' }, { pollerDisabled: true }],
  ['events with their amounts, the poller every 300 ms', {}, { reconcileIntervalMs: 300 }],
] as [string, IntergiroVariation, IntergiroRoundOptions][])('Intergiro, round twenty-six: two partial refunds of 5.00 at once, the first answered past the bound (%s)', (_name, variation, setup) => {
  const { context, createOk, apply, read } = useIndependentIntergiro({ ...variation, callbacks: 'none', patchAnswerDelaysMs: [] }, setup);
  const twoRefunds = async (firstKey?: string) => {
    const order = await createOk(CARD);
    expect((await apply([{ orderId: order.id, events: [{ type: 'CAPTURE' }] }])).errors).toBeUndefined();
    context.server.options.patchAnswerDelaysMs = [...Array(patchesOf(context.server)).fill(0), 420];
    const one = apply([{ orderId: order.id, events: [{ type: 'REFUND', amount: '5.00', ...(firstKey ? { idempotencyKey: firstKey } : {}) }] }]);
    await sleep(50);
    const two = apply([{ orderId: order.id, events: [{ type: 'REFUND', amount: '5.00' }] }]);
    return { order, answers: await Promise.all([one, two]) };
  };

  it('each refund reaches Intergiro once, and the order shows the 10.00 Intergiro holds once the second is answered', async () => {
    const { order, answers } = await twoRefunds();
    expect(answers.map((answer) => codes(answer.errors)?.[0] ?? answer.data!.applyOrderEvents[0]!.status)).toEqual(['PROVIDER_UNAVAILABLE', 'PARTIALLY_REFUNDED']);
    expect(refundsSentTo(context.server, order.providerOrderId!)).toBe(2);
    expect(context.server.order(order.providerOrderId!)).toMatchObject({ charged: 2000, refunded: 1000 });
    // The second call's own answer already shows both (before: 5.00, for good: nothing was left pending to re-read).
    expect(answers[1]!.data!.applyOrderEvents[0]!.payments[0]).toMatchObject({ refundedAmount: { amount: '10.00' } });
    const after = await read(order.id);
    expect(after.status).toBe('PARTIALLY_REFUNDED');
    expect(after.payments[0]).toMatchObject({ capturedAmount: { amount: '20.00' }, refundedAmount: { amount: '10.00' } });
  });

  it('a re-read later keeps 10.00; a retry of the first refund under its key is answered from the order, not sent again', async () => {
    const key = `r26-first-${Math.random().toString(36).slice(2, 8)}`;
    const { order } = await twoRefunds(key);
    await context.gateway.service.reconcile(order.id);
    for (let look = 0; look < 3; look++) {
      expect(refundedShown(await read(order.id))).toBe(1000);
      await sleep(300);
    }
    const retried = await apply([{ orderId: order.id, events: [{ type: 'REFUND', amount: '5.00', idempotencyKey: key }] }]);
    expect(retried.errors).toBeUndefined();
    expect(retried.data!.applyOrderEvents[0]).toMatchObject({ status: 'PARTIALLY_REFUNDED' });
    expect(refundsSentTo(context.server, order.providerOrderId!)).toBe(2);
    expect(context.server.order(order.providerOrderId!)).toMatchObject({ refunded: 1000 });
    expect(refundedShown(await read(order.id))).toBe(1000);
  });
});

/**
 * The control: the first refund's connection dropped before Intergiro (nothing carried out, the
 * outcome unknown to the gateway), the second answered at once. The order shows what Intergiro
 * holds, 5.00, never the 10.00 the two together would make.
 */
describe('Intergiro, round twenty-six: the first of two refunds dropped before it reached Intergiro (control)', () => {
  const { context, createOk, apply, read } = useIndependentIntergiro({ callbacks: 'none' }, { pollerDisabled: true });

  it('the order shows the one refund Intergiro holds', async () => {
    const order = await createOk(CARD);
    expect((await apply([{ orderId: order.id, events: [{ type: 'CAPTURE' }] }])).errors).toBeUndefined();
    context.server.loseNext('PATCH', 'dropped');
    const first = await apply([{ orderId: order.id, events: [{ type: 'REFUND', amount: '5.00' }] }]);
    expect(codes(first.errors)).toEqual(['PROVIDER_UNAVAILABLE']);
    context.server.forgetLosses();
    const second = await apply([{ orderId: order.id, events: [{ type: 'REFUND', amount: '5.00' }] }]);
    expect(second.errors).toBeUndefined();
    const held = context.server.order(order.providerOrderId!)!;
    expect(held.refunded).toBe(500);
    expect(refundedShown(await read(order.id))).toBe(held.refunded);
    await context.gateway.service.reconcile(order.id);
    expect(refundedShown(await read(order.id))).toBe(held.refunded);
  });

  /*
   * Found by this round, fixed in the domain (pending-operations.ts withoutIntents): the first
   * refund's intent (expecting 5.00 refunded in all) was settled as done once the second refund's
   * figure reached 5.00, though it never reached Intergiro: its retry under its own key was answered
   * from the order (no error, nothing sent). Now the second refund, answered done, raises the
   * first's expectation by its own 5.00: the retry is refused while the outcome is unresolved
   * (INVALID_STATE), and sent once the pending bound drops it.
   */
  it('a retry of the dropped first refund under its key is not answered as done', async () => {
    const key = `r26-dropped-${Math.random().toString(36).slice(2, 8)}`;
    const order = await createOk(CARD);
    expect((await apply([{ orderId: order.id, events: [{ type: 'CAPTURE' }] }])).errors).toBeUndefined();
    context.server.loseNext('PATCH', 'dropped');
    expect(codes((await apply([{ orderId: order.id, events: [{ type: 'REFUND', amount: '5.00', idempotencyKey: key }] }])).errors)).toEqual(['PROVIDER_UNAVAILABLE']);
    context.server.forgetLosses();
    expect((await apply([{ orderId: order.id, events: [{ type: 'REFUND', amount: '5.00' }] }])).errors).toBeUndefined();
    const retried = await apply([{ orderId: order.id, events: [{ type: 'REFUND', amount: '5.00', idempotencyKey: key }] }]);
    expect(codes(retried.errors)).toEqual(['INVALID_STATE']);
  });
});

/**
 * Round seven's leftover where Intergiro records its events without their amounts: the read lists
 * two refunds and says nothing of how much; the gateway counts its own refund answered done and the
 * first pending one once (amounts.ts knownFigures), so 5.00 shows where Intergiro holds 10.00
 * (less, never more). Telling the second listed refund for the lost one would be a guess (a back
 * office may have made it).
 */
describe('Intergiro, round twenty-six: the same race, events recorded without their amounts', () => {
  const { context, createOk, apply, read } = useIndependentIntergiro({ callbacks: 'none', patchAnswerDelaysMs: [], eventsWithoutAmounts: true }, { pollerDisabled: true });

  it.fails('the order shows the 10.00 Intergiro holds (it shows 5.00: the lost refund is not counted)', async () => {
    const order = await createOk(CARD);
    expect((await apply([{ orderId: order.id, events: [{ type: 'CAPTURE' }] }])).errors).toBeUndefined();
    context.server.options.patchAnswerDelaysMs = [...Array(patchesOf(context.server)).fill(0), 420];
    const one = apply([{ orderId: order.id, events: [{ type: 'REFUND', amount: '5.00' }] }]);
    await sleep(50);
    const two = apply([{ orderId: order.id, events: [{ type: 'REFUND', amount: '5.00' }] }]);
    await Promise.all([one, two]);
    expect(context.server.order(order.providerOrderId!)).toMatchObject({ refunded: 1000 });
    await context.gateway.service.reconcile(order.id);
    const shown = refundedShown(await read(order.id));
    expect(shown).toBeLessThanOrEqual(1000);
    expect(shown).toBe(1000);
  });
});

/**
 * A paged listing that sends `X-Total-Count` beside its `Link`, the link from page two on leading
 * back to page one though more pages follow (`listNextLink` `back-early`, `listTotalCount`), pages
 * of two, oldest first: a creation made and charged (charge "auto") and answered with Intergiro's
 * own 500, made after four others that day, lies on page three, which no link names.
 */
describe.each([
  ['oldest first: the lost order on a page no link names', {}],
  ['newest first: the lost order on page one (control)', { listNewestFirst: true }],
] as [string, IntergiroVariation][])('Intergiro, round twenty-six: a Link that loops back early, X-Total-Count beside it (%s)', (name, variation) => {
  const { context, create, createOk } = useIndependentIntergiro({ ...variation, listPageSize: 2, listNextLink: 'back-early', listTotalCount: true });

  it('a creation answered 500 and retried under its key is made (and charged) once', async () => {
    for (let made = 0; made < 4; made++) await createOk(CARD);
    const reference = `r26-${Math.random().toString(36).slice(2, 8)}`;
    const idempotencyKey = `lost-${reference}`;
    context.server.loseNext('POST', 500, '/v1/order');
    expect(codes((await create({ ...CARD, charge: true }, { reference, idempotencyKey })).errors)).toEqual(['PROVIDER_UNAVAILABLE']);
    context.server.forgetLosses();
    const retried = await create({ ...CARD, charge: true }, { reference, idempotencyKey });
    const made = context.server.requests.filter((request) => request.method === 'POST' && request.path === '/v1/order' && (request.body as { number?: string }).number === reference);
    expect(made).toHaveLength(1);
    if (name.startsWith('newest')) {
      // Found on page one: the retry answers the order Intergiro made.
      expect(retried.errors).toBeUndefined();
      expect(context.server.order(retried.data!.createOrder.providerOrderId!)).toMatchObject({ number: reference, charged: 2000 });
    } else {
      // Not on any page the links name, and the count says the walk saw less than the range holds: unknown, not absent.
      expect(codes(retried.errors)).toEqual(['PROVIDER_UNAVAILABLE']);
    }
  });
});
