/**
 * Round twenty-one against the Intergiro we did not write (test/support/independent/intergiro-server.ts),
 * for a paged listing that misbehaves. The seed's listing (`GET /v1/order?start&end`) answers "an
 * array of orders" and shows no paging at all; round thirteen had an Intergiro page it with a
 * `Link` to the next page that stops on the last page. Paginators in the wild do not all stop:
 * - the last page's `rel="next"` leads back to page one (a cursor that wraps), to the last page
 *   itself (a page number clamped to the last), or every page names a next one, those past the end
 *   answered `[]` (`listNextLink`); on a lost creation's search, where "surely absent" decides
 *   whether the retry creates, and on the read back after a capture;
 * - orders made by other shops while the gateway pages a listing kept newest first: each pushes the
 *   orders already listed onto the next page, so a page repeats the end of the one before
 *   (`onListPage`);
 * - new beside them: a creation whose connection is dropped by the front tier before it reaches
 *   Intergiro (`loseNext` `dropped`): nothing was made, and only the search can say so;
 * - round nineteen's leftover (Stockholm's wall clock across its daylight-saving change, no creation
 *   answered since): the seed shows no Event, and "You should get a 200 response with the same
 *   changes you requested" may come back with each change dated as Intergiro recorded it (round
 *   one's `datedEcho`), here in the same zoneless wall clock as every time it writes (`datedEchoAs`).
 * Found (run on the adapter before the fix): with any of the three links, a creation that never
 * reached Intergiro could never be made under its key: the search walked the listing until its link
 * came back to a page already asked (or twenty pages of `[]`), took the listing as "holding more
 * than it answered", and the retry was PROVIDER_UNAVAILABLE on every try (the buyer could not pay
 * that checkout). With `past-end` every listing (a search, each read back of a change) cost twenty
 * requests. Fixed in src/providers/intergiro/listing-pages.ts (walkEnds) read by client.ts
 * listOrderPages: a page answered `[]` ends the listing (nothing follows an empty page), and a page
 * that repeats in full the first page or the page just read (a link back to the start, or the last
 * page answered again) ends it too: the walk has read every page there is to reach. A page that
 * repeats only part of what was read (orders made meanwhile) is read on, as before.
 * And: a refund the acquirer refused after the change, on an order made before it, was answered
 * done (5.00 shown refunded, none refunded) though the echo's dates showed the offset now: only a
 * creation's `created` was read for it. A dated echo's zoneless dates, written while the PATCH was
 * out, are now read as a creation's are, where they all show one offset at both ends of the call
 * (dates.ts wallClockOffsetOfEcho, client.ts changeOrders); no zone is guessed.
 * Controls (passed before): the order made and answered 500, found past the first page and never
 * made twice; a capture of an order cancelled at Intergiro refused; overlapping pages.
 * Left: a page that repeats an earlier page in full because exactly a page's worth of orders was
 * made between two page reads (newest first) is taken for the end, as a wrap is (the orders it
 * pushed further are the oldest of the range, not a lost creation just made); a page of repeats
 * that is neither the first nor the one before still leaves the listing unfinished (unknown).
 * Both since round twenty-two: a link back to any page asked ends the walk, and a repeated page is
 * told from a shift by the first page asked again (intergiro-independent-22.test.ts).
 * Round nineteen's it.fails stays: with an undated echo (the seed's) and no creation since the
 * change, nothing Intergiro answers shows today's offset (the HTTP `Date` is GMT by definition), and
 * reading the failure in another offset would be a guess of the zone. A listing paged by
 * `X-Total-Count` alone still cannot be read past its first page (the parameter that asks for
 * another page is the platform's own; guessing `page` or `offset` was not done).
 * The gateway re-reads waiting orders rarely here (reconcileIntervalMs is long), so an order that
 * moves moved because of an answer.
 */
import { describe, expect, it } from 'vitest';
import { INTERGIRO_TEST_BROWSER } from '../support/intergiro.js';
import { useIndependentIntergiro as useRound, type IntergiroRoundOptions, type IntergiroVariation } from '../support/independent/intergiro-harness.js';

const useIndependentIntergiro = (variation: IntergiroVariation, setup?: IntergiroRoundOptions) => useRound('-21', variation, setup);
const CARD = { paymentType: 'CARD', cardToken: 'tok_ok', browser: INTERGIRO_TEST_BROWSER };
const codes = (errors: { extensions?: Record<string, unknown> }[] | undefined) => errors?.map((error) => error.extensions?.['code']);
/** Pages of two: three orders made first put the next one on a page of its own. */
const PAGE = 2;
/**
 * Past the time a first call may still be settling (the gateway's creationSettleMs, about 4.6 s
 * here): before it, a retry that finds nothing is told to come back (round fifteen's control).
 */
const pastSettling = () => new Promise((resolve) => setTimeout(resolve, 5_000));

describe.each([['back-to-first'], ['to-itself'], ['past-end']] as const)('Intergiro, round twenty-one: a paged listing whose last page links %s, oldest first', (link) => {
  const { context, create, createOk, apply, read } = useIndependentIntergiro({ listPageSize: PAGE, listPaging: 'link', listNextLink: link, callbacks: 'none' });
  const posts = () => context.server.requests.filter((request) => request.method === 'POST' && request.path === '/v1/order').length;
  const listings = () => context.server.requests.filter((request) => request.method === 'GET' && request.path === '/v1/order').length;

  it('a creation dropped before it reached Intergiro is made by its retry, once', async () => {
    for (let made = 0; made < PAGE + 1; made++) await createOk(CARD);
    const idempotencyKey = `dropped-${link}-${Date.now()}`;
    const before = posts();
    context.server.loseNext('POST', 'dropped', '/v1/order');
    const first = await create(CARD, { idempotencyKey });
    expect(codes(first.errors)).toEqual(['PROVIDER_UNAVAILABLE']);
    await pastSettling();
    const listedBefore = listings();
    const retried = await create(CARD, { idempotencyKey });
    // The search read the whole listing (three orders, two pages) and did not find it: made now.
    expect(retried.errors).toBeUndefined();
    expect(retried.data!.createOrder).toMatchObject({ status: 'AUTHORIZED' });
    expect(posts()).toBe(before + 2);
    expect(context.server.order(retried.data!.createOrder.providerOrderId!)).toMatchObject({ status: 'ordered' });
    // Not twenty pages per look: the pages there are, and the one that showed the walk had ended.
    expect(listings() - listedBefore).toBeLessThanOrEqual(2 * 4);
  }, 20_000);

  it('a creation made and answered 500, past the first page, is found by its retry and never made twice (control)', async () => {
    for (let made = 0; made < PAGE + 1; made++) await createOk(CARD);
    const idempotencyKey = `lost-${link}-${Date.now()}`;
    const before = posts();
    context.server.loseNext('POST', 500, '/v1/order');
    const first = await create({ ...CARD, charge: true }, { idempotencyKey });
    expect(codes(first.errors)).toEqual(['PROVIDER_UNAVAILABLE']);
    const retried = await create({ ...CARD, charge: true }, { idempotencyKey });
    expect(posts()).toBe(before + 1);
    expect(retried.errors).toBeUndefined();
    expect(retried.data!.createOrder).toMatchObject({ status: 'CAPTURED' });
    expect(context.server.order(retried.data!.createOrder.providerOrderId!)).toMatchObject({ charged: 2000 });
  }, 20_000);

  it('a capture of an order cancelled at Intergiro, past the first page, is refused, nothing shown captured (control)', async () => {
    for (let made = 0; made < PAGE + 1; made++) await createOk(CARD);
    const order = await createOk(CARD);
    context.server.cancelBehind(order.providerOrderId!);
    const answer = await apply([{ orderId: order.id, events: [{ type: 'CAPTURE' }] }]);
    expect(context.server.order(order.providerOrderId!)).toMatchObject({ status: 'cancelled', charged: 0 });
    expect(codes(answer.errors)).toEqual(['PROVIDER_REJECTED']);
    const after = await read(order.id);
    expect(after.status).not.toBe('CAPTURED');
    expect(after.payments[0]).toMatchObject({ capturedAmount: { amount: '0.00' } });
  }, 20_000);
});

describe('Intergiro, round twenty-one: orders made by other shops while the gateway pages a listing kept newest first', () => {
  const variation: IntergiroVariation = { listPageSize: PAGE, listPaging: 'link', listNewestFirst: true, callbacks: 'none' };
  const { context, create, createOk, apply } = useIndependentIntergiro(variation);
  const posts = () => context.server.requests.filter((request) => request.method === 'POST' && request.path === '/v1/order').length;
  /** While the next listing's first page is answered, another shop's order is made (the page after it then repeats one). */
  const oneMadeWhilePaging = () => {
    let armed = true;
    context.server.options.onListPage = (page) => {
      if (page !== 1 || !armed) return;
      armed = false;
      context.server.madeElsewhere();
    };
  };

  it('a creation dropped before it reached Intergiro is made by its retry once, the overlapping page read on', async () => {
    for (let made = 0; made < PAGE + 1; made++) await createOk(CARD);
    const idempotencyKey = `dropped-overlap-${Date.now()}`;
    const before = posts();
    context.server.loseNext('POST', 'dropped', '/v1/order');
    expect(codes((await create(CARD, { idempotencyKey })).errors)).toEqual(['PROVIDER_UNAVAILABLE']);
    await pastSettling();
    oneMadeWhilePaging();
    try {
      const retried = await create(CARD, { idempotencyKey });
      expect(retried.errors).toBeUndefined();
      expect(retried.data!.createOrder).toMatchObject({ status: 'AUTHORIZED' });
      // The dropped POST and the retry's.
      expect(posts()).toBe(before + 2);
    } finally {
      context.server.options.onListPage = undefined;
    }
  }, 20_000);

  it('a capture of an order cancelled at Intergiro, its listing shifted while paged, is refused (control)', async () => {
    const order = await createOk(CARD);
    for (let made = 0; made < PAGE + 1; made++) await createOk(CARD);
    context.server.cancelBehind(order.providerOrderId!);
    oneMadeWhilePaging();
    try {
      const answer = await apply([{ orderId: order.id, events: [{ type: 'CAPTURE' }] }]);
      expect(codes(answer.errors)).toEqual(['PROVIDER_REJECTED']);
      expect(context.server.order(order.providerOrderId!)).toMatchObject({ status: 'cancelled', charged: 0 });
    } finally {
      context.server.options.onListPage = undefined;
    }
  }, 20_000);
});

const ZONE = 'Europe/Stockholm';
/** How far ahead of UTC the zone's wall clock is at `at` (ms). */
const offsetAt = (at: number): number => {
  const wall = new Intl.DateTimeFormat('sv-SE', { timeZone: ZONE, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' })
    .format(new Date(at))
    .replace(' ', 'T');
  return Date.parse(`${wall}Z`) - at;
};
/** An instant some days back whose offset in ZONE is not today's (the other side of its last daylight-saving change). */
const acrossTheChange = (): number => {
  const now = Date.now();
  for (let days = 3; days < 370; days++) {
    const at = now - days * 86_400_000;
    if (offsetAt(at) !== offsetAt(now)) return at - 86_400_000 * 2;
  }
  throw new Error(`${ZONE} keeps one offset`);
};

/**
 * Round nineteen's leftover: an Intergiro writing every time as Stockholm's wall clock without a
 * zone, a card order made (and charged) on the other side of the zone's last daylight-saving change
 * and no creation answered since (a gateway restarted, a quiet shop), so no creation's `created`
 * shows today's offset. Here its PATCH echo dates each change (round one's `datedEcho`), in the
 * same wall clock as every other time it writes: a time written while the PATCH was out, which
 * shows the offset now as a creation's `created` does (client.ts readWallClock).
 */
function useAcrossTheChange(variation: IntergiroVariation) {
  let clockOffsetMs = 0;
  const round = useIndependentIntergiro({ wallClockZone: ZONE, refundsDeclined: true, callbacks: 'none', ...variation }, { now: () => new Date(Date.now() + clockOffsetMs) });
  const { context, create } = round;
  /** Made with `create`, outside the suite's closing money check, as round nineteen's it.fails left it overstated. */
  const chargedBeforeTheChange = async () => {
    const then = acrossTheChange();
    clockOffsetMs = then - Date.now();
    context.server.options.clockOffsetMs = clockOffsetMs;
    try {
      const order = (await create({ ...CARD, charge: true })).data!.createOrder;
      expect(order.status).toBe('CAPTURED');
      return order;
    } finally {
      clockOffsetMs = 0;
      context.server.options.clockOffsetMs = undefined;
    }
  };
  return { ...round, chargedBeforeTheChange };
}

describe("Intergiro, round twenty-one: Stockholm's wall clock across its daylight-saving change, none made since, the echo dated in it", () => {
  const { context, apply, read, chargedBeforeTheChange } = useAcrossTheChange({ datedEcho: true, datedEchoAs: 'wall-clock' });

  it('a refund the acquirer refuses after the change is refused, nothing shown refunded', async () => {
    const order = await chargedBeforeTheChange();
    const answer = await apply([{ orderId: order.id, events: [{ type: 'REFUND', amount: '5.00' }] }]);
    expect(context.server.order(order.providerOrderId!)).toMatchObject({ refunded: 0 });
    expect(codes(answer.errors)).toEqual(['PROVIDER_REJECTED']);
    expect((await read(order.id)).payments[0]).toMatchObject({ refundedAmount: { amount: '0.00' } });
  }, 15_000);
});

describe("Intergiro, round twenty-one: Stockholm's wall clock across its daylight-saving change, the echo dated in UTC (control)", () => {
  const { context, apply, read, chargedBeforeTheChange } = useAcrossTheChange({ datedEcho: true, refundsDeclined: false });

  it('a refund carried out after the change is answered done, 5.00 refunded once', async () => {
    const order = await chargedBeforeTheChange();
    const answer = await apply([{ orderId: order.id, events: [{ type: 'REFUND', amount: '5.00' }] }]);
    expect(answer.errors).toBeUndefined();
    expect(context.server.order(order.providerOrderId!)).toMatchObject({ refunded: 500 });
    expect((await read(order.id)).payments[0]).toMatchObject({ refundedAmount: { amount: '5.00' } });
  }, 15_000);
});
