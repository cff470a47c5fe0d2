/**
 * Round seven against the Intergiro we did not write (test/support/independent/intergiro-server.ts),
 * for the money figures themselves and for what two back offices do to one order at once:
 * - partial captures and several partial refunds whose amounts sum to what was captured, checked
 *   against what Intergiro holds after every step (the harness's closing money check sees only the
 *   end), in a currency of two decimals, of none (JPY) and of three (KWD): the seed writes
 *   "<currency of the transaction>" and an amount only as `"items": 20`;
 * - two back offices acting on one order at once, Intergiro answering the first PATCH slowly or
 *   after the second (`patchAnswerDelaysMs`);
 * - callbacks as the seed has them (the order as an HS256 JWT, or only `id` and `merchant`), posted
 *   again out of order against the reads;
 * - several refunds in one call, one of them refused by Intergiro; events recorded without amounts.
 * Broke, fixed in src/providers/intergiro: a callback saying `charged` without figures ranked above a
 * partial capture's PARTIALLY_CAPTURED (mapping.ts); two refunds in one element were both answered
 * done where Intergiro refused one (refunds-read-back.ts); events without `items` read as "the
 * rest" overstated a partial capture or refund (amounts.ts movedAmounts). Left (it.fails): a second
 * refund whose answer was lost, at an Intergiro recording events without amounts (counted since
 * round eleven where its status is a list with amounts, intergiro-independent-11.test.ts; with a
 * one-word status still left).
 * The gateway re-reads waiting orders rarely here (reconcileIntervalMs is long), so an order that
 * moves moved because of an answer or a callback.
 */
import { describe, expect, it } from 'vitest';
import type { OrderView } from '../support/documents.js';
import { eventually } from '../support/gateway.js';
import { INTERGIRO_TEST_BROWSER, postIntergiroCallback } from '../support/intergiro.js';
import { useIndependentIntergiro as useRound, type IntergiroVariation } from '../support/independent/intergiro-harness.js';

const useIndependentIntergiro = (variation: IntergiroVariation) => useRound('-7', variation);
const CARD = { paymentType: 'CARD', cardToken: 'tok_ok', browser: INTERGIRO_TEST_BROWSER };
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** What the gateway shows of an order's money, in the server's units (`scale` to one major unit). */
const shown = (order: OrderView, scale = 100) => ({
  captured: Math.round(Number(order.payments[0]!.capturedAmount.amount) * scale),
  refunded: Math.round(Number(order.payments[0]!.refundedAmount.amount) * scale),
});

/**
 * Partial capture, then refunds summing to exactly what was captured, each step's figures checked
 * against Intergiro's: what the gateway shows must be what Intergiro holds, never more, never less.
 */
describe.each([
  ['EUR, amounts as numbers', { currency: 'EUR', amount: '20.00', capture: '12.34', refunds: ['0.01', '4.33', '8.00'], scale: 100 }, {}],
  ['EUR, amounts as strings', { currency: 'EUR', amount: '20.00', capture: '12.34', refunds: ['0.01', '4.33', '8.00'], scale: 100 }, { amountAs: 'string' }],
  ['JPY (no decimals)', { currency: 'JPY', amount: '2000', capture: '1501', refunds: ['1', '500', '1000'], scale: 100 }, {}],
  ['KWD (three decimals)', { currency: 'KWD', amount: '20.000', capture: '12.345', refunds: ['0.001', '4.344', '8.000'], scale: 1000 }, { amountScale: 1000 }],
  ['KWD (three decimals), amounts as strings', { currency: 'KWD', amount: '20.000', capture: '12.345', refunds: ['0.001', '4.344', '8.000'], scale: 1000 }, { amountScale: 1000, amountAs: 'string' }],
  ['EUR, PATCH answered 204', { currency: 'EUR', amount: '20.00', capture: '12.34', refunds: ['0.01', '4.33', '8.00'], scale: 100 }, { patchAnswer: 204 }],
  ['EUR, PATCH answered 200 empty, reads without events', { currency: 'EUR', amount: '20.00', capture: '12.34', refunds: ['0.01', '4.33', '8.00'], scale: 100 }, { patchAnswer: 'empty', readsWithoutEvents: true }],
  ['EUR, a strict Intergiro whose capture word is `capture`', { currency: 'EUR', amount: '20.00', capture: '12.34', refunds: ['0.01', '4.33', '8.00'], scale: 100 }, { captureWords: ['capture'], strict: true }],
  ['JPY, a strict Intergiro, events in the Callbacks tense, called back before the answer', { currency: 'JPY', amount: '2000', capture: '1501', refunds: ['1', '500', '1000'], scale: 100 }, { strict: true, eventsInPastTense: true, callbacks: 'before' }],
  ['EUR, events recorded without their amounts', { currency: 'EUR', amount: '20.00', capture: '12.34', refunds: ['0.01', '4.33', '8.00'], scale: 100 }, { eventsWithoutAmounts: true }],
  ['EUR, events recorded without their amounts, called back', { currency: 'EUR', amount: '20.00', capture: '12.34', refunds: ['0.01', '4.33', '8.00'], scale: 100 }, { eventsWithoutAmounts: true, callbacks: 'after' }],
  ['EUR, reads without events, items answered as a string total', { currency: 'EUR', amount: '20.00', capture: '12.34', refunds: ['0.01', '4.33', '8.00'], scale: 100 }, { readsWithoutEvents: true, itemsInAnswer: 'number', amountAs: 'string' }],
] as [string, { currency: string; amount: string; capture: string; refunds: string[]; scale: number }, IntergiroVariation][])(
  'Intergiro, round seven: a partial capture refunded in three parts that sum to it (%s)',
  (_name, money, variation) => {
    const { context, createOk, apply, read } = useIndependentIntergiro({ callbacks: 'none', ...variation });

    it('each step shows what Intergiro holds; the order ends REFUNDED; one more refund moves nothing', async () => {
      const order = await createOk(CARD, { currency: money.currency, amount: money.amount });
      const id = order.providerOrderId!;
      const step = async (events: Record<string, unknown>[]) => {
        const answer = await apply([{ orderId: order.id, events }]);
        expect(answer.errors).toBeUndefined();
        const at = context.server.order(id)!;
        expect(shown(answer.data!.applyOrderEvents[0]!, money.scale)).toEqual({ captured: at.charged, refunded: at.refunded });
        expect(shown(await read(order.id), money.scale)).toEqual({ captured: at.charged, refunded: at.refunded });
        return answer.data!.applyOrderEvents[0]!;
      };
      const captured = await step([{ type: 'CAPTURE', amount: money.capture }]);
      expect(captured.status).toBe('PARTIALLY_CAPTURED');
      expect(context.server.order(id)!.charged).toBe(Math.round(Number(money.capture) * money.scale));
      let last = captured;
      for (const amount of money.refunds) last = await step([{ type: 'REFUND', amount }]);
      expect(last.status).toBe('REFUNDED');
      expect(context.server.order(id)!.refunded).toBe(context.server.order(id)!.charged);
      const smallest = money.refunds[0]!;
      const again = await apply([{ orderId: order.id, events: [{ type: 'REFUND', amount: smallest }] }]);
      expect(again.errors?.[0]?.extensions?.['code']).toMatch(/INVALID_STATE|AMOUNT_EXCEEDS|BAD_USER_INPUT|PROVIDER_REJECTED/);
      expect(context.server.order(id)!.refunded).toBe(context.server.order(id)!.charged);
      expect(shown(await read(order.id), money.scale)).toEqual({ captured: context.server.order(id)!.charged, refunded: context.server.order(id)!.refunded });
    });

    it('a second capture, and a refund of one minor unit more than captured, are refused and sent nowhere; the whole capture then refunds it', async () => {
      const order = await createOk(CARD, { currency: money.currency, amount: money.amount });
      const id = order.providerOrderId!;
      const patches = () => context.server.requests.filter((request) => request.method === 'PATCH' && JSON.stringify(request.body).includes(id)).length;
      expect((await apply([{ orderId: order.id, events: [{ type: 'CAPTURE', amount: money.refunds[1] }] }])).errors).toBeUndefined();
      const sentBefore = patches();
      const second = await apply([{ orderId: order.id, events: [{ type: 'CAPTURE', amount: money.refunds[0] }] }]);
      expect(second.errors?.[0]?.extensions?.['code']).toBeDefined();
      // One of the currency's minor units more than was captured (0.01 EUR, 1 JPY, 0.001 KWD).
      const decimals = (money.amount.split('.')[1] ?? '').length;
      const over = (Number(money.refunds[1]) + 10 ** -decimals).toFixed(decimals);
      const tooMuch = await apply([{ orderId: order.id, events: [{ type: 'REFUND', amount: over }] }]);
      expect(tooMuch.errors?.[0]?.extensions?.['code']).toBeDefined();
      expect(context.server.order(id)!.refunded).toBe(0);
      expect(patches()).toBe(sentBefore);
      const whole = await apply([{ orderId: order.id, events: [{ type: 'REFUND', amount: money.refunds[1] }] }]);
      expect(whole.errors).toBeUndefined();
      const at = context.server.order(id)!;
      expect(at.refunded).toBe(at.charged);
      expect({ ...shown(await read(order.id), money.scale), status: (await read(order.id)).status }).toEqual({ captured: at.charged, refunded: at.refunded, status: 'REFUNDED' });
    });

    it('a whole capture refunded in two parts, then nothing left: each step as Intergiro holds it', async () => {
      const order = await createOk(CARD, { currency: money.currency, amount: money.amount });
      const id = order.providerOrderId!;
      expect((await apply([{ orderId: order.id, events: [{ type: 'CAPTURE' }] }])).errors).toBeUndefined();
      expect(shown(await read(order.id), money.scale)).toEqual({ captured: context.server.order(id)!.charged, refunded: 0 });
      const first = await apply([{ orderId: order.id, events: [{ type: 'REFUND', amount: money.capture }] }]);
      expect(first.errors).toBeUndefined();
      expect(first.data!.applyOrderEvents[0]!.status).toBe('PARTIALLY_REFUNDED');
      // The rest, without an amount: Intergiro refunds what is left (an event without items).
      const rest = await apply([{ orderId: order.id, events: [{ type: 'REFUND' }] }]);
      expect(rest.errors).toBeUndefined();
      const at = context.server.order(id)!;
      expect(at.refunded).toBe(at.charged);
      expect(rest.data!.applyOrderEvents[0]!.status).toBe('REFUNDED');
      expect(shown(rest.data!.applyOrderEvents[0]!, money.scale)).toEqual({ captured: at.charged, refunded: at.refunded });
      expect(shown(await read(order.id), money.scale)).toEqual({ captured: at.charged, refunded: at.refunded });
    });
  },
);

/** The gateway's status for what Intergiro holds of an order. */
function statusOfHeld(at: { status: string; amount: number; charged: number; refunded: number }): string {
  if (at.status === 'cancelled') return 'CANCELLED';
  if (at.status === 'ordered') return 'AUTHORIZED';
  if (at.refunded > 0) return at.refunded === at.charged ? 'REFUNDED' : 'PARTIALLY_REFUNDED';
  return at.charged === at.amount ? 'CAPTURED' : 'PARTIALLY_CAPTURED';
}

/**
 * Two back offices on one order at once, Intergiro carrying each PATCH out as it comes and answering
 * the first one slowly (300 ms, inside the gateway's 400 ms bound), so the second arrives before the
 * first is answered; or answering the first after the second (out of order); or answering the first
 * after the gateway stopped waiting for it (its outcome then learnt from Intergiro's callback).
 */
describe.each([
  ['the first answered slowly', [300], 'none'],
  ['the first answered after the second', [300, 0], 'none'],
  ['the first answered after the gateway stopped waiting (700 ms), each change called back', [700], 'after'],
  ['the first answered after the second, each change called back before its answer', [300, 0], 'before'],
  ['the first answered after the second, called back before, reads and callbacks without events', [300, 0], 'before', { readsWithoutEvents: true }],
] as [string, number[], IntergiroVariation['callbacks'], IntergiroVariation?][])('Intergiro, round seven: two back offices on one order at once, %s', (_name, patchAnswerDelaysMs, callbacks, variation = {}) => {
  const { context, createOk, apply, read } = useIndependentIntergiro({ ...variation, patchAnswerDelaysMs: [], callbacks });
  const patchCount = () => context.server.requests.filter((request) => request.method === 'PATCH').length;
  /** The events of every PATCH element the gateway sent for this order. */
  const sent = (id: string) =>
    context.server.requests
      .filter((request) => request.method === 'PATCH' && Array.isArray(request.body))
      .flatMap((request) => (request.body as { id: string; event: { type: string }[] }[]).filter((element) => element.id === id).flatMap((element) => element.event));
  /** Starts the second call 50 ms after the first, with the server's answer delays set for these two. */
  const race = async (orderId: string, first: Record<string, unknown>[], second: Record<string, unknown>[]) => {
    context.server.options.patchAnswerDelaysMs = [...Array(patchCount()).fill(0), ...patchAnswerDelaysMs];
    const one = apply([{ orderId, events: first }]);
    await pause(50);
    const two = apply([{ orderId, events: second }]);
    return Promise.all([one, two]);
  };
  /** The order once the gateway shows what Intergiro holds (at once where every call was answered in time), checked. */
  const expectAsHeld = async (orderId: string, providerOrderId: string) => {
    const at = context.server.order(providerOrderId)!;
    const matches = async () => {
      const order = await read(orderId);
      return shown(order).captured === at.charged && shown(order).refunded === at.refunded && order.status === statusOfHeld(at) ? order : undefined;
    };
    const order = callbacks === 'none' ? await read(orderId) : ((await eventually(matches, 3000).catch(() => undefined)) ?? (await read(orderId)));
    expect({ ...shown(order), status: order.status }).toEqual({ captured: at.charged, refunded: at.refunded, status: statusOfHeld(at) });
    return order;
  };

  it('two captures: one charge sent, the order as Intergiro holds it', async () => {
    const order = await createOk(CARD);
    await race(order.id, [{ type: 'CAPTURE' }], [{ type: 'CAPTURE' }]);
    expect(sent(order.providerOrderId!).filter((event) => event.type === 'charge')).toHaveLength(1);
    expect(context.server.order(order.providerOrderId!)).toMatchObject({ charged: 2000, status: 'charged' });
    await expectAsHeld(order.id, order.providerOrderId!);
  });

  it('a capture and a cancel: the order as Intergiro holds it', async () => {
    const order = await createOk(CARD);
    await race(order.id, [{ type: 'CAPTURE' }], [{ type: 'CANCEL' }]);
    await expectAsHeld(order.id, order.providerOrderId!);
  });

  it('a cancel and a capture: the order as Intergiro holds it', async () => {
    const order = await createOk(CARD);
    await race(order.id, [{ type: 'CANCEL' }], [{ type: 'CAPTURE' }]);
    await expectAsHeld(order.id, order.providerOrderId!);
  });

  it('two partial refunds of 5.00: each sent once, the order as Intergiro holds it', async () => {
    const order = await createOk(CARD);
    expect((await apply([{ orderId: order.id, events: [{ type: 'CAPTURE' }] }])).errors).toBeUndefined();
    const answers = await race(order.id, [{ type: 'REFUND', amount: '5.00' }], [{ type: 'REFUND', amount: '5.00' }]);
    const refunds = sent(order.providerOrderId!).filter((event) => event.type === 'refund');
    expect(refunds.length).toBeLessThanOrEqual(2);
    expect(context.server.order(order.providerOrderId!)!.refunded).toBe(refunds.length * 500);
    // A refund answered done went to Intergiro.
    expect(refunds.length).toBeGreaterThanOrEqual(answers.filter((answer) => !answer.errors).length);
    await expectAsHeld(order.id, order.providerOrderId!);
  });

  it('a refund of the rest and a partial refund: never more than captured, the order as Intergiro holds it', async () => {
    const order = await createOk(CARD);
    expect((await apply([{ orderId: order.id, events: [{ type: 'CAPTURE' }] }])).errors).toBeUndefined();
    await race(order.id, [{ type: 'REFUND' }], [{ type: 'REFUND', amount: '5.00' }]);
    expect(context.server.order(order.providerOrderId!)!.refunded).toBeLessThanOrEqual(2000);
    await expectAsHeld(order.id, order.providerOrderId!);
  });
});

/**
 * Callbacks as the seed has them ("You will receive the order as a signed JWT ... updated with the
 * successful or failed Event"): the whole order, the order without its events (the seed writes them
 * only as "<Order events>"), or only `id` and `merchant` (the seed's example token), sent before the
 * PATCH is answered, after it, or twice; then every one of them posted again, newest first, and
 * once more. A partial capture refunded in two parts: each step must show what Intergiro holds,
 * and the replays must move nothing.
 */
describe.each([
  ['the whole order, before the answer', { callbacks: 'before' }],
  ['the whole order, twice', { callbacks: 'twice' }],
  ['the order without its events, before the answer', { callbacks: 'before', readsWithoutEvents: true }],
  ['the order without its events, after the answer', { callbacks: 'after', readsWithoutEvents: true }],
  ['only id and merchant, before the answer', { callbacks: 'before', callbackPayload: 'id-only' }],
  ['only id and merchant, checked through verify, its payment a string, twice', { callbacks: 'twice', callbackPayload: 'id-only', gatewayWithoutSecret: true, cardPaymentAs: 'id' }],
  ['the order without its events, its payment a string, amounts as strings, twice', { callbacks: 'twice', readsWithoutEvents: true, cardPaymentAs: 'id', amountAs: 'string' }],
  ['events in the Callbacks tense, one unwrapped, before the answer', { callbacks: 'before', eventsInPastTense: true, eventShape: 'single-or-blank' }],
] as [string, IntergiroVariation][])('Intergiro, round seven: callbacks as %s, a partial capture refunded in two parts', (_name, variation) => {
  const { context, createOk, apply, read } = useIndependentIntergiro(variation);
  const tokensOf = (id: string) => context.server.callbacksSent.filter((callback) => callback.orderId === id && callback.token).map((callback) => callback.token!);
  /** Waits until `count` callbacks reached the gateway, then a moment for them to be recorded. */
  const calledBack = async (id: string, count: number) => {
    await eventually(async () => tokensOf(id).length >= count, 3000);
    await pause(100);
  };
  const perCall = variation.callbacks === 'twice' ? 2 : 1;

  it('each step shows what Intergiro holds, and posting every callback again, newest first, moves nothing', async () => {
    const order = await createOk(CARD);
    const id = order.providerOrderId!;
    await calledBack(id, perCall);
    const steps: [Record<string, unknown>, string][] = [
      [{ type: 'CAPTURE', amount: '12.34' }, 'PARTIALLY_CAPTURED'],
      [{ type: 'REFUND', amount: '2.00' }, 'PARTIALLY_REFUNDED'],
      [{ type: 'REFUND', amount: '10.34' }, 'REFUNDED'],
    ];
    for (const [index, [event, status]] of steps.entries()) {
      const answer = await apply([{ orderId: order.id, events: [event] }]);
      expect(answer.errors).toBeUndefined();
      const at = context.server.order(id)!;
      expect({ ...shown(answer.data!.applyOrderEvents[0]!), status: answer.data!.applyOrderEvents[0]!.status }).toEqual({ captured: at.charged, refunded: at.refunded, status });
      await calledBack(id, perCall * (index + 2));
      const now = await read(order.id);
      expect({ ...shown(now), status: now.status }).toEqual({ captured: at.charged, refunded: at.refunded, status });
    }
    const tokens = tokensOf(id);
    for (const token of [...tokens].reverse()) expect((await postIntergiroCallback(context.gateway.url, token)).status).toBeLessThan(300);
    for (const token of tokens) expect((await postIntergiroCallback(context.gateway.url, token)).status).toBeLessThan(300);
    const after = await read(order.id);
    expect({ ...shown(after), status: after.status }).toEqual({ captured: 1234, refunded: 1234, status: 'REFUNDED' });
  });
});

/**
 * Two refunds in one call for one order, after a refund at Intergiro's back office (15.00 of 20.00)
 * left less than both: Intergiro carries the first out and refuses the second, recording the failed
 * Event on the order; its PATCH answer is "the same changes you requested". Both were answered done
 * before (6.00 shown refunded where Intergiro refunded 3.00 of it, the shop telling the buyer so).
 */
describe.each([
  ['of one amount, failure recorded as `fail`', ['3.00', '3.00'], {}],
  ['of one amount, failure recorded as the refund marked failed', ['3.00', '3.00'], { failedEventAs: 'status' }],
  ['of two amounts, the larger second', ['2.00', '4.00'], {}],
  ['of two amounts, the larger first', ['4.00', '2.00'], { failedEventAs: 'failed' }],
  ['of two amounts, its reads lagging 300 ms', ['2.00', '4.00'], { readLagMs: 300 }],
  ['of two amounts, carried out 150 ms after the answer', ['4.00', '2.00'], { patchDelayMs: 150 }],
] as [string, string[], IntergiroVariation][])('Intergiro, round seven: two refunds in one call %s, the second more than its back office left', (_name, amounts, variation) => {
  const { context, createOk, apply, read } = useIndependentIntergiro({ ...variation, callbacks: 'none' });

  it('the second is refused; the order shows what Intergiro refunded, and the refund that went is not sent again', async () => {
    const order = await createOk(CARD);
    expect((await apply([{ orderId: order.id, events: [{ type: 'CAPTURE' }] }])).errors).toBeUndefined();
    context.server.refundBehind(order.providerOrderId!, 1500);
    const events = amounts.map((amount) => ({ type: 'REFUND', amount }));
    const answer = await apply([{ orderId: order.id, events }]);
    const at = context.server.order(order.providerOrderId!)!;
    expect(at.refunded).toBe(1500 + Math.round(Number(amounts[0]) * 100));
    expect(answer.errors?.[0]?.extensions?.['code']).toBe('PROVIDER_REJECTED');
    expect(shown(await read(order.id))).toEqual({ captured: 2000, refunded: at.refunded });
    const refundsSent = () => context.server.requests.filter((request) => request.method === 'PATCH' && JSON.stringify(request.body).includes('"refund"')).length;
    const sent = refundsSent();
    // The shop sends the rest it believes is left, as one refund: Intergiro refunds what it holds.
    const rest = await apply([{ orderId: order.id, events: [{ type: 'REFUND' }] }]);
    expect(rest.errors).toBeUndefined();
    expect(refundsSent()).toBe(sent + 1);
    expect(context.server.order(order.providerOrderId!)!.refunded).toBe(2000);
    expect({ ...shown(await read(order.id)), status: (await read(order.id)).status }).toEqual({ captured: 2000, refunded: 2000, status: 'REFUNDED' });
  });
});

/**
 * The same, where the amounts cannot tell which failed: the back office refunded 2.00 a moment
 * before (inside the clock margin of "since the PATCH"), the shop refunds 17.00 and 2.00 in one
 * call, Intergiro carries out the 17.00 and refuses the 2.00. Unknown (PROVIDER_UNAVAILABLE), never
 * both done; the order shows what Intergiro refunded.
 */
describe('Intergiro, round seven: two refunds in one call, which one failed not told by the amounts', () => {
  const { context, createOk, apply, read } = useIndependentIntergiro({ callbacks: 'none' });

  it('is unknown (PROVIDER_UNAVAILABLE), the order shows the 19.00 Intergiro refunded, and the rest refunds it whole', async () => {
    const order = await createOk(CARD);
    expect((await apply([{ orderId: order.id, events: [{ type: 'CAPTURE' }] }])).errors).toBeUndefined();
    context.server.refundBehind(order.providerOrderId!, 200);
    const answer = await apply([{ orderId: order.id, events: [{ type: 'REFUND', amount: '17.00' }, { type: 'REFUND', amount: '2.00' }] }]);
    expect(context.server.order(order.providerOrderId!)!.refunded).toBe(1900);
    expect(answer.errors?.[0]?.extensions?.['code']).toBe('PROVIDER_UNAVAILABLE');
    expect(shown(await read(order.id))).toEqual({ captured: 2000, refunded: 1900 });
    const rest = await apply([{ orderId: order.id, events: [{ type: 'REFUND' }] }]);
    expect(rest.errors).toBeUndefined();
    expect(context.server.order(order.providerOrderId!)!.refunded).toBe(2000);
    expect({ ...shown(await read(order.id)), status: (await read(order.id)).status }).toEqual({ captured: 2000, refunded: 2000, status: 'REFUNDED' });
  });
});

/**
 * An Intergiro that records its events without their amounts, each change's answer lost (a reset)
 * and the order re-read (reconciliation every 150 ms): the re-read's charge without items was "the
 * rest", 20.00 captured where 12.34 was charged. Read with the gateway's own figures (its capture,
 * whose answer was lost, counted once the read lists a charge), each step shows what Intergiro holds.
 */
describe('Intergiro, round seven: events recorded without their amounts, answers lost, re-read', () => {
  const { context, create, createOk, apply, read } = useRound('-7', { eventsWithoutAmounts: true, callbacks: 'none' }, { reconcileIntervalMs: 150 });
  /** The order once the gateway shows `status` (or after 3 s), checked against Intergiro's figures. */
  const settles = async (orderId: string, providerOrderId: string, status: string) => {
    const seen = await eventually(async () => {
      const order = await read(orderId);
      return order.status === status ? order : undefined;
    }, 3000).catch(() => undefined);
    const order = seen ?? (await read(orderId));
    const at = context.server.order(providerOrderId)!;
    expect({ ...shown(order), status: order.status }).toEqual({ captured: at.charged, refunded: at.refunded, status });
  };
  const lost = async (orderId: string, event: Record<string, unknown>) => {
    context.server.loseNext('PATCH', 'reset');
    const answer = await apply([{ orderId, events: [event] }]);
    expect(answer.errors?.[0]?.extensions?.['code']).toBe('PROVIDER_UNAVAILABLE');
  };

  it('a partial capture, then a partial refund, each answer lost: each step as Intergiro holds it', async () => {
    const order = await createOk(CARD);
    await lost(order.id, { type: 'CAPTURE', amount: '12.34' });
    await settles(order.id, order.providerOrderId!, 'PARTIALLY_CAPTURED');
    await lost(order.id, { type: 'REFUND', amount: '2.00' });
    await settles(order.id, order.providerOrderId!, 'PARTIALLY_REFUNDED');
    expect(context.server.order(order.providerOrderId!)).toMatchObject({ charged: 1234, refunded: 200 });
  });

  /**
   * Left: a second refund whose answer was lost. Its events without amounts, the read shows a
   * second refund but not how much: the gateway counts only what it refunded before (2.00), not the
   * lost one (3.00), which its reads then never show; dropped as not done after the pending bound
   * (its reads list refunds, so showsOperation says they would show it), a retry under its key
   * would be sent again and refund it twice (not driven here: the bound is long). Counting it needs to know how many refunds the gateway's
   * own figures stand for (an echo's fact does not record the read's count). Orders made with
   * `create`, so the suite's closing money check does not count this known one.
   */
  it.fails('a second partial refund whose answer was lost is counted (fails: the read lists it without its amount)', async () => {
    const order = (await create(CARD)).data!.createOrder;
    expect((await apply([{ orderId: order.id, events: [{ type: 'CAPTURE' }] }])).errors).toBeUndefined();
    expect((await apply([{ orderId: order.id, events: [{ type: 'REFUND', amount: '2.00' }] }])).errors).toBeUndefined();
    await lost(order.id, { type: 'REFUND', amount: '3.00' });
    expect(context.server.order(order.providerOrderId!)).toMatchObject({ charged: 2000, refunded: 500 });
    const counted = await eventually(async () => ((await read(order.id)).payments[0]?.refundedAmount.amount === '5.00' ? true : undefined), 1500).catch(() => false);
    expect(counted).toBe(true);
  });
});

/**
 * Round six's refund of more than Intergiro's back office left, its failure called back before the
 * PATCH is answered (the seed: "the order will be updated with the successful or failed Event"),
 * once or twice: refused all the same, and the order shows the 15.00 Intergiro refunded.
 */
describe.each([
  ['before the answer', { callbacks: 'before' }],
  ['twice after the answer, only id and merchant', { callbacks: 'twice', callbackPayload: 'id-only' }],
] as [string, IntergiroVariation][])('Intergiro, round seven: a refund of more than its back office left, called back %s', (_name, variation) => {
  const { context, createOk, apply, read } = useIndependentIntergiro(variation);

  it('is refused, and the order shows the 15.00 Intergiro refunded', async () => {
    const order = await createOk(CARD);
    expect((await apply([{ orderId: order.id, events: [{ type: 'CAPTURE' }] }])).errors).toBeUndefined();
    // The capture's callbacks in first (one told after them would show the back office's refund).
    const perCall = variation.callbacks === 'twice' ? 2 : 1;
    await eventually(async () => context.server.callbacksSent.filter((callback) => callback.orderId === order.providerOrderId).length >= 2 * perCall, 3000);
    context.server.refundBehind(order.providerOrderId!, 1500);
    const answer = await apply([{ orderId: order.id, events: [{ type: 'REFUND', amount: '10.00' }] }]);
    expect(answer.errors?.[0]?.extensions?.['code']).toBe('PROVIDER_REJECTED');
    await pause(200);
    expect(context.server.order(order.providerOrderId!)).toMatchObject({ refunded: 1500 });
    expect(shown(await read(order.id))).toEqual({ captured: 2000, refunded: 1500 });
  });
});

/**
 * A callback that says `charged` without saying how much (its events carry no amounts, or it lists
 * none) posted before the PATCH is answered, for the gateway's own whole capture (no amount: an
 * event without `items`, as CONTRACT §8 has it). Read alone it can only say the status word's lesser
 * figure: it was stored as PARTIALLY_CAPTURED with nothing captured, pushed to subscribers, and only
 * the echo then made the order CAPTURED. Read beside the gateway's own figures and its capture under
 * way (webhook.ts observationFor), as a re-read is, it is CAPTURED at once.
 */
describe.each([
  ['events as sent (a whole capture without items)', {}],
  ['events recorded without their amounts', { eventsWithoutAmounts: true }],
  ['reads and callbacks without events', { readsWithoutEvents: true }],
] as [string, IntergiroVariation][])('Intergiro, round seven: the callback for a whole capture comes before its answer (%s)', (_name, variation) => {
  const { context, createOk, apply, read } = useIndependentIntergiro({ ...variation, callbacks: 'before' });

  it('the order goes from AUTHORIZED to CAPTURED, never PARTIALLY_CAPTURED, with what Intergiro charged', async () => {
    const order = await createOk(CARD, { currency: 'EUR', amount: '20.00' });
    const answer = await apply([{ orderId: order.id, events: [{ type: 'CAPTURE' }] }]);
    expect(answer.errors).toBeUndefined();
    const at = context.server.order(order.providerOrderId!)!;
    expect(at.charged).toBe(2000);
    const now = await read(order.id);
    expect(now.status).toBe('CAPTURED');
    expect(shown(now)).toEqual({ captured: 2000, refunded: 0 });
    expect(now.events.map((event) => event.status)).not.toContain('PARTIALLY_CAPTURED');
  });
});
