/**
 * Round twenty-two against the Intergiro we did not write (test/support/independent/intergiro-server.ts),
 * for the seed's listing as a platform's front tier and paginator answer it:
 * - "It is highly recommended to use the date queries when listing orders, to optimize behaviour":
 *   the seed shows no caching header and nothing of how fresh a listing is. A platform that
 *   optimizes its listing puts a cache in front of it (a CDN, an API gateway's response cache),
 *   and a shared cache answers a copy for its max-age with `Age` (RFC 9111), the request never
 *   reaching Intergiro (`listCacheMs`): here on a lost creation's search, where "not listed"
 *   decides whether the retry creates (and charges) again, with the copy made before the creation
 *   (an earlier search of the same days filled it) or after it (the control), and on the read back
 *   of a capture, the copy made (by another order's read back) before the order existed;
 * - round twenty-one's leftovers on a `Link` paged listing: the last page's `rel="next"` back to
 *   page two (`listNextLink` `back-to-second`, a cursor ring whose head is not page one), and a
 *   listing kept newest first on a busy platform where exactly a page's worth of other shops'
 *   orders lands each time its first page is answered, so the next page repeats the first in full.
 * Found (run on the adapter before the fix):
 * - a card order Intergiro made and charged (charge "auto") and answered with its own 500 was made,
 *   and charged, twice: the gateway's own sweep of the lost creation, once the settling time was
 *   past, got the cache's copy of the listing from before the creation (an earlier search of the
 *   same days filled it), did not find the order, took it as surely absent and dropped the intent;
 *   the shop's retry under the same key then created again (the buyer charged 40.00 for a 20.00
 *   checkout, the first order unknown to the gateway).
 * - a capture of a card order cancelled at Intergiro, read back in a copy made before the order
 *   was, found nothing in a listing that said it was whole: the echo stood, CAPTURED with 20.00
 *   captured and nothing charged at Intergiro (the harness's money check named it).
 * - with the link back to page two, a creation dropped before it reached Intergiro could never be
 *   made under its key (the walk stopped at the link to a page already asked, "not whole", so
 *   every retry was PROVIDER_UNAVAILABLE).
 * - with a page's worth landing at each first page, the walk took the second page (the first
 *   again, in full) for a wrap, the listing for whole, and a capture of an older order cancelled
 *   at Intergiro, pushed past the pages read, was "not found" by both reads back: the echo stood,
 *   CAPTURED with 20.00 captured and nothing charged at Intergiro.
 * Fixed in src/providers/intergiro:
 * - listing-pages.ts madeNoEarlierThan / client.ts listOrderPages: each page's answer says, by its `Age`
 *   (whole seconds a cache has held it, RFC 9111), the earliest it may have been made (`asOf`:
 *   when it was asked, less its Age and a second); index.ts findListed: a listing a copy of which
 *   may be older than the creation's first attempt does not say the order is absent (unknown,
 *   PROVIDER_UNAVAILABLE, the intent kept; the retry after the copy expires finds it), and index.ts
 *   listedIn: an order not in a copy that may be older than the order (its gateway `createdAt`) is
 *   not "not there" but unknown (the change PROVIDER_UNAVAILABLE, its intent pending until the
 *   callback or a re-read shows it, never sent again: round nineteen's unreadChange). No `Age`
 *   read as before; nothing guessed of a cache that does not say so.
 * - listing-pages.ts walkStep, firstPageStill / client.ts listOrderPages: a link back to any page
 *   already asked ends the walk, whole (the paginator named it after every shift the walk met: an
 *   order pushed on by orders made meanwhile lies on a later page, and the last page links on to
 *   it); a page repeating any page read in full re-reads the first page once: the same
 *   orders there mean nothing landed at the head while it walked (newest first, every new order
 *   lands there; oldest first none shifts), so the repeat is the paginator's wrap and every page
 *   was read (whole); other orders there mean the pages shifted and the repeat may be one, so the
 *   walk is not whole (unknown, never "not found").
 * Left: a cache that sends no `Age` (against RFC 9111) is read as fresh (since round twenty-three told
 * by a `Date` more than 3 s behind the request, intergiro-independent-23.test.ts); a copy that shows the order
 * but is older than the change read back is read as a lagging replica is (rounds five and twenty: a
 * second read 750 ms later, then unknown where it would show either, the echo's answer where it
 * would not: an order listed without events or a status word); nothing asks the cache to revalidate
 * (`Cache-Control: no-cache` on the request: CDNs commonly ignore it). A shifting listing whose
 * first page changes on every read stays unknown until it calms (a change's outcome settles by its
 * callback or a re-read). Earlier rounds' it.fails stay.
 * The gateway re-reads waiting orders rarely here (reconcileIntervalMs is long), so an order that
 * moves moved because of an answer.
 */
import { describe, expect, it } from 'vitest';
import { INTERGIRO_TEST_BROWSER } from '../support/intergiro.js';
import { useIndependentIntergiro as useRound, type IntergiroRoundOptions, type IntergiroVariation } from '../support/independent/intergiro-harness.js';

const useIndependentIntergiro = (variation: IntergiroVariation, setup?: IntergiroRoundOptions) => useRound('-22', variation, setup);
const CARD = { paymentType: 'CARD', cardToken: 'tok_ok', browser: INTERGIRO_TEST_BROWSER };
const codes = (errors: { extensions?: Record<string, unknown> }[] | undefined) => errors?.map((error) => error.extensions?.['code']);
/** Pages of two. */
const PAGE = 2;
/**
 * Past the time a first call may still be settling (the gateway's creationSettleMs, about 4.6 s
 * here): before it, a retry that finds nothing is told to come back (round fifteen's control).
 */
const pastSettling = () => new Promise((resolve) => setTimeout(resolve, 5_000));
/** A cache that keeps a listing longer than any test here takes. */
const CACHE_MS = 60_000;

describe('Intergiro, round twenty-two: a cache in front of the listing answers a copy for a while (Age)', () => {
  const { context, create } = useIndependentIntergiro({ listCacheMs: CACHE_MS, callbacks: 'none' });
  const posts = () => context.server.requests.filter((request) => request.method === 'POST' && request.path === '/v1/order').length;
  /** A creation dropped before it reached Intergiro, its retry made after the settling time; the retry's search fills the cache. */
  const droppedThenMade = async (idempotencyKey: string) => {
    const before = posts();
    context.server.loseNext('POST', 'dropped', '/v1/order');
    expect(codes((await create(CARD, { idempotencyKey })).errors)).toEqual(['PROVIDER_UNAVAILABLE']);
    await pastSettling();
    const retried = await create(CARD, { idempotencyKey });
    expect(retried.errors).toBeUndefined();
    expect(retried.data!.createOrder).toMatchObject({ status: 'AUTHORIZED' });
    expect(posts()).toBe(before + 2);
  };

  it('a creation dropped before it reached Intergiro, its retry answered fresh copies, is made once (control)', async () => {
    context.server.purgeListCache();
    await droppedThenMade(`cache-dropped-${Date.now()}`);
  }, 30_000);

  it('a creation made, charged and answered 500, its retry searching a copy older than it, is never made twice', async () => {
    context.server.purgeListCache();
    // An earlier lost creation's search of the same days filled the cache.
    await droppedThenMade(`cache-filler-${Date.now()}`);
    const idempotencyKey = `cache-lost-${Date.now()}`;
    const before = posts();
    const hits = context.server.cacheHits.length;
    context.server.loseNext('POST', 500, '/v1/order');
    const first = await create({ ...CARD, charge: true }, { idempotencyKey });
    expect(codes(first.errors)).toEqual(['PROVIDER_UNAVAILABLE']);
    await pastSettling();
    const retried = await create({ ...CARD, charge: true }, { idempotencyKey });
    // The copies answered (to the gateway's own sweep of the lost creation, and to the retry) were
    // made before the creation, and their Age says so: the order is not surely absent.
    expect(context.server.cacheHits.length).toBeGreaterThan(hits);
    expect(posts()).toBe(before + 1);
    expect(codes(retried.errors)).toEqual(['PROVIDER_UNAVAILABLE']);
    // The copy expires: the next retry finds the order made, charged once.
    context.server.purgeListCache();
    const later = await create({ ...CARD, charge: true }, { idempotencyKey });
    expect(later.errors).toBeUndefined();
    expect(later.data!.createOrder).toMatchObject({ status: 'CAPTURED' });
    expect(posts()).toBe(before + 1);
    expect(context.server.order(later.data!.createOrder.providerOrderId!)).toMatchObject({ charged: 2000 });
    const charged = [...context.server.requests.filter((request) => request.method === 'POST' && request.path === '/v1/order').slice(before)];
    expect(charged).toHaveLength(1);
  }, 40_000);
});

describe('Intergiro, round twenty-two: a cache in front of the listing, a change read back in a copy', () => {
  const { context, createOk, apply, read } = useIndependentIntergiro({ listCacheMs: CACHE_MS, callbacks: 'none' });

  it('a capture of an order cancelled at Intergiro, read back in a copy made before the order, is never answered CAPTURED', async () => {
    // Another order's capture, read back, fills the cache with the listing of today (emptied once
    // that order is made: a copy the gateway's re-reads filled before would not show it either).
    const earlier = await createOk(CARD);
    context.server.purgeListCache();
    const first = await apply([{ orderId: earlier.id, events: [{ type: 'CAPTURE' }] }]);
    expect(first.errors).toBeUndefined();
    const order = await createOk(CARD);
    context.server.cancelBehind(order.providerOrderId!);
    const hits = context.server.cacheHits.length;
    const answer = await apply([{ orderId: order.id, events: [{ type: 'CAPTURE' }] }]);
    expect(context.server.cacheHits.length).toBeGreaterThan(hits);
    // Unknown (the copy cannot show it): never done.
    expect(['PROVIDER_REJECTED', 'PROVIDER_UNAVAILABLE']).toContain(codes(answer.errors)?.[0]);
    expect(context.server.order(order.providerOrderId!)).toMatchObject({ status: 'cancelled', charged: 0 });
    const after = await read(order.id);
    expect(after.status).not.toBe('CAPTURED');
    expect(after.payments[0]).toMatchObject({ capturedAmount: { amount: '0.00' } });
  }, 20_000);

  it('a capture Intergiro carries out, read back in a copy made before the order, is never sent twice (control)', async () => {
    const earlier = await createOk(CARD);
    context.server.purgeListCache();
    expect((await apply([{ orderId: earlier.id, events: [{ type: 'CAPTURE' }] }])).errors).toBeUndefined();
    const order = await createOk(CARD);
    const patches = () => context.server.requests.filter((request) => request.method === 'PATCH').length;
    const before = patches();
    const answer = await apply([{ orderId: order.id, events: [{ type: 'CAPTURE' }] }]);
    expect(patches()).toBe(before + 1);
    expect(context.server.order(order.providerOrderId!)).toMatchObject({ charged: 2000 });
    // Answered done by its echo, or unknown until a fresh read: a retry never charges again.
    if (answer.errors) expect(codes(answer.errors)).toEqual(['PROVIDER_UNAVAILABLE']);
    context.server.purgeListCache();
    const again = await apply([{ orderId: order.id, events: [{ type: 'CAPTURE' }] }]);
    expect(patches()).toBeLessThanOrEqual(before + 1);
    expect(context.server.order(order.providerOrderId!)).toMatchObject({ charged: 2000 });
    expect(again.errors === undefined || codes(again.errors)?.every((code) => code !== 'INTERNAL_SERVER_ERROR')).toBe(true);
  }, 20_000);
});

describe('Intergiro, round twenty-two: a paged listing whose last page links back to page two, oldest first', () => {
  const { context, create, createOk, apply, read } = useIndependentIntergiro({ listPageSize: PAGE, listPaging: 'link', listNextLink: 'back-to-second', callbacks: 'none' });
  const posts = () => context.server.requests.filter((request) => request.method === 'POST' && request.path === '/v1/order').length;
  const listings = () => context.server.requests.filter((request) => request.method === 'GET' && request.path.startsWith('/v1/order')).length;

  it('a creation dropped before it reached Intergiro is made by its retry, once', async () => {
    // Five orders: three pages, the last linking back to the second.
    for (let made = 0; made < 2 * PAGE + 1; made++) await createOk(CARD);
    const idempotencyKey = `dropped-second-${Date.now()}`;
    const before = posts();
    context.server.loseNext('POST', 'dropped', '/v1/order');
    expect(codes((await create(CARD, { idempotencyKey })).errors)).toEqual(['PROVIDER_UNAVAILABLE']);
    await pastSettling();
    const listedBefore = listings();
    const retried = await create(CARD, { idempotencyKey });
    expect(retried.errors).toBeUndefined();
    expect(retried.data!.createOrder).toMatchObject({ status: 'AUTHORIZED' });
    expect(posts()).toBe(before + 2);
    // The pages there are and the first once more, per look (a search may look twice).
    expect(listings() - listedBefore).toBeLessThanOrEqual(2 * 4);
  }, 30_000);

  it('a capture of an order cancelled at Intergiro, on the last page, is refused (control)', async () => {
    const order = await createOk(CARD);
    context.server.cancelBehind(order.providerOrderId!);
    const answer = await apply([{ orderId: order.id, events: [{ type: 'CAPTURE' }] }]);
    expect(codes(answer.errors)).toEqual(['PROVIDER_REJECTED']);
    expect(context.server.order(order.providerOrderId!)).toMatchObject({ status: 'cancelled', charged: 0 });
    const after = await read(order.id);
    expect(after.payments[0]).toMatchObject({ capturedAmount: { amount: '0.00' } });
  }, 20_000);
});

describe('Intergiro, round twenty-two: a page of other shops\u2019 orders lands each time a newest-first listing\u2019s first page is answered', () => {
  const { context, createOk, apply, read } = useIndependentIntergiro({ listPageSize: PAGE, listPaging: 'link', listNewestFirst: true, callbacks: 'none' });
  /** While each listing's first page is answered, exactly a page's worth of other shops' orders is made. */
  const aPageLandsAtEachFirstPage = () => {
    context.server.options.onListPage = (page) => {
      if (page !== 1) return;
      for (let made = 0; made < PAGE; made++) context.server.madeElsewhere();
    };
  };

  it('a capture of an order cancelled at Intergiro, pushed past the pages read, is never answered CAPTURED', async () => {
    const order = await createOk(CARD);
    for (let made = 0; made < PAGE + 1; made++) await createOk(CARD);
    context.server.cancelBehind(order.providerOrderId!);
    aPageLandsAtEachFirstPage();
    try {
      const answer = await apply([{ orderId: order.id, events: [{ type: 'CAPTURE' }] }]);
      // Refused, or unknown (the listing shifted while read): never done.
      expect(['PROVIDER_REJECTED', 'PROVIDER_UNAVAILABLE']).toContain(codes(answer.errors)?.[0]);
    } finally {
      context.server.options.onListPage = undefined;
    }
    expect(context.server.order(order.providerOrderId!)).toMatchObject({ status: 'cancelled', charged: 0 });
    const after = await read(order.id);
    expect(after.status).not.toBe('CAPTURED');
    expect(after.payments[0]).toMatchObject({ capturedAmount: { amount: '0.00' } });
  }, 20_000);

  it('a capture of an order cancelled at Intergiro, the listing calm again, is refused (control)', async () => {
    const order = await createOk(CARD);
    for (let made = 0; made < PAGE + 1; made++) await createOk(CARD);
    context.server.cancelBehind(order.providerOrderId!);
    const answer = await apply([{ orderId: order.id, events: [{ type: 'CAPTURE' }] }]);
    expect(codes(answer.errors)).toEqual(['PROVIDER_REJECTED']);
    expect(context.server.order(order.providerOrderId!)).toMatchObject({ status: 'cancelled', charged: 0 });
  }, 20_000);
});
