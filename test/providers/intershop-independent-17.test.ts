/**
 * Round seventeen of the Intershop adapter against an ICM written by other people from the seed alone
 * (test/support/independent/intershop-server.ts). Readings of the seed rounds one to sixteen did not
 * try, on the one call that makes an order (POST /orders) and the search that answers it when its
 * answer does not say the order (each describe names the break it found, or says it is a guard):
 * - ICM's own clock running minutes behind the gateway's (a host whose time sync failed; the
 *   independent ICM's new `clockOffsetMs`, ten minutes behind here): the seed writes `creationDate`
 *   from ICM's clock (§2.2) and promises nothing of that clock, and §2.3 orders the list by it. The
 *   search that answers a create whose answer was lost (round two), refused with a bodiless 400
 *   after the work (round eleven), or failed in the chain inside a bodiless 400 (round eleven) takes
 *   the basket's order "made since shortly before the call" (five minutes), by ICM's date: an order
 *   made ten minutes "before" the call was not the create's. A lost create paid without a redirect
 *   was POSTed again and PROVIDER_REJECTED (the basket taken) while ICM held the order and its
 *   money; an include refused after the work read as nothing made, the POST sent again and refused
 *   the same way, PROVIDER_REJECTED while ICM held the money; a chain that failed inside a bodiless
 *   400 read as nothing made, and the restored basket was POSTed again: a second order, the buyer's
 *   payment sent to the PSP a second time, for one create (README's round fifteen leftover named
 *   this: "the HTTP Date header could tell").
 * Fixed (src/providers/intershop/icm-clock.ts, client.ts listOrders, lost-creation.ts findListed):
 * the list's HTTP `Date` header (RFC 9110 §6.6.1: an origin server with a clock sends one) says
 * ICM's clock when the list was answered; how far it is behind the gateway's (at most: the header
 * is whole seconds, cut down) widens the search's window by that much. Nothing is guessed: no
 * header, an unreadable one, or a clock ahead leave the window as before (five minutes).
 * - `documentNumber` written as a JSON number (a Java `long` field; the independent ICM's new
 *   `documentNumberAs: 'long'`), where §2.2 shows the zero-padded string `"00000001"` and says
 *   nothing of its type. The adapter never uses the field, yet its wire schema required a string:
 *   every order answer was unreadable, so every create was PROVIDER_UNAVAILABLE after ICM had made
 *   the order (paid without a redirect: its money taken), every retry's search found it and could
 *   not read it, and listings skipped every order.
 * Fixed (src/providers/intershop/wire.ts): `documentNumber` is not read at all (nothing needs it).
 * - (guards) the bytes of ICM's JSON answers as another servlet container or web tier writes them
 *   (the independent ICM's new `bodyCharset`, `gzipBodies`): ISO-8859-1 labelled `;charset=ISO-8859-1`
 *   (a container left at its old default), the infos' messages in German, and `Content-Encoding:
 *   gzip` whether asked or not. The seed says nothing of either; the shared HTTP client
 *   (src/providers/http.ts) already decodes both, and they held: messages as ICM wrote them,
 *   amounts, the PSP's URL and a lost creation's search through a compressed, paged list.
 * Guards (held): a clock behind at an ICM whose list gives `{id}` entries alone (the thin search,
 * round three) finds the order too; a clock ahead changes nothing; the creates' ordinary paths.
 * Left (an it.fails below): a clock behind at an ICM that sends no `Date` header (or behind a web
 * tier that writes its own clock's) still hides an order made more than five minutes "before" the
 * call: nothing the gateway gets says ICM's clock (the order's own date is the thing in question).
 * Every suite ends with the harness's money check (no order shows more reserved or captured than
 * ICM holds).
 */
import { describe, expect, it } from 'vitest';
import { icmHarness } from '../support/independent/intershop-harness.js';
import { GERMAN_CANCELLED, GERMAN_STOPPED, type IcmServerOptions } from '../support/independent/intershop-server.js';

const RETURN_URLS = { success: 'https://shop.example/ok', cancel: 'https://shop.example/cancel', failure: 'https://shop.example/failed' };
/** ICM's clock ten minutes behind the gateway's: twice the search's own margin (five minutes). */
const BEHIND = -10 * 60 * 1000;


const codes = (result: { errors?: readonly { extensions?: Record<string, unknown> }[] }) => result.errors?.map((error) => error.extensions?.code);

describe.each<[string, Partial<IcmServerOptions>]>([
  ['its list of whole orders', {}],
  ['its list of `{id}` entries (round three: each read)', { list: 'ids' }],
  ['its dates without the colon (`+0100`), reads without the chain (round one)', { dateStyle: 'no-colon', readsCarryCreation: false }],
])('an ICM whose clock runs ten minutes behind the gateway\'s, %s', (_name, variation) => {
  const t = icmHarness('-17', { clockOffsetMs: BEHIND, ...variation });

  it('a create paid without a redirect whose answer was lost: the retry under the same key answers the order ICM made, CAPTURED, one POST (before: POSTed again and PROVIDER_REJECTED while ICM held the money)', async () => {
    const basketId = t.h.icm.addBasket(171, 'USD', { payment: 'direct', capture: true });
    const variables = t.input(basketId, { idempotencyKey: `lost-behind-${Math.random()}` });
    t.h.icm.loseNextCreateAnswer();
    expect(codes(await t.create(variables))).toEqual(['PROVIDER_UNAVAILABLE']);
    const order = await t.createOk(variables);
    expect(order).toMatchObject({ status: 'CAPTURED', total: { amount: '171.00' }, creation: { status: 'COMPLETED' } });
    expect(t.posts(basketId)).toHaveLength(1);
    expect(t.h.icm.moneyMoves.get(order.providerOrderId!)).toBe(1);
  });

  it('a create given return URLs whose answer was lost: the retry is at the PSP page, one POST; SUCCESS: AUTHORIZED, the money moved once', async () => {
    const basketId = t.h.icm.addBasket(172);
    const variables = t.input(basketId, { returnUrls: RETURN_URLS, idempotencyKey: `lost-behind-psp-${Math.random()}` });
    t.h.icm.loseNextCreateAnswer();
    expect(codes(await t.create(variables))).toEqual(['PROVIDER_UNAVAILABLE']);
    const order = await t.createOk(variables);
    expect(order).toMatchObject({ status: 'ACTION_REQUIRED', total: { amount: '172.00' }, creation: { stopAction: { type: 'REDIRECT' } } });
    expect(t.posts(basketId)).toHaveLength(1);
    expect(await t.continueOk(t.back(order, 'SUCCESS'))).toMatchObject({ status: 'AUTHORIZED', total: { amount: '172.00' } });
    expect(t.h.icm.moneyMoves.get(order.providerOrderId!)).toBe(1);
  });
});

describe('an ICM whose clock runs ten minutes behind, refusing an unknown include (400, no body) after the POST made the order (round eleven)', () => {
  const t = icmHarness('-17', { clockOffsetMs: BEHIND, unknownInclude: 'reject-after-create', errorBody: 'empty' });

  it('a direct payment ICM captured at the first POST: the create answers that order, CAPTURED, one POST (before: sent again, refused the same way, PROVIDER_REJECTED while ICM held the money)', async () => {
    const basketId = t.h.icm.addBasket(173, 'USD', { payment: 'direct', capture: true });
    const order = await t.createOk(t.input(basketId, { idempotencyKey: `include-behind-${Math.random()}` }));
    expect(order).toMatchObject({ status: 'CAPTURED', total: { amount: '173.00' }, creation: { status: 'COMPLETED' } });
    expect(t.posts(basketId)).toHaveLength(1);
    expect(t.h.icm.moneyMoves.get(order.providerOrderId!)).toBe(1);
  });
});

describe('an ICM whose clock runs ten minutes behind, answering a creation failed inside the POST (the PSP declines a direct payment) with a bodiless 400 (round eleven)', () => {
  const t = icmHarness('-17', { clockOffsetMs: BEHIND, failedCreationStatus: 400, errorBody: 'empty' });

  it('PROVIDER_REJECTED; one POST, the chain run once (before: the restored basket POSTed again, a second order, the PSP asked twice)', async () => {
    const basketId = t.h.icm.addBasket(174, 'USD', { payment: 'direct', declined: true });
    const ordersBefore = t.h.icm.moneyMoves.size;
    expect(codes(await t.create(t.input(basketId)))).toEqual(['PROVIDER_REJECTED']);
    expect(t.posts(basketId)).toHaveLength(1);
    expect(t.h.icm.moneyMoves.size - ordersBefore).toBe(1);
  });
});

describe('left: an ICM whose clock runs ten minutes behind and that sends no `Date` header', () => {
  const t = icmHarness('-17', { clockOffsetMs: BEHIND, dateHeader: false });

  // Nothing says ICM's clock: the order is dated ten minutes before the call, outside the search's
  // five-minute margin, so the retry POSTs the basket again and ICM refuses it (the basket is taken).
  it.fails('a lost create paid without a redirect: the retry answers it, CAPTURED, one POST', async () => {
    const basketId = t.h.icm.addBasket(179, 'USD', { payment: 'direct', capture: true });
    const variables = t.input(basketId, { idempotencyKey: `lost-no-date-${Math.random()}` });
    t.h.icm.loseNextCreateAnswer();
    expect(codes(await t.create(variables))).toEqual(['PROVIDER_UNAVAILABLE']);
    expect(await t.createOk(variables)).toMatchObject({ status: 'CAPTURED', total: { amount: '179.00' } });
    expect(t.posts(basketId)).toHaveLength(1);
  });
});

describe('guard: an ICM whose clock runs ten minutes ahead of the gateway\'s', () => {
  const t = icmHarness('-17', { clockOffsetMs: -BEHIND });

  it('a lost create paid without a redirect: the retry answers it, CAPTURED, one POST', async () => {
    const basketId = t.h.icm.addBasket(175, 'USD', { payment: 'direct', capture: true });
    const variables = t.input(basketId, { idempotencyKey: `lost-ahead-${Math.random()}` });
    t.h.icm.loseNextCreateAnswer();
    expect(codes(await t.create(variables))).toEqual(['PROVIDER_UNAVAILABLE']);
    expect(await t.createOk(variables)).toMatchObject({ status: 'CAPTURED', total: { amount: '175.00' } });
    expect(t.posts(basketId)).toHaveLength(1);
  });
});

describe.each<[string, Partial<IcmServerOptions>]>([
  ['in every answer', {}],
  ['beside a list of `{id}` entries and reads without the chain (round one)', { list: 'ids', readsCarryCreation: false }],
])('an ICM that writes `documentNumber` as a JSON number (a Java `long`), %s', (_name, variation) => {
  const t = icmHarness('-17', { documentNumberAs: 'long', ...variation });

  it('a create paid without a redirect is CAPTURED at once, one POST (before: PROVIDER_UNAVAILABLE while ICM held the money)', async () => {
    const basketId = t.h.icm.addBasket(176, 'USD', { payment: 'direct', capture: true });
    const order = await t.createOk(t.input(basketId));
    expect(order).toMatchObject({ status: 'CAPTURED', total: { amount: '176.00' }, creation: { status: 'COMPLETED' } });
    expect(t.posts(basketId)).toHaveLength(1);
    expect((await t.read(order.id)).status).toBe('CAPTURED');
  });

  it('a create without return URLs waits for them; the client\'s URLs reach the PSP page; SUCCESS: AUTHORIZED, the money moved once', async () => {
    const order = await t.createOk(t.input(t.h.icm.addBasket(177)));
    expect(order).toMatchObject({ status: 'ACTION_REQUIRED', total: { amount: '177.00' }, creation: { stopAction: { type: 'WORKFLOW', reason: 'redirect_urls_required' } } });
    const redirected = await t.continueOk({ orderId: order.id, returnUrls: RETURN_URLS });
    expect(redirected).toMatchObject({ status: 'ACTION_REQUIRED', creation: { stopAction: { type: 'REDIRECT' } } });
    expect(await t.continueOk(t.back(redirected, 'SUCCESS'))).toMatchObject({ status: 'AUTHORIZED', total: { amount: '177.00' } });
    expect(t.h.icm.moneyMoves.get(order.providerOrderId!)).toBe(1);
  });

  it('a lost create paid without a redirect: the retry finds and reads the order, CAPTURED, one POST (before: PROVIDER_UNAVAILABLE on every retry)', async () => {
    const basketId = t.h.icm.addBasket(178, 'USD', { payment: 'direct', capture: true });
    const variables = t.input(basketId, { idempotencyKey: `lost-long-${Math.random()}` });
    t.h.icm.loseNextCreateAnswer();
    expect(codes(await t.create(variables))).toEqual(['PROVIDER_UNAVAILABLE']);
    expect(await t.createOk(variables)).toMatchObject({ status: 'CAPTURED', total: { amount: '178.00' } });
    expect(t.posts(basketId)).toHaveLength(1);
  });
});

describe.each<[string, Partial<IcmServerOptions>]>([
  ['encoded in ISO-8859-1 and labelled so (`;charset=ISO-8859-1`), its infos in German', { bodyCharset: 'iso-8859-1' }],
  ['compressed (`Content-Encoding: gzip`) unasked', { gzipBodies: true }],
  ['both, with the list paged (round two) and `{id}` entries (round three)', { bodyCharset: 'iso-8859-1', gzipBodies: true, list: 'ids', listPageSize: 2 }],
])('guard: an ICM whose JSON answers are %s', (_name, variation) => {
  const t = icmHarness('-17', variation);
  const german = variation.bodyCharset === 'iso-8859-1';

  it('a create waits for its return URLs, its info\'s message as ICM wrote it; the URLs reach the PSP page; SUCCESS: AUTHORIZED, the money moved once', async () => {
    const order = await t.createOk(t.input(t.h.icm.addBasket(180.5)));
    expect(order).toMatchObject({ status: 'ACTION_REQUIRED', total: { amount: '180.50' }, creation: { stopAction: { type: 'WORKFLOW', reason: 'redirect_urls_required' } } });
    if (german) expect(order.creation.infos).toEqual([{ code: 'order.creation_stopped.info', message: GERMAN_STOPPED }]);
    const redirected = await t.continueOk({ orderId: order.id, returnUrls: RETURN_URLS });
    expect(new URL(redirected.creation.stopAction!.redirectUrl!).searchParams.get('successURL')).toBe(RETURN_URLS.success);
    expect(await t.continueOk(t.back(redirected, 'SUCCESS'))).toMatchObject({ status: 'AUTHORIZED', total: { amount: '180.50' } });
    expect(t.h.icm.moneyMoves.get(order.providerOrderId!)).toBe(1);
  });

  it('the buyer\'s CANCEL: CANCELLED, its info\'s message as ICM wrote it', async () => {
    const order = await t.createOk(t.input(t.h.icm.addBasket(181), { returnUrls: RETURN_URLS }));
    const cancelled = await t.continueOk(t.back(order, 'CANCEL'));
    expect(cancelled).toMatchObject({ status: 'CANCELLED', creation: { status: 'ROLLED_BACK' } });
    if (german) expect(cancelled.creation.infos).toEqual([{ code: 'order.cancelled.info', message: GERMAN_CANCELLED }]);
  });

  it('a lost create paid without a redirect: the retry finds it in the list, CAPTURED, one POST', async () => {
    const basketId = t.h.icm.addBasket(182, 'USD', { payment: 'direct', capture: true });
    const variables = t.input(basketId, { idempotencyKey: `lost-encoded-${Math.random()}` });
    t.h.icm.loseNextCreateAnswer();
    expect(codes(await t.create(variables))).toEqual(['PROVIDER_UNAVAILABLE']);
    expect(await t.createOk(variables)).toMatchObject({ status: 'CAPTURED', total: { amount: '182.00' } });
    expect(t.posts(basketId)).toHaveLength(1);
  });
});
