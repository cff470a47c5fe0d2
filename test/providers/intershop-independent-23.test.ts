/**
 * Round twenty-three of the Intershop adapter against an ICM written by other people from the seed alone
 * (test/support/independent/intershop-server.ts). Readings of the seed rounds one to twenty-two did
 * not try (each describe names the break it found, or says it is a guard):
 * - ICM's errors written with `200 OK` (the independent ICM's new `errorsInOk`): the seed shows no
 *   error and no status code at all, and CONTRACT §8 gives ICM's error body
 *   `{errors: [{code, message, status, causes}]}` with the status inside it. A framework that never
 *   sets the response's status (an exception mapper that returns an entity, a servlet filter that
 *   commits 200) writes every error so: the error's own `status` still saying which HTTP status it
 *   stands for (`said`), or none at all (`unsaid`). Such an answer has no order, so every one was
 *   unreadable (PROVIDER_UNAVAILABLE), wherever it came:
 *   - a direct payment the PSP declines inside the POST (round ten's `order.creation.failed`, 422):
 *     the create was an unknown outcome, and its retry under the same key found no order (a rolled-back
 *     one is not the basket's new order), so once the call had settled it POSTed the basket ICM had
 *     restored again: a second order, the buyer's payment sent to the PSP a second time;
 *   - a basket ICM does not know (400 `basket.not_found.error`): PROVIDER_UNAVAILABLE, a definite no
 *     told as "ICM may be down", and every retry the same;
 *   - the buyer's CANCEL on which the chain fails (422), and, at an ICM whose rolled-back orders are
 *     gone (round twelve), its reads of the gone order (404 written 200): the continue was
 *     PROVIDER_UNAVAILABLE and the order stayed ACTION_REQUIRED at the PSP's page, a rollback ICM
 *     had made never shown;
 *   - ICM failing after the work (a 500 written 200) on the POST of a direct payment or on the
 *     buyer's SUCCESS: PROVIDER_UNAVAILABLE, as for a 500 (guards: the retry answers it; with the
 *     error's status unsaid, now answered at once);
 *   - an include no seed shows (`lineItems`) refused so (round ten's `reject-after-create`, the POST's
 *     refusal after the work, the reads' before it): with no status said, every read of every order
 *     was unreadable for good, and a direct payment ICM had captured stayed PROVIDER_UNAVAILABLE.
 * Fixed (src/providers/intershop/error-in-ok.ts, client.ts asStatusSaid / call / createOrder / continueOrder,
 * index.ts createOrder): a 2xx whose body is ICM's error body and no order is read as the status its
 * error says (a 4xx or 5xx written in `status`, string or number), so every path reads it as it reads
 * that status (a refusal, an order gone, an include refused after the work, ICM failing, come back
 * later). One whose errors say no status tells nothing of what ICM did: a POST so answered has ICM's
 * list read as for a POST answered without a body (lost-creation.ts whatThePostMade: the basket's
 * order since the call is the create's answer, a rolled-back one CANCELLED, none found ICM's refusal,
 * PROVIDER_REJECTED with ICM's code; without a list unknown, PROVIDER_UNAVAILABLE), and a PATCH so
 * answered is ICM's refusal, which the adapter already reads past (the order read past the PATCH's
 * step: a chain failed on it, or ICM failing after the work, shows there; gone after the buyer's
 * CANCEL or FAILURE, the rollback; else the refusal stands, never a 204's "taken"). Nothing is
 * guessed from an error's `code`. A read (GET) so answered is asked again with the seed's includes,
 * then without any, as after a 400 (client.ts call: a read moves nothing).
 * Guard (held): `creationDate` with nine digits of fraction (an OffsetDateTime's own toString; the
 * independent ICM's new `dateStyle: 'nanos'`): a lost create is found by its date through a paged list.
 * Left: a read (GET) answered 200 with an error that says no status stays unreadable
 * (PROVIDER_UNAVAILABLE): whether the order is gone or ICM failed, nothing says (a guard below: the
 * buyer's CANCEL at an ICM whose gone orders read so stays ICM's refusal, PROVIDER_REJECTED with its
 * `order.creation.failed`, the order ACTION_REQUIRED until its watch ends, never shown paid). A
 * PATCH's include refused with such an error (round four's `refuseIncludeOn`) is not told from any
 * other refusal: not asked again without it, every continue refused (not tried here). Earlier
 * rounds' leftovers (the 202 / 204 / 303 to the return URLs at an ICM whose reads carry no chain; a
 * lost create at an ICM whose orders name no basket; a listing without `info` shifted twice) stay as
 * they were: nothing new tells them without a guess. Every suite ends with the harness's money check
 * (no order shows more reserved or captured than ICM holds).
 */
import { describe, expect, it } from 'vitest';
import { icmHarness } from '../support/independent/intershop-harness.js';
import type { IcmServerOptions } from '../support/independent/intershop-server.js';

const RETURN_URLS = { success: 'https://shop.example/ok', cancel: 'https://shop.example/cancel', failure: 'https://shop.example/failed' };

const codes = (result: { errors?: readonly { extensions?: Record<string, unknown> }[] }) => result.errors?.map((error) => error.extensions?.code);

/** The harness with the buyer's redirect results counted. */
function harness(options: Partial<IcmServerOptions>) {
  const t = icmHarness('-23', options);
  /** The buyer's redirect results ICM received for `providerOrderId` (each must arrive once). */
  const results = (providerOrderId: string, status: string) =>
    t.h.icm.calls.filter((call) => call.method === 'PATCH' && call.path.includes(encodeURIComponent(providerOrderId)) && call.body.includes(`"${status}"`)).length;
  return { ...t, results };
}

describe.each<['said' | 'unsaid', Partial<IcmServerOptions>]>([
  ['said', {}],
  ['unsaid', {}],
  ['said', { errorBody: 'int-status' }],
])('an ICM that writes its errors with `200 OK`, the error\'s own status %s (%o)', (status, variation) => {
  const t = harness({ errorsInOk: { methods: ['POST', 'PATCH', 'GET'], status }, failedCreationStatus: 422, ...variation });

  it('a direct payment the PSP declines inside the POST: refused (said) or CANCELLED (unsaid), never paid; the chain ran once, one POST (before: PROVIDER_UNAVAILABLE, and the retry POSTed the restored basket again once the call had settled)', async () => {
    const basketId = t.h.icm.addBasket(2301, 'USD', { payment: 'direct', declined: true });
    const ordersBefore = t.h.icm.moneyMoves.size;
    const variables = t.input(basketId, { idempotencyKey: `r23-declined-${status}-${Math.random()}` });
    const answer = await t.create(variables);
    if (status === 'said') expect(answer.errors?.[0]?.extensions).toMatchObject({ code: 'PROVIDER_REJECTED', providerCode: 'order.creation.failed' });
    else expect(answer.data?.createOrder).toMatchObject({ status: 'CANCELLED' });
    expect(t.h.icm.moneyMoves.size - ordersBefore).toBe(1);
    expect(t.posts(basketId)).toHaveLength(1);
    // The rolled-back order is the create's answer: a retry under the same key is answered with it.
    if (status === 'unsaid') {
      expect((await t.createOk(variables)).status).toBe('CANCELLED');
      expect(t.posts(basketId)).toHaveLength(1);
    }
  });

  it('a basket ICM does not know: PROVIDER_REJECTED with ICM\'s code (before: PROVIDER_UNAVAILABLE, "ICM may be down")', async () => {
    const answer = await t.create(t.input(`nNunknownKAB2_${status}`));
    expect(answer.errors?.[0]?.extensions).toMatchObject({ code: 'PROVIDER_REJECTED', providerCode: 'basket.not_found.error' });
  });

  it('the buyer\'s CANCEL on which the chain fails: CANCELLED, reads agree, the result sent once, nothing captured (before: PROVIDER_UNAVAILABLE, ACTION_REQUIRED)', async () => {
    const order = await t.createOk(t.input(t.h.icm.addBasket(2302), { returnUrls: RETURN_URLS }));
    expect(order).toMatchObject({ status: 'ACTION_REQUIRED', creation: { stopAction: { type: 'REDIRECT' } } });
    const cancelled = await t.continueOk(t.back(order, 'CANCEL'));
    expect(cancelled).toMatchObject({ status: 'CANCELLED' });
    expect(cancelled.payments.every((payment) => payment.capturedAmount.amount === '0.00')).toBe(true);
    expect(await t.read(order.id)).toMatchObject({ status: 'CANCELLED' });
    expect(t.results(order.providerOrderId!, 'CANCEL')).toBe(1);
    expect(t.h.icm.moneyMoves.get(order.providerOrderId!)).toBe(1);
  });

  it('guard: a direct payment ICM captured, then failed writing the answer (a 500 in a 200): the create, or its retry under the same key, answers CAPTURED; one POST', async () => {
    const basketId = t.h.icm.addBasket(2303, 'USD', { payment: 'direct', capture: true });
    const variables = t.input(basketId, { idempotencyKey: `r23-post-500-${status}-${Math.random()}` });
    t.h.icm.loseNextAnswer('POST', 500);
    const first = await t.create(variables);
    if (status === 'unsaid') expect(first.data?.createOrder).toMatchObject({ status: 'CAPTURED', total: { amount: '2303.00' } });
    else expect(codes(first)).toEqual(['PROVIDER_UNAVAILABLE']);
    expect(await t.createOk(variables)).toMatchObject({ status: 'CAPTURED', total: { amount: '2303.00' } });
    expect(t.posts(basketId)).toHaveLength(1);
  });

  it('guard: the buyer\'s SUCCESS taken, then ICM failing its answer (a 500 in a 200): never shown failed; AUTHORIZED once the client sends it again (unsaid: at once), the money moved once', async () => {
    const order = await t.createOk(t.input(t.h.icm.addBasket(2304), { returnUrls: RETURN_URLS }));
    const back = t.back(order, 'SUCCESS');
    t.h.icm.loseNextAnswer('PATCH', 500);
    const first = await t.cont(back);
    if (status === 'unsaid') expect(first.data?.continueOrderCreation).toMatchObject({ status: 'AUTHORIZED', total: { amount: '2304.00' } });
    else {
      expect(codes(first)).toEqual(['PROVIDER_UNAVAILABLE']);
      expect(await t.continueOk(back)).toMatchObject({ status: 'AUTHORIZED', total: { amount: '2304.00' } });
    }
    expect(await t.read(order.id)).toMatchObject({ status: 'AUTHORIZED', total: { amount: '2304.00' } });
    expect(t.h.icm.moneyMoves.get(order.providerOrderId!)).toBe(1);
  });

  it('guard: a create given return URLs, the buyer\'s SUCCESS: AUTHORIZED, one POST, the result sent once', async () => {
    const basketId = t.h.icm.addBasket(2305);
    const order = await t.createOk(t.input(basketId, { returnUrls: RETURN_URLS }));
    expect(await t.continueOk(t.back(order, 'SUCCESS'))).toMatchObject({ status: 'AUTHORIZED', total: { amount: '2305.00' } });
    expect(t.posts(basketId)).toHaveLength(1);
    expect(t.results(order.providerOrderId!, 'SUCCESS')).toBe(1);
  });
});

describe('an ICM that writes its errors with `200 OK`, the error\'s own status said, whose rolled-back orders are gone (round twelve\'s `rolledBackRead: \'not-found\'`)', () => {
  const t = harness({ errorsInOk: { methods: ['POST', 'PATCH', 'GET'], status: 'said' }, rolledBackRead: 'not-found', failedCreationStatus: 422 });

  it('the buyer\'s CANCEL: CANCELLED, the result sent once (before: PROVIDER_UNAVAILABLE, the order at the PSP page for good)', async () => {
    const order = await t.createOk(t.input(t.h.icm.addBasket(2311), { returnUrls: RETURN_URLS }));
    expect(await t.continueOk(t.back(order, 'CANCEL'))).toMatchObject({ status: 'CANCELLED' });
    expect(await t.read(order.id)).toMatchObject({ status: 'CANCELLED' });
    expect(t.results(order.providerOrderId!, 'CANCEL')).toBe(1);
  });

  it('a direct payment declined inside the POST: PROVIDER_REJECTED, one POST', async () => {
    const basketId = t.h.icm.addBasket(2312, 'USD', { payment: 'direct', declined: true });
    expect(codes(await t.create(t.input(basketId)))).toEqual(['PROVIDER_REJECTED']);
    expect(t.posts(basketId)).toHaveLength(1);
  });
});

describe('an ICM that writes its errors with `200 OK`, the error\'s own status unsaid, whose rolled-back orders are gone (round twelve)', () => {
  const t = harness({ errorsInOk: { methods: ['POST', 'PATCH', 'GET'], status: 'unsaid' }, rolledBackRead: 'not-found', failedCreationStatus: 422 });

  // Left: the PATCH's answer is ICM's error without a status, and every read of the gone order
  // answers 200 with an error that says no status: gone, or ICM failing, nothing tells. ICM's error
  // stands (its code); never shown paid, never shown cancelled.
  it('guard: the buyer\'s CANCEL is ICM\'s refusal (PROVIDER_REJECTED, its code), never AUTHORIZED; the order still ACTION_REQUIRED; the result sent once', async () => {
    const order = await t.createOk(t.input(t.h.icm.addBasket(2321), { returnUrls: RETURN_URLS }));
    expect((await t.cont(t.back(order, 'CANCEL'))).errors?.[0]?.extensions).toMatchObject({ code: 'PROVIDER_REJECTED', providerCode: 'order.creation.failed' });
    expect(await t.read(order.id)).toMatchObject({ status: 'ACTION_REQUIRED' });
    expect(t.results(order.providerOrderId!, 'CANCEL')).toBe(1);
  });

  it('a direct payment declined inside the POST (its rolled-back order gone from the list): nothing of the basket listed, so ICM\'s refusal, PROVIDER_REJECTED with its code; one POST', async () => {
    const basketId = t.h.icm.addBasket(2322, 'USD', { payment: 'direct', declined: true });
    const answer = await t.create(t.input(basketId));
    expect(answer.errors?.[0]?.extensions).toMatchObject({ code: 'PROVIDER_REJECTED', providerCode: 'order.creation.failed' });
    expect(t.posts(basketId)).toHaveLength(1);
  });
});

describe.each<'said' | 'unsaid'>(['said', 'unsaid'])('an ICM that writes its errors with `200 OK` (the status %s) and refuses an include no seed shows once it made the order (round ten\'s `unknownInclude: \'reject-after-create\'`)', (status) => {
  const t = harness({ errorsInOk: { methods: ['POST', 'PATCH', 'GET'], status }, unknownInclude: 'reject-after-create' });

  it('a direct payment ICM captured: the create (unsaid: at once, ICM\'s list read) or its retry under the same key answers CAPTURED; never PROVIDER_REJECTED; the PSP asked once', async () => {
    const basketId = t.h.icm.addBasket(2341, 'USD', { payment: 'direct', capture: true });
    const variables = t.input(basketId, { idempotencyKey: `r23-include-${status}-${Math.random()}` });
    const first = await t.create(variables);
    expect(codes(first) ?? []).not.toContain('PROVIDER_REJECTED');
    if (status === 'unsaid') expect(first.data?.createOrder).toMatchObject({ status: 'CAPTURED', total: { amount: '2341.00' } });
    expect(await t.createOk(variables)).toMatchObject({ status: 'CAPTURED', total: { amount: '2341.00' } });
    expect(t.h.icm.moneyMoves.size).toBe(1);
  });
});

describe('an ICM that writes `creationDate` with its nanoseconds (an OffsetDateTime\'s toString, `dateStyle: \'nanos\'`), the list paged by 3 (guard)', () => {
  const t = harness({ dateStyle: 'nanos', listPageSize: 3 });

  it('a create paid without a redirect whose answer was lost: the retry under the same key finds it by its date, CAPTURED, one POST', async () => {
    const basketId = t.h.icm.addBasket(2351, 'USD', { payment: 'direct', capture: true });
    const variables = t.input(basketId, { idempotencyKey: `r23-nanos-${Math.random()}` });
    t.h.icm.loseNextCreateAnswer();
    expect(codes(await t.create(variables))).toEqual(['PROVIDER_UNAVAILABLE']);
    expect(await t.createOk(variables)).toMatchObject({ status: 'CAPTURED', total: { amount: '2351.00' } });
    expect(t.posts(basketId)).toHaveLength(1);
  });
});
