/**
 * Round twenty-five of the Intershop adapter against an ICM written by other people from the seed alone
 * (test/support/independent/intershop-server.ts). Readings of the seed rounds one to twenty-four did
 * not try (each describe names the break it found, or says it is a guard): the JSON types of ICM's
 * scalars as another JAX-RS JSON provider writes them. The seed writes every id as a string
 * (`"onUKAB2_eAQAAAFuFztdhmTy"`, `"open-tender"`, the `payments` and `lineItems` lists), `openTender`
 * and `redirectRequired` as JSON booleans, and says nothing of the writer; ICM is a JAX-RS server,
 * and the JAXB JSON providers it may run behind type scalars by content or not at all (round
 * seventeen varied `documentNumber` alone, round eleven money strings alone):
 * - ids that are numbers (a database sequence; a Java `Long` key from a snowflake generator, 19
 *   digits, beyond 2^53) written as JSON numbers, as Jettison's mapped convention with its
 *   DefaultConverter writes a string of digits (the independent ICM's new `idAlphabet: 'digits'` /
 *   `'long-digits'`, `scalars: 'by-content'`). The adapter's wire schemas took an id as a string
 *   only: every answer carrying an order was unreadable, so every create was PROVIDER_UNAVAILABLE
 *   after ICM had made the order (paid without a redirect: its money taken), every retry's search
 *   found it and failed the same way, a PATCH answer naming the order by a number was unreadable (the
 *   buyer's return never shown), and listings skipped every order. Beyond 2^53, `JSON.parse` rounds
 *   the id (7311234567890000007 and ...014 both read as 7311234567890000000): every read and PATCH
 *   asked for an order ICM does not have, and two orders had one id. And a CONTINUE on which the chain fails, answered 400 with the
 *   rolled-back order (round twenty's `failedCreationBody: 'order'`), was not seen to carry an order
 *   (its `id` no string), taken for an include refused, and the buyer's CANCEL reached ICM twice;
 * - every number and boolean written as a string (the mapped convention without type inference;
 *   `scalars: 'strings'`): `"openTender": "true"` made the payment, and with it the whole answer,
 *   unreadable (the same PROVIDER_UNAVAILABLE after ICM made the order); amounts, counts (`info`) and
 *   error statuses as strings were read already.
 * Fixed (src/providers/intershop/json-scalars.ts, wire.ts, client.ts sendAs / idOf,
 * resend-after-400.ts carriesOrder): an id is a string or a whole JSON number read as its digits
 * (the order's and its payments' ids, `basket`, `payments`, `lineItems`, list entries, the payments
 * resource, a PATCH answer's id); every answer is read through the shared ../long-numbers.ts first,
 * so an id beyond 2^53 stays the digits ICM wrote; `openTender` is a boolean or `"true"` / `"false"`
 * (any case), anything else unread, as absent (the flagless reading of round thirteen).
 * Guard (held): creationDate truncated to the minute and printed without seconds, as Java's
 * OffsetDateTime.toString() prints it (`2019-11-13T14:27+01:00`; `dateStyle: 'minutes'`): a lost
 * create is found by its date through a paged list, and listed.
 * Left: a line item's `quantity.value` or `position` written as a string leaves that line out of
 * the order (not tried: this ICM's answers carry no line items); an id with a fraction or an
 * exponent stays unreadable (no writer makes one). Earlier rounds' leftovers (the 202 / 204 / 303
 * to the return URLs at an ICM whose reads carry no chain; a lost create at an ICM whose orders name
 * no basket; a listing without `info` shifted twice; a read answered 200 with an error naming no
 * status) stay as they were: nothing this round adds tells them without a guess. Every suite ends
 * with the harness's money check (no order shows more reserved or captured than ICM holds).
 */
import { describe, expect, it } from 'vitest';
import { LIST_ORDERS, type OrderView } from '../support/documents.js';
import { gqlOk } from '../support/graphql.js';
import { icmHarness } from '../support/independent/intershop-harness.js';
import type { IcmServerOptions } from '../support/independent/intershop-server.js';

const RETURN_URLS = { success: 'https://shop.example/ok', cancel: 'https://shop.example/cancel', failure: 'https://shop.example/failed' };

const codes = (result: { errors?: readonly { extensions?: Record<string, unknown> }[] }) => result.errors?.map((error) => error.extensions?.code);

/** The harness with the buyer's redirect results counted and the listing. */
function harness(options: Partial<IcmServerOptions>) {
  const t = icmHarness('-25', options);
  const patches = (providerOrderId: string) => t.h.icm.calls.filter((call) => call.method === 'PATCH' && call.path.includes(encodeURIComponent(providerOrderId)));
  /** The buyer's redirect results with `status` ICM received for `providerOrderId`, refused or taken. */
  const results = (providerOrderId: string, status: string) => patches(providerOrderId).filter((call) => call.body.includes(`"${status}"`));
  const listed = async (providerOrderId: string) => {
    const today = new Date().toISOString().slice(0, 10);
    const list = await gqlOk<{ orders: { nodes: OrderView[] } }>(t.h.gateway.url, LIST_ORDERS, { filter: { provider: 'INTERSHOP', from: today, to: today }, first: 100 }, t.h.backOffice);
    return list.orders.nodes.find((node) => node.providerOrderId === providerOrderId);
  };
  return { ...t, patches, results, listed };
}

/** The flows every variation below runs (`base`: the first basket's value, each test adds to it). */
function merchantFlows(t: ReturnType<typeof harness>, base: number, currency = 'USD', decimals = 2) {
  const amount = (value: number) => value.toFixed(decimals);

  it('a create given return URLs reaches the PSP page; the buyer\'s SUCCESS is AUTHORIZED, the order named by ICM\'s own id, one POST, the result sent once', async () => {
    const basketId = t.h.icm.addBasket(base + 1, currency);
    const order = await t.createOk(t.input(basketId, { returnUrls: RETURN_URLS }));
    expect(order).toMatchObject({ status: 'ACTION_REQUIRED', creation: { stopAction: { type: 'REDIRECT' } } });
    expect(order.creation.stopAction?.redirectUrl).toMatch(/^http:\/\/icm-psp\.invalid:10080\//);
    expect(t.h.icm.stageOf(order.providerOrderId!)).toBe('at_psp');
    const paid = await t.continueOk(t.back(order, 'SUCCESS'));
    expect(paid).toMatchObject({ status: 'AUTHORIZED', total: { amount: amount(base + 1), currency }, creation: { status: 'COMPLETED' } });
    expect(await t.read(order.id)).toMatchObject({ status: 'AUTHORIZED', total: { amount: amount(base + 1) } });
    expect(t.posts(basketId)).toHaveLength(1);
    expect(t.results(order.providerOrderId!, 'SUCCESS')).toHaveLength(1);
    expect(t.h.icm.moneyMoves.get(order.providerOrderId!)).toBe(1);
  });

  it('a direct payment captured in the POST, a gift card beside it: CAPTURED with the whole total, one POST', async () => {
    const basketId = t.h.icm.addBasket(base + 2, currency, { payment: 'direct', capture: true, giftCard: 20 });
    const order = await t.createOk(t.input(basketId));
    expect(order).toMatchObject({ status: 'CAPTURED', total: { amount: amount(base + 2), currency } });
    expect(t.h.icm.held(order.providerOrderId!)).toMatchObject({ captured: true });
    expect(t.posts(basketId)).toHaveLength(1);
  });

  it('a direct payment captured in the POST whose answer was lost: the retry under the same key finds it by its basket, CAPTURED, one POST', async () => {
    const basketId = t.h.icm.addBasket(base + 3, currency, { payment: 'direct', capture: true });
    const variables = t.input(basketId, { idempotencyKey: `r25-lost-${Math.random()}` });
    t.h.icm.loseNextCreateAnswer();
    expect(codes(await t.create(variables))).toEqual(['PROVIDER_UNAVAILABLE']);
    const found = await t.createOk(variables);
    expect(found).toMatchObject({ status: 'CAPTURED', total: { amount: amount(base + 3) } });
    expect(t.h.icm.stageOf(found.providerOrderId!)).toBe('completed');
    expect(t.posts(basketId)).toHaveLength(1);
  });

  it('the client\'s own return URLs, then the buyer\'s CANCEL: the PSP page, then CANCELLED, nothing captured, the CANCEL sent once', async () => {
    const order = await t.createOk(t.input(t.h.icm.addBasket(base + 4, currency)));
    expect(order).toMatchObject({ status: 'ACTION_REQUIRED', creation: { stopAction: { type: 'WORKFLOW', reason: 'redirect_urls_required' } } });
    const redirected = await t.continueOk({ orderId: order.id, returnUrls: RETURN_URLS });
    expect(redirected).toMatchObject({ status: 'ACTION_REQUIRED', creation: { stopAction: { type: 'REDIRECT' } } });
    const cancelled = await t.continueOk(t.back(redirected, 'CANCEL'));
    expect(cancelled).toMatchObject({ status: 'CANCELLED', creation: { status: 'ROLLED_BACK' } });
    expect(cancelled.payments.every((payment) => Number(payment.capturedAmount.amount) === 0)).toBe(true);
    expect(t.results(order.providerOrderId!, 'CANCEL')).toHaveLength(1);
  });

  it('a payment the PSP settles later: PENDING (waiting_for_pending_payments), then CAPTURED by the gateway\'s re-reads', async () => {
    const order = await t.createOk(t.input(t.h.icm.addBasket(base + 5, currency, { async: true, capture: true }), { returnUrls: RETURN_URLS }));
    const pending = await t.continueOk(t.back(order, 'SUCCESS'));
    expect(pending).toMatchObject({ status: 'PENDING', creation: { stopAction: { type: 'WORKFLOW', reason: 'waiting_for_pending_payments' } } });
    t.h.icm.pspNotifies(order.providerOrderId!, 'paid');
    expect(await t.readUntil(order.id, 'CAPTURED')).toMatchObject({ total: { amount: amount(base + 5) } });
    expect(t.h.icm.moneyMoves.get(order.providerOrderId!)).toBe(1);
  });

  it('the listing shows a placed order with its status and total', async () => {
    const made = await t.createOk(t.input(t.h.icm.addBasket(base + 6, currency, { payment: 'direct' })));
    expect(await t.listed(made.providerOrderId!)).toMatchObject({ status: 'AUTHORIZED', total: { amount: amount(base + 6), currency } });
  });
}

describe.each<[string, Partial<IcmServerOptions>]>([
  ['numeric ids (a sequence) written as JSON numbers', { idAlphabet: 'digits', scalars: 'by-content' }],
  ['64-bit ids beyond 2^53 written as JSON numbers, a listing paged by 2', { idAlphabet: 'long-digits', scalars: 'by-content', listPageSize: 2 }],
])('an ICM whose JSON writer types values by their content (Jettison\'s mapped convention): %s', (_name, variation) => {
  const t = harness(variation);
  merchantFlows(t, 2500);
});

describe('an ICM with numeric ids written as JSON numbers whose chain, failing on the buyer\'s CANCEL, answers 400 with the rolled-back order', () => {
  const t = harness({ idAlphabet: 'digits', scalars: 'by-content', failedCreationStatus: 400, failedCreationBody: 'order' });

  it('the CANCEL is CANCELLED and reaches ICM once (an answer carrying the order is not an include refused)', async () => {
    const order = await t.createOk(t.input(t.h.icm.addBasket(2521), { returnUrls: RETURN_URLS }));
    expect(order).toMatchObject({ status: 'ACTION_REQUIRED', creation: { stopAction: { type: 'REDIRECT' } } });
    const cancelled = await t.continueOk(t.back(order, 'CANCEL'));
    expect(cancelled).toMatchObject({ status: 'CANCELLED' });
    expect(t.results(order.providerOrderId!, 'CANCEL')).toHaveLength(1);
  });
});

describe.each<[string, Partial<IcmServerOptions>, string, number]>([
  ['USD', { scalars: 'strings' }, 'USD', 2],
  ['KWD, numeric ids, a listing paged by 2 with its info as strings', { scalars: 'strings', idAlphabet: 'digits', listPageSize: 2 }, 'KWD', 3],
])('an ICM whose JSON writer writes every scalar as a string (`"openTender": "true"`, amounts, counts): %s', (_name, variation, currency, decimals) => {
  const t = harness(variation);
  merchantFlows(t, 2530, currency, decimals);
});

describe('guard: creationDate truncated to the minute, printed without seconds (Java\'s OffsetDateTime.toString), a listing paged by 2', () => {
  const t = harness({ dateStyle: 'minutes', listPageSize: 2 });

  it('a direct payment captured in the POST whose answer was lost is found by the retry, one POST; the listing shows it', async () => {
    const basketId = t.h.icm.addBasket(2551, 'USD', { payment: 'direct', capture: true });
    const variables = t.input(basketId, { idempotencyKey: `r25-minutes-${Math.random()}` });
    t.h.icm.loseNextCreateAnswer();
    expect(codes(await t.create(variables))).toEqual(['PROVIDER_UNAVAILABLE']);
    const found = await t.createOk(variables);
    expect(found).toMatchObject({ status: 'CAPTURED', total: { amount: '2551.00' } });
    expect(t.posts(basketId)).toHaveLength(1);
    expect(await t.listed(found.providerOrderId!)).toMatchObject({ status: 'CAPTURED' });
  });
});
