/**
 * Round twenty against the Intergiro we did not write (test/support/independent/intergiro-server.ts):
 * every earlier round's way of answering at once. Nineteen rounds each varied two or three of its
 * options beside the others' defaults; here a seeded generator turns on several at a time and runs
 * a merchant's main flows through the gateway over real HTTP under each combination.
 *
 * What it varies: 18 combinations (seeded, mulberry32; SEEDS below, the combination in each
 * describe's name), each 4 to 8 of 44 groups of options, one reading per group: create's status and
 * an answer without status; status words' case, padding, spelling (`canceled`), `orderedWord`,
 * `chargedWord`, `linkStatus`, `statusAs` lists, `refundedWord`; amounts as strings, items as a
 * number, refunds recorded negative, events without amounts, in the Callbacks' tense, one event as
 * an object; content types (none, with a charset, required on GETs); the Error's shapes and
 * statuses (minimal, message, nested, a word, at 200); the listing's days (end exclusive, dates
 * required, a month at most, its own zone, by last change), its paging (Link, X-Total-Count, newest
 * first), orders listed without status or number, reads without events, reads that lag (300 ms),
 * unset fields null or ""; PATCH answered late, out of order, 202 / 204 / empty / the orders / only
 * what was carried out / dated, changes carried out after the answer; capture words; callbacks
 * before, twice, twice at once, with claims, id-only, checked through verify (at either path), its
 * content type with a charset; clocks 4 s off; times in another offset, micro, no zone, the zone's
 * wall clock, epoch; `GET /v1/order/<id>` answered every way; 3-D Secure in two rounds, an order
 * kept while it waits; a link paid on its payment only; charge "auto" carried out later; one order
 * per number; a front tier's redirects; a strict server. Faults are not drawn: the one fault of a
 * combination is its last flow's lost creation answer. Flows: card authorized, captured in part,
 * refunded in two parts, another cancelled; 3-D Secure stopped and resubmitted, captured whole; a
 * payment link paid, CAPTURED by its callback, refunded; a creation whose answer is lost, retried
 * under its key. Each money call reaches Intergiro once under a word it carries out (a capture
 * refused only for its word may go once before, round three), Intergiro's own figures are checked,
 * and the harness's closing check finds no order showing money Intergiro did not move. About 55 s.
 *
 * Broke, fixed in src/providers/intergiro:
 * - reads that lag the writes (`readLagMs`) beside a payment link paid a moment after it was made
 *   and a refund Intergiro refuses (`linkPaidOnPaymentOnly`: its own word stays `created`, and this
 *   Intergiro refunds only an order whose word says charged): the read back did not find the order
 *   yet (a replica lists an order made less than the lag ago only later) and took that for "nothing
 *   to show", so the echo stood: the refund was answered done, 20.00 shown REFUNDED and none
 *   refunded at Intergiro (the money check named it; seeds 3036, 3060). Round five's lag was run
 *   with orders made long before their changes. A read that does not find the order is now made
 *   once more 750 ms later, as one that shows nothing yet is (echo-read-back.ts); a failure the
 *   later read shows is this PATCH's when the first did not find the order. A read that failed
 *   (turned away, timed out) is still not made again (rounds seventeen to nineteen).
 * - a listing paged by `X-Total-Count` alone, oldest first (round thirteen saw it newest first): an
 *   order past its first page (the third made that day, pages of two) was "not found" by every read
 *   back, and the echo stood: a refund refused there was answered done, 20.00 shown refunded, none
 *   refunded (seed 3027). A listing that says it holds more than it answered and does not show the
 *   order is now no answer (index.ts listedOrder, PROVIDER_UNAVAILABLE): the change is unknown, its
 *   intent pending until the callback or a re-read shows it (round nineteen's unreadChange), never
 *   sent again; a capture Intergiro carried out there is CAPTURED by its callback.
 * Not the adapter (the test reads the server as it is): this Intergiro refuses a refund of a link
 * paid on its payment only (its refund checks the order's word), and the adapter says so
 * (PROVIDER_REJECTED); its later automatic charge moves the word, and the refund then goes. The
 * 3-D Secure result the shop resubmits completes the order in one resubmission however many rounds
 * the card takes. Left out as pairs no implementation could answer or known since earlier rounds:
 * EXCLUDED below.
 * Left: with an X-Total-Count listing, a change on an order past its first page is answered
 * PROVIDER_UNAVAILABLE (settled by the callback, or pending until its bound where none comes), and
 * a lost creation there, or at a listing without numbers, stays unknown (rounds two and thirteen).
 * No it.fails this round.
 */
import { describe, expect, it } from 'vitest';
import { INTERGIRO_TEST_BROWSER } from '../support/intergiro.js';
import { useIndependentIntergiro as useRound, type IntergiroVariation } from '../support/independent/intergiro-harness.js';
import { seededRandom } from '../support/seeded-random.js';

/**
 * Each group is one thing the seed leaves open; its entries are the readings an implementer may
 * pick (at most one per combination, so no combination holds two readings of one thing).
 * Faults that make one call fail (a declined charge, a throttle, a slow listing) are not drawn:
 * the one fault of a combination is the lost creation answer of its last flow.
 */
const GROUPS: [string, IntergiroVariation[]][] = [
  ['createStatus', [{ createStatus: 201 }]],
  ['createAnswerWithoutStatus', [{ createAnswerWithoutStatus: true }]],
  ['statusCase', [{ statusCase: 'upper' }, { statusCase: 'capital' }, { statusPadding: true }]],
  ['cancelSpelling', [{ cancelSpelling: 'canceled' }]],
  ['amountAs', [{ amountAs: 'string' }]],
  ['itemsInAnswer', [{ itemsInAnswer: 'number' }]],
  ['contentType', [{ contentType: null }, { contentType: 'application/json; charset=utf-8' }]],
  ['errors', [{ verificationError: 'minimal' }, { verificationError: 'message', errorStatus: 402 }, { errorShape: 'nested' }, { errorStatusAs: 'word' }, { errorsAt200: true }]],
  ['listDates', [{ listEndExclusive: true }, { listRequiresDates: true }, { listMaxDays: 31 }, { listDayOffsetMs: 2 * 3_600_000 }, { listBy: 'changed' }]],
  ['patchTiming', [{ patchDelayMs: 150 }, { patchAnswerDelaysMs: [300, 0, 200, 0, 250] }]],
  ['callbacks', [{ callbacks: 'before' }, { callbacks: 'twice' }, { callbacks: 'twice-at-once' }]],
  ['callbackClaims', [{ callbackClaims: 'registered' }, { callbackClaims: 'timed' }]],
  ['clockOffsetMs', [{ clockOffsetMs: 4000 }, { clockOffsetMs: -4000 }]],
  ['callbackPayload', [{ callbackPayload: 'id-only' }]],
  ['callbackContentType', [{ callbackContentType: 'application/jwt; charset=utf-8' }]],
  ['captureWords', [{ captureWords: ['capture'] }, { captureWords: ['charge', 'capture'] }]],
  ['listWithoutStatus', [{ listWithoutStatus: true }]],
  ['unknownPath', [{ unknownPath: 'html-404' }, { unknownPath: 405 }, { unknownPath: 400 }, { unknownPath: 'listing' }]],
  [
    'times',
    [
      { createdFormat: 'offset' },
      { createdFormat: 'micro' },
      { createdFormat: 'no-zone' },
      { createdFormat: 'local-behind', eventDatesAs: 'local-behind' },
      { createdFormat: 'epoch-ms', eventDatesAs: 'epoch-ms' },
      { createdFormat: 'epoch-s' },
      { eventDatesAs: 'local-behind' },
      { wallClockZone: 'Europe/Stockholm' },
    ],
  ],
  ['verificationRounds', [{ verificationRounds: 2 }]],
  ['listWithoutNumber', [{ listWithoutNumber: true }]],
  ['unsetAs', [{ unsetAs: 'null' }, { unsetAs: 'empty' }]],
  ['linkStatus', [{ linkStatus: 'pending' }, { linkStatus: 'unpaid' }]],
  ['verify', [{ gatewayWithoutSecret: true }, { gatewayWithoutSecret: true, verifyPath: '/worker-order/order/verify' }]],
  ['readsWithoutEvents', [{ readsWithoutEvents: true }]],
  ['datedEcho', [{ datedEcho: true }]],
  ['words', [{ orderedWord: 'authorized' }, { chargedWord: 'captured' }, { orderedWord: 'authorized', chargedWord: 'captured' }]],
  ['contentTypeOnGet', [{ contentTypeOnGet: true }]],
  ['verificationCallback', [{ verificationCallback: 'pending' }]],
  ['patchAnswer', [{ patchAnswer: 202 }, { patchAnswer: 204 }, { patchAnswer: 'empty' }, { patchAnswer: 'orders' }, { echoCarriedOutOnly: true }]],
  ['cardPaymentAs', [{ cardPaymentAs: 'id' }]],
  ['failedEventAs', [{ failedEventAs: 'failed' }, { failedEventAs: 'status' }, { failedEventAs: 'error' }, { failedEventAs: 'success' }]],
  ['readLagMs', [{ readLagMs: 300 }]],
  ['linkPaidOnPaymentOnly', [{ linkPaidOnPaymentOnly: true }]],
  ['eventsInPastTense', [{ eventsInPastTense: true }]],
  ['eventShape', [{ eventShape: 'single-or-blank' }]],
  ['eventsWithoutAmounts', [{ eventsWithoutAmounts: true }]],
  ['autoChargeDelayMs', [{ autoChargeDelayMs: 200 }]],
  ['numberOnce', [{ numberOnce: true }, { numberOnce: 'answer' }]],
  ['statusAs', [{ statusAs: 'list' }, { statusAs: 'word-amount' }, { statusAs: 'reached' }, { statusAs: 'standing' }]],
  ['refundsRecordedNegative', [{ refundsRecordedNegative: true }]],
  ['refundedWord', [{ refundedWord: 'whole' }]],
  ['paging', [{ listPageSize: 2 }, { listPageSize: 2, listPaging: 'total-count' }, { listPageSize: 2, listNewestFirst: true }]],
  ['frontRedirect', [{ frontRedirect: { status: 308, to: 'trailing-slash' } }, { frontRedirect: { status: 307, to: 'moved' } }]],
  ['strict', [{ strict: true }]],
];

/** Pairs left out, each with why (a name is a group's, an option's, or a reading's label). */
const EXCLUDED: [string, string, string][] = [
  [
    'patchDelayMs',
    'echoCarriedOutOnly',
    'an echo of only the changes carried out, answered before any is carried out, is always empty: it says "nothing done" of changes it then does (no implementation can list what it has not done yet)',
  ],
  [
    'readsWithoutEvents',
    'listWithoutStatus',
    'reads that show neither events nor a word show nothing of any change (README Known limitations: "a change a read cannot show at all"; rounds four and ten)',
  ],
];

/** How a chosen reading is named in a test's title and in EXCLUDED. */
const label = (group: string, value: IntergiroVariation): string => {
  const [only, ...more] = Object.entries(value);
  return more.length === 0 && only ? `${only[0]}=${JSON.stringify(only[1])}` : `${group}=${JSON.stringify(value)}`;
};
const matches = (name: string, group: string, value: IntergiroVariation) => name === group || name === label(group, value) || Object.keys(value).includes(name);

/** One combination from `seed`: 4 to 8 groups, a reading of each, none of EXCLUDED's pairs. */
function combination(seed: number): { name: string; variation: IntergiroVariation } {
  const random = seededRandom(seed);
  for (;;) {
    const count = 4 + Math.floor(random() * 5);
    const pool = [...GROUPS];
    const chosen: [string, IntergiroVariation][] = [];
    while (chosen.length < count) {
      const [group, values] = pool.splice(Math.floor(random() * pool.length), 1)[0]!;
      chosen.push([group, values[Math.floor(random() * values.length)]!]);
    }
    const clash = EXCLUDED.some(([one, other]) => chosen.some(([g, v]) => matches(one, g, v)) && chosen.some(([g, v]) => matches(other, g, v)));
    if (clash) continue;
    return { name: chosen.map(([group, value]) => label(group, value)).join(' '), variation: Object.assign({}, ...chosen.map(([, value]) => value)) as IntergiroVariation };
  }
}

/** Fourteen seeds of a first pass, then seeds of a wider pass (3000-3069) whose combinations found something. */
const SEEDS = [2001, 2002, 2003, 2004, 2005, 2006, 2007, 2008, 2009, 2010, 2011, 2012, 2013, 2014, 3027, 3032, 3036, 3060];
/** Combinations kept as it.fails (found, not fixable without a guess): seed -> why. */
const FAILING: Record<number, string> = {};

const CARD = { paymentType: 'CARD', cardToken: 'tok_visa', browser: INTERGIRO_TEST_BROWSER };
const THREE_DS = { paymentType: 'CARD', cardToken: 'tok_3ds', browser: INTERGIRO_TEST_BROWSER };
const RETURN_URLS = { success: 'https://shop.example/ok' };
const codes = (errors: { extensions?: Record<string, unknown> }[] | undefined) => errors?.map((error) => error.extensions?.['code']);

for (const { seed, name, variation } of SEEDS.map((one) => ({ seed: one, ...combination(one) }))) describe(`Intergiro, round twenty, seed ${seed}: ${name}`, () => {
  const { context, create, createOk, read, settlesAt, apply, resubmit } = useRound('-20', variation);
  const patches = () => context.server.requests.filter((request) => request.method === 'PATCH');
  /** The words this Intergiro carries out for a gateway event (a capture under a word it does not take is refused, nothing moved). */
  const takes = (type: string): string[] => (type === 'CAPTURE' ? (variation.captureWords ?? ['charge']) : [type.toLowerCase()]);
  const carrying = (sent: { body: unknown }[], words: string[]) =>
    sent.filter((request) => Array.isArray(request.body) && (request.body as { event?: { type?: string }[] }[]).some((element) => element.event?.some((event) => words.includes(String(event.type))))).length;
  /** The order once it is `status`: at once where the answer says so, else by a callback. */
  const reach = async (order: { id: string; status: string }, status: string) => (order.status === status ? read(order.id) : settlesAt(order.id, status));
  /** Applies one event, the PATCHes it sent counted: a money call reaches Intergiro once. */
  const change = async (orderId: string, event: Record<string, unknown>) => {
    const before = patches().length;
    const answer = await apply([{ orderId, events: [event] }]);
    // A listing that says only X-Total-Count cannot show an order past its first page: the read back
    // of a change there has no answer, and the change is unknown until the callback tells it.
    const unread = pagedByCount && codes(answer.errors)?.join() === 'PROVIDER_UNAVAILABLE';
    if (!unread) expect(answer.errors, JSON.stringify(answer.errors)).toBeUndefined();
    // Once under a word Intergiro carries out; a capture refused only for its word may go once before it.
    const sent = patches().slice(before);
    expect(carrying(sent, takes(String(event['type'])))).toBe(1);
    expect(sent.length).toBeLessThanOrEqual(event['type'] === 'CAPTURE' && !takes('CAPTURE').includes('charge') ? 2 : 1);
    return unread ? read(orderId) : answer.data!.applyOrderEvents[0]!;
  };
  const run = FAILING[seed] ? it.fails : it;
  const pagedByCount = variation.listPaging === 'total-count';
  /** Intergiro's own record of the order, once it shows `figures` (a change carried out after its answer: patchDelayMs), else as it is. */
  const atServer = async (id: string, figures: Record<string, unknown>) => {
    const shows = () => Object.entries(figures).every(([key, value]) => (context.server.order(id) as unknown as Record<string, unknown> | undefined)?.[key] === value);
    await eventually(shows).catch(() => undefined);
    expect(context.server.order(id)).toMatchObject(figures);
  };

  run('card: authorized, 12.00 captured, 5.00 and 7.00 refunded; another cancelled', async () => {
    const order = await reach(await createOk(CARD), 'AUTHORIZED');
    expect(order.total).toMatchObject({ amount: '20.00', currency: 'EUR' });
    await reach(await change(order.id, { type: 'CAPTURE', amount: '12.00' }), 'PARTIALLY_CAPTURED');
    await atServer(order.providerOrderId!, { charged: 1200 });
    expect((await read(order.id)).payments[0]).toMatchObject({ capturedAmount: { amount: '12.00' } });
    await reach(await change(order.id, { type: 'REFUND', amount: '5.00' }), 'PARTIALLY_REFUNDED');
    expect((await read(order.id)).payments[0]).toMatchObject({ refundedAmount: { amount: '5.00' } });
    await reach(await change(order.id, { type: 'REFUND', amount: '7.00' }), 'REFUNDED');
    await atServer(order.providerOrderId!, { charged: 1200, refunded: 1200 });
    expect((await read(order.id)).payments[0]).toMatchObject({ capturedAmount: { amount: '12.00' }, refundedAmount: { amount: '12.00' } });

    const other = await reach(await createOk(CARD), 'AUTHORIZED');
    await reach(await change(other.id, { type: 'CANCEL' }), 'CANCELLED');
    await atServer(other.providerOrderId!, { status: 'cancelled', charged: 0 });
  }, 20_000);

  it('3-D Secure: stopped, resubmitted under its id, authorized, captured whole', async () => {
    let order = await createOk(THREE_DS);
    expect(order).toMatchObject({ status: 'ACTION_REQUIRED', creation: { status: 'STOPPED', stopAction: { type: 'THREE_DS' } } });
    for (let round = 0; round < (variation.verificationRounds ?? 1) && order.status === 'ACTION_REQUIRED'; round++) {
      const answer = await resubmit(order.id);
      expect(answer.errors, JSON.stringify(answer.errors)).toBeUndefined();
      order = answer.data!.continueOrderCreation;
    }
    order = await reach(order, 'AUTHORIZED');
    // The shop's result (a card the independent Intergiro takes as verified) completes it in one resubmission, however many rounds a 3-D Secure card takes.
    expect(context.server.requests.filter((request) => request.method === 'POST' && request.path === '/v1/order' && (request.body as { id?: string }).id === order.providerOrderId)).toHaveLength(1);
    await reach(await change(order.id, { type: 'CAPTURE' }), 'CAPTURED');
    await atServer(order.providerOrderId!, { charged: 2000 });
    expect((await read(order.id)).payments[0]).toMatchObject({ capturedAmount: { amount: '20.00' } });
  }, 20_000);

  it('payment link with charge "auto": paid by the buyer, CAPTURED by its callback, refunded whole', async () => {
    const order = await createOk({ paymentType: 'LINK', charge: true }, { returnUrls: RETURN_URLS });
    expect(order.creation).toMatchObject({ status: 'STOPPED', stopAction: { type: 'REDIRECT' } });
    await context.server.payLink(order.providerOrderId!);
    const paid = await settlesAt(order.id, 'CAPTURED');
    expect(paid.payments[0]).toMatchObject({ capturedAmount: { amount: '20.00' } });
    await eventually(() => context.server.order(order.providerOrderId!)?.charged === 2000);
    if (variation.linkPaidOnPaymentOnly && variation.autoChargeDelayMs === undefined) {
      // This Intergiro refunds only an order whose own word says charged, and a link paid on its
      // payment only keeps `created` (its later automatic charge moves the word): refused, nothing refunded.
      const refused = await apply([{ orderId: order.id, events: [{ type: 'REFUND' }] }]);
      expect(codes(refused.errors)).toEqual([pagedByCount ? expect.stringMatching(/^PROVIDER_(REJECTED|UNAVAILABLE)$/) : 'PROVIDER_REJECTED']);
      await atServer(order.providerOrderId!, { charged: 2000, refunded: 0 });
      expect((await read(order.id)).payments[0]).toMatchObject({ capturedAmount: { amount: '20.00' }, refundedAmount: { amount: '0.00' } });
      return;
    }
    await reach(await change(order.id, { type: 'REFUND' }), 'REFUNDED');
    await atServer(order.providerOrderId!, { charged: 2000, refunded: 2000 });
  }, 20_000);

  it('a creation whose answer is lost, retried under the same key: one order at Intergiro, the retry answers it', async () => {
    const reference = `r20-${seed}-${Math.random().toString(36).slice(2, 8)}`;
    const idempotencyKey = `create-${reference}`;
    context.server.loseNext('POST', 'reset', '/v1/order');
    const first = await create(CARD, { reference, idempotencyKey });
    expect(codes(first.errors) ?? ['answered']).toEqual([expect.stringMatching(/^(PROVIDER_UNAVAILABLE|answered)$/)]);
    context.server.forgetLosses();
    if (variation.listWithoutNumber || variation.listPaging === 'total-count') {
      // Round two: a listing without the merchant's number cannot tell the order a lost creation
      // made; round thirteen: one that says only X-Total-Count cannot show the pages past its first.
      // Unknown, never made again.
      expect(codes((await create(CARD, { reference, idempotencyKey })).errors) ?? ['answered']).toEqual([expect.stringMatching(/^(PROVIDER_UNAVAILABLE|answered)$/)]);
      expect(context.server.requests.filter((request) => request.method === 'POST' && (request.body as { number?: string }).number === reference)).toHaveLength(1);
      return;
    }
    const retried = await createOk(CARD, { reference, idempotencyKey });
    const made = context.server.requests.filter((request) => request.method === 'POST' && request.path === '/v1/order' && (request.body as { number?: string }).number === reference && (request.body as { id?: string }).id === undefined);
    if (!variation.numberOnce) expect(made).toHaveLength(1);
    expect(retried.providerOrderId).toBeTruthy();
    await atServer(retried.providerOrderId!, { number: reference, charged: 0 });
    await reach(retried, 'AUTHORIZED');
  }, 20_000);
});

async function eventually(check: () => boolean, timeoutMs = 3000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error('not reached in time');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
