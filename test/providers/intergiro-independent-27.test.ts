/**
 * Round twenty-seven against the Intergiro we did not write (test/support/independent/intergiro-server.ts),
 * for two things the seed writes only as placeholders and no earlier round varied:
 * - "<datetime of order>" (and the events' dates: the seed shows no event): rounds six, eleven,
 *   fourteen and nineteen had Intergiro write ISO 8601 with an offset, without a zone, as its own
 *   zone's wall clock, or as an epoch number. A Swedish platform printing its local time with its
 *   language's default formatter writes the zone's abbreviation: Go's `time.Time.String()`
 *   ("2026-12-07 17:36:51.123 +0100 CET", with " m=+12.345678901" after a `time.Now()` value), or
 *   strftime's `%Y-%m-%d %H:%M:%S %Z` ("2026-12-07 17:36:51 CET", no offset) (`timesAs`); here on
 *   a refund the acquirer refuses, two refunds in one call the second more than its back office
 *   left (round fourteen's two), `orders(filter)`, and a lost creation's search;
 * - "<Currency of order>": the seed shows a currency only in a request (`"currency": "EUR"`). An
 *   Intergiro whose acquiring core keeps ISO 8583's numeric codes answers EUR as `"978"` or `978`
 *   (`currencyAs` `numeric-text`, `numeric`); here on a card order charged, captured and refunded,
 *   a payment link paid, an order in SEK, and a lost creation's search.
 * Found (run on the adapter before the fix):
 * - every such time was unreadable (`Date.parse` knows no `CET`, and Go's form is no ISO 8601):
 *   a refund the acquirer refused, recorded by Intergiro as a failed Event, was answered done
 *   (REFUNDED 5.00 shown where Intergiro refunded nothing): the read back takes a failure as this
 *   PATCH's only where it is dated since the PATCH went (echo-read-back.ts datedSince), and an
 *   unreadable date is not. `orders(filter)` left out every order (`created` not a date).
 *   Fixed: src/providers/intergiro/platform-times.ts platformTimeAsIso (Go's form read by its
 *   numeric offset; strftime's by its abbreviation where that names one offset, `CET`, `CEST`,
 *   `EET`, `EEST`, `WET`, `WEST`, `UTC`, `GMT`; `IST`, `CST`, `BST` name several and stay
 *   unreadable), read by dates.ts intergiroTime and namesZone.
 * - a numeric currency made the whole order unreadable: a card order Intergiro authorized and
 *   charged was PROVIDER_UNAVAILABLE to the shop, a payment link was never handed out, and every
 *   callback was refused. Fixed: src/providers/intergiro/currency-codes.ts currencyCodeOf (a
 *   numeric code of ISO 4217's table, as text or a JSON number; one not in the table stays
 *   unreadable, never guessed), read by wire.ts IntergiroOrder.currency.
 * Left: a time with an abbreviation that names several offsets, or an IANA zone name without an
 * offset ("2026-12-07 17:36:51 Europe/Stockholm"), is still unreadable (not run here: by the path
 * the first finding took, a failed refund dated so would be answered done); a numeric currency outside currency-codes.ts's table leaves its order
 * unreadable (PROVIDER_UNAVAILABLE, never a guessed currency). Round twenty-six's leftovers (a
 * `Link` looping back early with no `X-Total-Count`; round seven's refunds without amounts) and
 * round nineteen's it.fails stay: nothing the seed shows tells such a loop from a listing's end.
 * In the whole Intergiro run one round-twenty test (seed 2001, a PATCH answered PROVIDER_UNAVAILABLE)
 * failed once under the shared machine's load and passed when run again alone.
 * The gateway re-reads waiting orders rarely here (reconcileIntervalMs is long), so an order that
 * moves moved because of an answer or a callback.
 */
import { describe, expect, it } from 'vitest';
import { INTERGIRO_TEST_BROWSER } from '../support/intergiro.js';
import { useIndependentIntergiro as useRound, type IntergiroVariation } from '../support/independent/intergiro-harness.js';
import { describeDatedPaths } from '../support/independent/intergiro-time-scenarios.js';

const useIndependentIntergiro = (variation: IntergiroVariation) => useRound('-27', variation);
const CARD = { paymentType: 'CARD', cardToken: 'tok_ok', browser: INTERGIRO_TEST_BROWSER };
const LINK = { paymentType: 'LINK' };
const codes = (errors: { extensions?: Record<string, unknown> }[] | undefined) => errors?.map((error) => error.extensions?.['code']);
const creationsOf = (requests: { method: string; path: string; body: unknown }[], reference: string) =>
  requests.filter((request) => request.method === 'POST' && request.path === '/v1/order' && (request.body as { number?: string }).number === reference);

const PLATFORM_TIMES = [
  ["Go's time.Time.String()", { timesAs: 'go' }],
  ["Go's time.Time.String() of time.Now(), its monotonic reading after it", { timesAs: 'go-monotonic' }],
  ["strftime's %Z, the abbreviation alone", { timesAs: 'strftime' }],
] as [string, IntergiroVariation][];

describeDatedPaths('-27', 'twenty-seven', PLATFORM_TIMES);

describe.each([
  ['as text ("978")', { currencyAs: 'numeric-text' }],
  ['as a JSON number (978)', { currencyAs: 'numeric' }],
] as [string, IntergiroVariation][])('Intergiro, round twenty-seven: the currency as its ISO 4217 numeric code %s', (_name, variation) => {
  const { context, create, createOk, apply, read, settlesAt } = useIndependentIntergiro(variation);

  it('a card order charged at once is CAPTURED 20.00 EUR', async () => {
    const order = await createOk({ ...CARD, charge: true });
    expect(order.status).toBe('CAPTURED');
    expect(order.total).toMatchObject({ amount: '20.00', currency: 'EUR' });
    expect(order.payments[0]).toMatchObject({ capturedAmount: { amount: '20.00' } });
    expect(context.server.order(order.providerOrderId!)).toMatchObject({ charged: 2000 });
  });

  it('an order authorized, captured and refunded in part reaches Intergiro once each, its figures as Intergiro holds them', async () => {
    const order = await createOk(CARD);
    expect(order.status).toBe('AUTHORIZED');
    expect((await apply([{ orderId: order.id, events: [{ type: 'CAPTURE' }] }])).errors).toBeUndefined();
    expect((await apply([{ orderId: order.id, events: [{ type: 'REFUND', amount: '5.00' }] }])).errors).toBeUndefined();
    expect(context.server.order(order.providerOrderId!)).toMatchObject({ charged: 2000, refunded: 500 });
    const patches = context.server.requests.filter((request) => request.method === 'PATCH' && JSON.stringify(request.body).includes(order.providerOrderId!));
    expect(patches).toHaveLength(2);
    const shown = await read(order.id);
    expect(shown.status).toBe('PARTIALLY_REFUNDED');
    expect(shown.payments[0]).toMatchObject({ capturedAmount: { amount: '20.00' }, refundedAmount: { amount: '5.00' } });
  });

  it('an order in SEK reads as SEK', async () => {
    const made = await create(CARD, { currency: 'SEK' });
    expect(made.errors).toBeUndefined();
    expect(made.data!.createOrder).toMatchObject({ status: 'AUTHORIZED', total: { amount: '20.00', currency: 'SEK' } });
  });

  it('a payment link paid is CAPTURED by its callback', async () => {
    const order = await createOk({ ...LINK, charge: true });
    expect(order.status).toBe('CREATED');
    await context.server.payLink(order.providerOrderId!);
    expect(context.server.callbacksSent.at(-1)?.status).toBeLessThan(300);
    const paid = await settlesAt(order.id, 'CAPTURED');
    expect(paid.payments[0]).toMatchObject({ capturedAmount: { amount: '20.00' } });
  });

  it('a creation answered 500 and retried under its key is made (and charged) once', async () => {
    const reference = `r27-${Math.random().toString(36).slice(2, 8)}`;
    const idempotencyKey = `lost-${reference}`;
    context.server.loseNext('POST', 500, '/v1/order');
    expect(codes((await create({ ...CARD, charge: true }, { reference, idempotencyKey })).errors)).toEqual(['PROVIDER_UNAVAILABLE']);
    context.server.forgetLosses();
    const retried = await create({ ...CARD, charge: true }, { reference, idempotencyKey });
    expect(creationsOf(context.server.requests, reference)).toHaveLength(1);
    expect(retried.errors).toBeUndefined();
    expect(context.server.order(retried.data!.createOrder.providerOrderId!)).toMatchObject({ number: reference, charged: 2000 });
  });
});
