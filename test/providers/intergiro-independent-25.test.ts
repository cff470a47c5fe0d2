/**
 * Round twenty-five against the Intergiro we did not write (test/support/independent/intergiro-server.ts),
 * for the JSON type of Intergiro's ids, which no earlier round varied:
 * - `"id": "<Identifier of order in Intergiro's system>"`: the seed quotes every placeholder, the
 *   order's id as much as `"items": "<numer or item information ...>"` and `"amount": "<Amount of
 *   payment>"` (numbers in its own examples: `"items": 20`), and shows a real id only inside its
 *   cut-short JWT. An implementation keying its orders by a database sequence writes them as JSON
 *   numbers (`"id": 100007`), in its answers, its Errors ("together with the id of the order"), its
 *   listing, the PATCH echo and its callbacks' tokens, a customer's id so too, and takes the id back
 *   as its digits (a SQL driver casts `'100007'` to its bigint column) (`idsAs` `number`); with
 *   reads without events and a status list, and with the Error nested beside the id, answered 200;
 * - the same with 64-bit ids (a snowflake or bigint sequence: `1796656800123456789`, `idsAs`
 *   `unsafe-number`), which JSON.parse cannot hold: doubles there lie 256 apart, so two orders made
 *   one after the other (ids 7 apart) parse as the same number; with callbacks checked by the
 *   callback secret and through verify (no secret).
 * Found (run on the adapter before the fix): the order's `id` was read as text only, so every
 * answer naming it by a number was unreadable. No card, 3-D Secure, merchant-initiated or payment
 * link order could be created (PROVIDER_UNAVAILABLE; with charge "auto" Intergiro had charged the
 * card), a lost creation's retry found nothing readable in the listing, and no callback was
 * believed: all 21 tests of the first suites failed at their first creation. Reading a number as
 * `String(value)` alone would not do: above 2^53 it names another order (`...789` read as `...800`),
 * so a capture would go to no order, or to its neighbour, and the echo be taken for done.
 * Fixed in src/providers/intergiro:
 * - ids.ts IntergiroId (read by wire.ts for an order's and a customer's id, an Error's id and the
 *   PATCH echo's; listing-pages.ts pageIds; client.ts ordersAsChanges; webhook.ts for a token's or a
 *   notice's `id`): text, or a JSON number that is a non-negative integer JavaScript holds exactly,
 *   read as its decimal digits; any other number is no id (the order unreadable, never rounded).
 * - ../long-numbers.ts wholeNumbersAsWritten (shared), read by client.ts send (every answer's text) and webhook.ts exactPayload
 *   (a token's claims, re-read from its own payload text once jose has checked it): an integer
 *   above 2^53 that is the value of an `id` or `customer` member is written as a string of its
 *   digits before JSON.parse (a scanner that knows where strings are; nothing else is touched), so
 *   such an order is read under its exact id and a capture reaches it alone.
 * The gateway still sends an id back as a JSON string (`{"id": "100007", ...}`): the seed shows the
 * id sent back only as text ("<Identifier of order in Intergiro's system>"), and an Intergiro that
 * takes only a number there is not served (it would answer the PATCH or resubmission with an Error;
 * the gateway does not remember which JSON type each id came in, and sending digits as a number
 * would be a guess for a string-keyed Intergiro whose id happens to be all digits).
 * And round seven's leftover, its "two partial refunds of 5.00" race seen failing under load, made
 * deterministic: the first PATCH answered 420 ms late (past the gateway's 400 ms bound, where round
 * seven's 300 ms answer lands under load), the second 50 ms after it. Found: the adapter neither
 * sends a refund twice nor records one twice (each reaches Intergiro once, 10.00 held); the first
 * is answered PROVIDER_UNAVAILABLE (its answer lost to the bound, its intent pending, never sent
 * again), the second PARTIALLY_REFUNDED, and the order shows 5.00 refunded where Intergiro holds
 * 10.00. Round seven's test reads the order at once without a callback, so it sees 5.00 and fails:
 * that is its failure under load (no money overstated).
 * Left (no it.fails: it is timing-dependent): whether a re-read that lists both refunds with their
 * amounts counts the first one varies from run to run (in one run 10.00 was shown within a second,
 * in another 5.00 stayed for 1.5 s under re-reads every 300 ms); meanwhile the order shows 5.00
 * (less than held, never more). Why a re-read sometimes leaves the pending refund was not found.
 * Found in round twenty-six (intergiro-independent-26.test.ts): the second refund's echo settled the
 * first's intent as done (the order's figure reached the 5.00 it expected) without counting it, so
 * nothing was pending and no re-read came; 10.00 showed only where the poller happened to read
 * before that echo was recorded. Fixed there (earlier-unknown-changes.ts): the order shows 10.00.
 * Earlier rounds' it.fails stay.
 * The gateway re-reads waiting orders rarely here (reconcileIntervalMs is long) except in the last
 * suite (every 300 ms), so an order that moves moved because of an answer or a callback.
 */
import { describe, expect, it } from 'vitest';
import { INTERGIRO_TEST_BROWSER } from '../support/intergiro.js';
import { useIndependentIntergiro as useRound, type IntergiroRoundOptions, type IntergiroVariation } from '../support/independent/intergiro-harness.js';
import type { IntergiroServer } from '../support/independent/intergiro-server.js';

const useIndependentIntergiro = (variation: IntergiroVariation, setup?: IntergiroRoundOptions) => useRound('-25', variation, setup);
const CARD = { paymentType: 'CARD', cardToken: 'tok_ok', browser: INTERGIRO_TEST_BROWSER };
const THREE_DS = { paymentType: 'CARD', cardToken: 'tok_3ds', browser: INTERGIRO_TEST_BROWSER };
const RETURN_URLS = { success: 'https://shop.example/ok' };
const codes = (errors: { extensions?: Record<string, unknown> }[] | undefined) => errors?.map((error) => error.extensions?.['code']);
const patchesOf = (server: IntergiroServer) => server.requests.filter((request) => request.method === 'PATCH').length;
/** The listing as Intergiro answers it, its text unread (an id above 2^53 is still exact there). */
const listingText = async (server: IntergiroServer) =>
  (await fetch(`${server.url}/v1/order`, { headers: { authorization: 'Bearer independent-intergiro-key-25', accept: 'application/json', 'content-type': 'application/json' } })).text();

/**
 * An Intergiro keying its orders by a database sequence: `"id": 100007` (and a customer's id so)
 * in every answer, its Errors and its callbacks' tokens; the id taken back as its digits.
 */
describe.each([
  ['callbacks after the answer', {}],
  ['reads without events, a status list', { readsWithoutEvents: true, statusAs: 'list' }],
  ['the Error nested beside the id, answered 200', { errorShape: 'nested', errorsAt200: true }],
] as [string, IntergiroVariation][])('Intergiro, round twenty-five: ids written as JSON numbers (%s)', (_name, variation) => {
  const { context, create, createOk, read, settlesAt, apply, resubmit } = useIndependentIntergiro({ ...variation, idsAs: 'number' });

  it('its ids are JSON numbers (the option is in force)', async () => {
    const order = await createOk(CARD);
    expect(order.providerOrderId).toMatch(/^\d+$/);
    expect(await listingText(context.server)).toContain(`"id":${order.providerOrderId}`);
  });

  it('a card order is AUTHORIZED under the id Intergiro gave, captured once, refunded in part', async () => {
    const order = await createOk(CARD);
    expect(order.status).toBe('AUTHORIZED');
    const id = order.providerOrderId!;
    expect(context.server.order(id)).toBeDefined();
    const before = patchesOf(context.server);
    const captured = await apply([{ orderId: order.id, events: [{ type: 'CAPTURE' }] }]);
    expect(captured.errors).toBeUndefined();
    expect(captured.data!.applyOrderEvents[0]).toMatchObject({ status: 'CAPTURED' });
    const refunded = await apply([{ orderId: order.id, events: [{ type: 'REFUND', amount: '5.00' }] }]);
    expect(refunded.errors).toBeUndefined();
    expect(patchesOf(context.server) - before).toBe(2);
    expect(context.server.order(id)).toMatchObject({ charged: 2000, refunded: 500 });
    const after = await read(order.id);
    expect(after.status).toBe('PARTIALLY_REFUNDED');
    expect(after.payments[0]).toMatchObject({ capturedAmount: { amount: '20.00' }, refundedAmount: { amount: '5.00' } });
  });

  it('a capture of an order cancelled at Intergiro is PROVIDER_REJECTED, nothing captured', async () => {
    const order = await createOk(CARD);
    context.server.cancelBehind(order.providerOrderId!);
    const answer = await apply([{ orderId: order.id, events: [{ type: 'CAPTURE' }] }]);
    expect(codes(answer.errors)).toEqual(['PROVIDER_REJECTED']);
    expect(context.server.order(order.providerOrderId!)).toMatchObject({ charged: 0 });
    expect((await read(order.id)).payments[0]).toMatchObject({ capturedAmount: { amount: '0.00' } });
  });

  it('3-D Secure: stopped under the numeric id of the Error, resubmitted under it, authorized', async () => {
    const order = await createOk(THREE_DS);
    expect(order).toMatchObject({ status: 'ACTION_REQUIRED', creation: { status: 'STOPPED', stopAction: { type: 'THREE_DS' } } });
    expect(order.providerOrderId).toMatch(/^\d+$/);
    const answer = await resubmit(order.id);
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.continueOrderCreation).toMatchObject({ status: 'AUTHORIZED', providerOrderId: order.providerOrderId });
  });

  it('a payment link paid by the buyer is CAPTURED by its callback (the token names the order by a number)', async () => {
    const order = await createOk({ paymentType: 'LINK', charge: true }, { returnUrls: RETURN_URLS });
    expect(order.creation).toMatchObject({ status: 'STOPPED', stopAction: { type: 'REDIRECT' } });
    await context.server.payLink(order.providerOrderId!);
    const paid = await settlesAt(order.id, 'CAPTURED');
    expect(paid.payments[0]).toMatchObject({ capturedAmount: { amount: '20.00' } });
  });

  it('a creation made and answered 500, retried under its key, is found in the listing and made once', async () => {
    const reference = `r25-${Math.random().toString(36).slice(2, 8)}`;
    const idempotencyKey = `lost-${reference}`;
    context.server.loseNext('POST', 500, '/v1/order');
    const first = await create({ ...CARD, charge: true }, { reference, idempotencyKey });
    expect(codes(first.errors)).toEqual(['PROVIDER_UNAVAILABLE']);
    context.server.forgetLosses();
    const retried = await createOk({ ...CARD, charge: true }, { reference, idempotencyKey });
    const made = context.server.requests.filter((request) => request.method === 'POST' && request.path === '/v1/order' && (request.body as { number?: string }).number === reference);
    expect(made).toHaveLength(1);
    expect(retried.providerOrderId).toMatch(/^\d+$/);
    expect(context.server.order(retried.providerOrderId!)).toMatchObject({ number: reference, charged: 2000 });
  });

  it('a merchant-initiated order for a customer whose id is a number is created and captured', async () => {
    const order = await createOk({ paymentType: 'CUSTOMER', customerId: '4711' }, {}, 'merchant');
    expect(['AUTHORIZED', 'CAPTURED']).toContain(order.status);
    expect(await listingText(context.server)).toContain('"customer":4711');
    if (order.status === 'AUTHORIZED') expect((await apply([{ orderId: order.id, events: [{ type: 'CAPTURE' }] }])).errors).toBeUndefined();
    expect(context.server.order(order.providerOrderId!)).toMatchObject({ charged: 2000 });
  });
});

/**
 * Ids above 2^53 (a 64-bit snowflake or bigint sequence), written as JSON numbers: JSON.parse reads
 * `1796656800123456789` as ...800, and two orders made one after the other (ids 7 apart, doubles 256
 * apart there) read as the same id. A capture must reach the order it is for, and no other.
 */
describe.each([
  ['callbacks after the answer', {}],
  ['callbacks checked through verify (no secret)', { gatewayWithoutSecret: true }],
] as [string, IntergiroVariation][])('Intergiro, round twenty-five: ids above 2^53 written as JSON numbers (%s)', (_name, variation) => {
  const { context, create, createOk, read, settlesAt, apply } = useIndependentIntergiro({ ...variation, idsAs: 'unsafe-number' });

  it('its ids are JSON numbers above 2^53 (the option is in force)', async () => {
    const order = await createOk(CARD);
    expect(BigInt(order.providerOrderId!) > BigInt(Number.MAX_SAFE_INTEGER)).toBe(true);
    expect(await listingText(context.server)).toContain(`"id":${order.providerOrderId}`);
  });

  it('two orders whose ids round to the same double: each is known by its own exact id; a capture of the second charges it alone', async () => {
    const first = await createOk(CARD);
    const second = await createOk(CARD);
    expect(first.providerOrderId).not.toBe(second.providerOrderId);
    expect(Number(first.providerOrderId)).toBe(Number(second.providerOrderId)); // the doubles agree: only the digits tell them apart
    expect(context.server.order(first.providerOrderId!)).toBeDefined();
    expect(context.server.order(second.providerOrderId!)).toBeDefined();
    const before = patchesOf(context.server);
    const answer = await apply([{ orderId: second.id, events: [{ type: 'CAPTURE' }] }]);
    expect(answer.errors).toBeUndefined();
    expect(patchesOf(context.server) - before).toBe(1);
    expect(context.server.order(second.providerOrderId!)).toMatchObject({ charged: 2000 });
    expect(context.server.order(first.providerOrderId!)).toMatchObject({ charged: 0 });
    expect((await read(second.id)).status).toBe('CAPTURED');
    expect((await read(first.id)).status).toBe('AUTHORIZED');
  });

  it('a capture of an order cancelled at Intergiro (its neighbour not) is PROVIDER_REJECTED, nothing captured', async () => {
    const first = await createOk(CARD);
    const second = await createOk(CARD);
    context.server.cancelBehind(second.providerOrderId!);
    const answer = await apply([{ orderId: second.id, events: [{ type: 'CAPTURE' }] }]);
    expect(codes(answer.errors)).toEqual(['PROVIDER_REJECTED']);
    expect(context.server.order(second.providerOrderId!)).toMatchObject({ charged: 0 });
    expect(context.server.order(first.providerOrderId!)).toMatchObject({ charged: 0 });
  });

  it('a payment link paid by the buyer is CAPTURED by its callback; its neighbour is not', async () => {
    const other = await createOk({ paymentType: 'LINK', charge: true }, { returnUrls: RETURN_URLS });
    const order = await createOk({ paymentType: 'LINK', charge: true }, { returnUrls: RETURN_URLS });
    await context.server.payLink(order.providerOrderId!);
    expect((await settlesAt(order.id, 'CAPTURED')).payments[0]).toMatchObject({ capturedAmount: { amount: '20.00' } });
    expect((await read(other.id)).status).not.toBe('CAPTURED');
  });

  it('a creation made and answered 500, retried under its key, is found under its exact id and made once', async () => {
    const reference = `r25-big-${Math.random().toString(36).slice(2, 8)}`;
    const idempotencyKey = `lost-${reference}`;
    context.server.loseNext('POST', 500, '/v1/order');
    expect(codes((await create(CARD, { reference, idempotencyKey })).errors)).toEqual(['PROVIDER_UNAVAILABLE']);
    context.server.forgetLosses();
    const retried = await createOk(CARD, { reference, idempotencyKey });
    expect(context.server.requests.filter((request) => request.method === 'POST' && request.path === '/v1/order' && (request.body as { number?: string }).number === reference)).toHaveLength(1);
    expect(context.server.order(retried.providerOrderId!)).toMatchObject({ number: reference });
  });
});

/**
 * Round seven's "two partial refunds of 5.00" race, seen failing under load, made deterministic:
 * two back offices refund 5.00 each, 50 ms apart, Intergiro answering the first PATCH 420 ms late
 * (past the gateway's 400 ms bound; under load round seven's 300 ms answer lands there), the
 * change carried out at once. The gateway re-reads waiting orders every 300 ms here.
 */
describe('Intergiro, round twenty-five: two partial refunds of 5.00 at once, the first answered past the gateway\'s bound', () => {
  const { context, createOk, apply, read } = useIndependentIntergiro({ callbacks: 'none', patchAnswerDelaysMs: [] }, { reconcileIntervalMs: 300 });
  const refundsSentTo = (id: string) =>
    context.server.requests
      .filter((request) => request.method === 'PATCH' && Array.isArray(request.body))
      .flatMap((request) => (request.body as { id: string; event: { type: string }[] }[]).filter((element) => element.id === id).flatMap((element) => element.event))
      .filter((event) => event.type === 'refund').length;
  const twoRefunds = async () => {
    const order = await createOk(CARD);
    expect((await apply([{ orderId: order.id, events: [{ type: 'CAPTURE' }] }])).errors).toBeUndefined();
    context.server.options.patchAnswerDelaysMs = [...Array(patchesOf(context.server)).fill(0), 420];
    const one = apply([{ orderId: order.id, events: [{ type: 'REFUND', amount: '5.00' }] }]);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const two = apply([{ orderId: order.id, events: [{ type: 'REFUND', amount: '5.00' }] }]);
    return { order, answers: await Promise.all([one, two]) };
  };

  it('each refund reaches Intergiro once, is recorded once, and the order never shows more refunded than Intergiro holds', async () => {
    const { order, answers } = await twoRefunds();
    // The first one's answer came too late: unknown, never sent again; the second answered done.
    expect(answers.map((answer) => codes(answer.errors)?.[0] ?? answer.data!.applyOrderEvents[0]!.status)).toEqual(['PROVIDER_UNAVAILABLE', 'PARTIALLY_REFUNDED']);
    expect(refundsSentTo(order.providerOrderId!)).toBe(2);
    expect(context.server.order(order.providerOrderId!)).toMatchObject({ charged: 2000, refunded: 1000 });
    for (let look = 0; look < 5; look++) {
      expect(Number((await read(order.id)).payments[0]!.refundedAmount.amount)).toBeLessThanOrEqual(10);
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
    expect(refundsSentTo(order.providerOrderId!)).toBe(2);
  });
});
