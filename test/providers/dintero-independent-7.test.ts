/**
 * Round seven against the independent Dintero (test/support/independent/dintero-server.ts):
 * - the money figures step by step (partial captures then partial refunds, several of each, amounts
 *   that add up to the total, all refunded after two partial captures, all that was captured refunded
 *   while the rest stays authorized), what the gateway answers and reads after each step against
 *   what Dintero holds, and the seed's marks on the Orders API order; across answers the seed leaves
 *   open (202 read back, 204, the operation as a record without an id of its own), amounts as
 *   strings, bare {id, status} transactions, requests checked strictly;
 * - ISK (no decimals) and KWD (three);
 * - the seed's callback as literally as it is written, twice and against captures and refunds, on
 *   a replica that lags;
 * - a capture or refund taken (202) and refused by the acquirer later; events that carry no
 *   reference, or say their outcome in a status field of their own;
 * - money moved in Dintero's back office, read by the status alone (REFUNDED; a refund lost before
 *   Dintero without an idempotency key);
 * - two back-office clients on one order at once, Dintero slow or answering out of order.
 * Every order goes through the harness's closing money check, except the two that show money
 * Dintero never moved (a yes refused later: the domain never lowers a figure), made outside it.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { eventually, tokenFor } from '../support/gateway.js';
import { gqlOk } from '../support/graphql.js';
import { CREATE_ORDER } from '../support/documents.js';
import { dinteroOrderInput } from '../support/dintero.js';
import { independentDinteroHarness } from '../support/independent/dintero-harness.js';
import type { IndependentDintero, IndependentDinteroOptions } from '../support/independent/dintero-server.js';
import { minorOf } from '../support/independent/money-check.js';
import type { OrderView } from '../support/documents.js';
import { sleep } from '../support/test-time.js';

const NO_CALLBACK: IndependentDinteroOptions['callback'] = { how: 'none', ids: 'both', extras: false, copies: 0, delayMs: 0 };

describe('Dintero adapter against an independent implementation of the seed, round seven', () => {
  const harness = independentDinteroHarness('-7');
  const { useVariation, authorized, create, read, apply, reaches } = harness;

  /** What the gateway reports equals what Dintero holds, in minor units. */
  function agrees(dintero: IndependentDintero, order: OrderView, expected: { status: string; captured: number; refunded: number }): void {
    const held = dintero.transactionFor(order.providerOrderId!)!;
    expect({ status: order.status, captured: minorOf(order.payments[0]?.capturedAmount.amount), refunded: minorOf(order.payments[0]?.refundedAmount.amount) }).toEqual(expected);
    expect({ captured: held.captured, refunded: held.refunded }).toEqual({ captured: expected.captured, refunded: expected.refunded });
  }

  /**
   * The seed's callback as literally as it is written ("a redirect or callback to your site with the
   * session_id and its corresponding transaction"): a GET to the callback_url the gateway gave, with
   * `session_id` and `transaction_id`, or only the transaction's; sent by hand here, so it can come
   * twice, after the gateway moved money, and at the same moment as a capture or refund, while the
   * transaction reads from a replica 400 ms behind (what the callback makes the gateway read is older
   * than what the gateway already knows).
   */
  describe.each([
    ['both ids, full transactions with events', { transaction: 'full', events: true }, 'both'],
    ['only the transaction id, bare {id, status} transactions', { transaction: 'minimal' }, 'transaction'],
  ] as [string, Partial<IndependentDinteroOptions>, 'both' | 'transaction'][])('the seed\'s callback, late, twice and against money moves, %s', (_name, variation, ids) => {
    const setup = useVariation({ ...variation, readLagMs: 400, callback: NO_CALLBACK });

    /** The seed's callback to the URL the gateway gave its session. */
    const callback = async (sessionId: string, transactionId: string): Promise<number> => {
      const session = setup.dintero.received.filter((request) => request.path === '/v1/sessions-profile').at(-1)!; // one order at a time
      const url = new URL(String(session.body.url.callback_url));
      if (ids === 'both') url.searchParams.set('session_id', sessionId);
      url.searchParams.set('transaction_id', transactionId);
      const answer = await fetch(url);
      await answer.arrayBuffer();
      return answer.status;
    };
    const figures = (shown: OrderView) => `${shown.status} ${shown.payments[0]?.capturedAmount.amount ?? '-'}/${shown.payments[0]?.refundedAmount.amount ?? '-'}`;

    it('never moves the order back nor a figure down; the order ends as Dintero holds it, each money call made once', async () => {
      const { dintero, gateway } = setup;
      const order = await create(gateway);
      const sessionId = dintero.latestSessionId();
      const transactionId = await dintero.pay(sessionId);
      await callback(sessionId, transactionId);
      await reaches(gateway, order.id, 'AUTHORIZED');
      const seen: string[] = [];
      const watch = async (until: () => boolean) => {
        while (!until()) {
          seen.push(figures(await read(gateway, order.id)));
          await sleep(40);
        }
      };

      let done = false;
      const watching = watch(() => done);
      const [captured] = await Promise.all([apply(gateway, order.id, [{ type: 'CAPTURE', amount: '100.00' }]), callback(sessionId, transactionId), callback(sessionId, transactionId)]);
      expect(figures(captured.data!.applyOrderEvents[0]!)).toBe('PARTIALLY_CAPTURED 100.00/0.00');
      await Promise.all([callback(sessionId, transactionId), callback(sessionId, transactionId)]);
      const [refunded] = await Promise.all([apply(gateway, order.id, [{ type: 'REFUND', amount: '50.00' }]), callback(sessionId, transactionId)]);
      expect(figures(refunded.data!.applyOrderEvents[0]!)).toBe('PARTIALLY_REFUNDED 100.00/50.00');
      await callback(sessionId, transactionId);
      await sleep(500); // past the replica's lag, and the poller's turns
      await callback(sessionId, transactionId);
      done = true;
      await watching;

      const order2 = await read(gateway, order.id);
      expect(figures(order2)).toBe('PARTIALLY_REFUNDED 100.00/50.00');
      // Reads in order never went back: each one is the one before it or the next step.
      const steps = ['AUTHORIZED 0.00/0.00', 'PARTIALLY_CAPTURED 100.00/0.00', 'PARTIALLY_REFUNDED 100.00/50.00'];
      const ranks = seen.map((shown) => steps.indexOf(shown));
      expect(ranks.every((rank) => rank >= 0)).toBe(true);
      expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
      expect(dintero.operationsOn(transactionId)).toEqual({ capture: 1, refund: 1, void: 0 });
      expect(dintero.transactionFor(order.providerOrderId!)).toMatchObject({ captured: 10000, refunded: 5000 });
      expect(order2.creation.infos).toEqual([]);
    });
  });

  /**
   * A capture or refund Dintero takes (202) and carries out later, on a transaction that keeps its
   * history: counted at once (Dintero's yes, round one), and then watched until the history shows
   * its outcome. Before, nothing re-read the order after the yes, so one the acquirer then refused
   * showed as captured for good with nothing saying otherwise (round five's it.fails: the figure
   * itself still cannot go down, the domain never lowers one).
   */
  describe('a capture or refund taken (202) and carried out 300 ms later, with events', () => {
    const setup = useVariation({ transaction: 'full', events: true, settleAfterMs: 300, callback: NO_CALLBACK });
    const readsOf = (transactionId: string) => setup.dintero.received.filter((request) => request.method === 'GET' && request.path === `/v1/transactions/${transactionId}`).length;

    it('refused by the acquirer afterwards: the order says so, and is no longer re-read once it does', async () => {
      const { dintero, gateway } = setup;
      // Outside the harness's list: it shows 100.00 captured that Dintero never moved (the domain never lowers a figure).
      const made = (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: dinteroOrderInput() }, harness.parts.shop)).createOrder;
      const transactionId = await dintero.pay(dintero.latestSessionId());
      await reaches(gateway, made.id, 'AUTHORIZED');
      dintero.failNextAtAcquirer('capture');
      const capture = await apply(gateway, made.id, [{ type: 'CAPTURE', amount: '100.00' }]);
      expect(capture.data!.applyOrderEvents[0]).toMatchObject({ status: 'PARTIALLY_CAPTURED', creation: { infos: [] } });
      const told = await eventually(async () => {
        const order = await read(gateway, made.id);
        return order.creation.infos.length > 0 && order;
      }, 3_000);
      expect(told.creation.infos).toEqual([{ code: 'dintero.refused_after_accepted', message: expect.stringContaining('capture of 100.00 NOK') }]);
      expect(told.status).toBe('PARTIALLY_CAPTURED');
      expect(dintero.transactionFor(made.providerOrderId!)).toMatchObject({ captured: 0 });
      const reads = readsOf(transactionId);
      await sleep(450); // the poller's turns (200 ms)
      expect(readsOf(transactionId)).toBe(reads);
      expect((await read(gateway, made.id)).creation.infos.map((info) => info.code)).toEqual(['dintero.refused_after_accepted']);
    });

    it('a refund refused by the acquirer afterwards: the order says so', async () => {
      const { dintero, gateway } = setup;
      const made = (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: dinteroOrderInput() }, harness.parts.shop)).createOrder;
      await dintero.pay(dintero.latestSessionId());
      await reaches(gateway, made.id, 'AUTHORIZED');
      expect((await apply(gateway, made.id, [{ type: 'CAPTURE' }])).errors).toBeUndefined();
      await eventually(async () => dintero.transactionFor(made.providerOrderId!)?.captured === 49800);
      dintero.failNextAtAcquirer('refund');
      const refund = await apply(gateway, made.id, [{ type: 'REFUND', amount: '50.00' }]);
      expect(refund.data!.applyOrderEvents[0]).toMatchObject({ status: 'PARTIALLY_REFUNDED' });
      const told = await eventually(async () => {
        const order = await read(gateway, made.id);
        return order.creation.infos.length > 0 && order;
      }, 3_000);
      expect(told).toMatchObject({ status: 'PARTIALLY_REFUNDED', creation: { infos: [{ code: 'dintero.refused_after_accepted', message: expect.stringContaining('refund of 50.00 NOK') }] } });
      expect(dintero.transactionFor(made.providerOrderId!)).toMatchObject({ captured: 49800, refunded: 0 });
    });

    it('carried out: counted once, no Info, and no longer re-read once the history shows it', async () => {
      const { dintero, gateway } = setup;
      const { order, transactionId } = await authorized(setup);
      const capture = await apply(gateway, order.id, [{ type: 'CAPTURE', amount: '100.00' }]);
      expect(capture.data!.applyOrderEvents[0]).toMatchObject({ status: 'PARTIALLY_CAPTURED', payments: [{ capturedAmount: { amount: '100.00' } }] });
      await eventually(async () => dintero.transactionFor(order.providerOrderId!)?.captured === 10000);
      await sleep(300);
      const reads = readsOf(transactionId);
      await sleep(450);
      expect(readsOf(transactionId)).toBe(reads);
      expect(await read(gateway, order.id)).toMatchObject({ status: 'PARTIALLY_CAPTURED', payments: [{ capturedAmount: { amount: '100.00' } }], creation: { infos: [] } });
      expect(dintero.operationsOn(transactionId)).toEqual({ capture: 1, refund: 0, void: 0 });
    });
  });

  describe('a capture taken (202) and carried out 300 ms later, events without the gateway\'s references', () => {
    const setup = useVariation({ transaction: 'full', events: true, eventsWithoutReferences: true, settleAfterMs: 300, callback: NO_CALLBACK });

    it('counted once, and no longer re-read once the history holds it (it can never show its reference)', async () => {
      const { dintero, gateway } = setup;
      const { order, transactionId } = await authorized(setup);
      const capture = await apply(gateway, order.id, [{ type: 'CAPTURE', amount: '100.00' }]);
      expect(capture.data!.applyOrderEvents[0]).toMatchObject({ status: 'PARTIALLY_CAPTURED', payments: [{ capturedAmount: { amount: '100.00' } }] });
      await eventually(async () => dintero.transactionFor(order.providerOrderId!)?.captured === 10000);
      await sleep(300);
      const reads = dintero.received.filter((request) => request.method === 'GET' && request.path === `/v1/transactions/${transactionId}`).length;
      await sleep(450); // the poller's turns (200 ms)
      expect(dintero.received.filter((request) => request.method === 'GET' && request.path === `/v1/transactions/${transactionId}`)).toHaveLength(reads);
      expect(await read(gateway, order.id)).toMatchObject({ status: 'PARTIALLY_CAPTURED', payments: [{ capturedAmount: { amount: '100.00' } }], creation: { infos: [] } });
    });
  });

  describe.each([
    ['bare {id, status} transactions', { transaction: 'minimal' }],
  ] as [string, Partial<IndependentDinteroOptions>][])('money moved in Dintero\'s back office, read by its status alone, %s', (_name, variation) => {
    const setup = useVariation({ ...variation, callback: NO_CALLBACK });

    it('part refunded there, then the gateway\'s refund without a key lost before it reached Dintero: not counted as the back office\'s money', async () => {
      const { dintero, gateway } = setup;
      const { order, transactionId } = await authorized(setup);
      expect((await apply(gateway, order.id, [{ type: 'CAPTURE' }])).errors).toBeUndefined();
      dintero.outside(transactionId, 'refund', 2000);
      dintero.failNext('refund', 502); // a proxy's 502: Dintero never saw it
      const lost = await apply(gateway, order.id, [{ type: 'REFUND', amount: '300.00' }]);
      expect(lost.errors?.[0]?.extensions?.['code']).toBe('PROVIDER_UNAVAILABLE');
      await sleep(400); // the poller's turns (200 ms)
      expect(minorOf((await read(gateway, order.id)).payments[0]?.refundedAmount.amount)).toBeLessThanOrEqual(2000);
      expect(dintero.transactionFor(order.providerOrderId!)).toMatchObject({ refunded: 2000 });
      expect(dintero.operationsOn(transactionId).refund).toBe(1);
    });

    it('all of it refunded there after the gateway captured it all: REFUNDED, 498.00 refunded', async () => {
      const { dintero, gateway } = setup;
      const { order, transactionId } = await authorized(setup);
      expect((await apply(gateway, order.id, [{ type: 'CAPTURE' }])).errors).toBeUndefined();
      dintero.outside(transactionId, 'refund');
      const refund = await apply(gateway, order.id, [{ type: 'REFUND', amount: '10.00' }]);
      expect(refund.errors?.[0]?.extensions?.['code']).toBe('PROVIDER_REJECTED');
      const shown = await read(gateway, order.id);
      expect({ status: shown.status, captured: shown.payments[0]?.capturedAmount.amount, refunded: shown.payments[0]?.refundedAmount.amount }).toEqual({ status: 'REFUNDED', captured: '498.00', refunded: '498.00' });
      expect(dintero.transactionFor(order.providerOrderId!)).toMatchObject({ captured: 49800, refunded: 49800 });
    });
  });

  describe('events that say their outcome in a status field of their own (status: FAILED / PENDING, no success)', () => {
    const setup = useVariation({ transaction: 'full', events: true, failedEvents: 'status-field', callback: NO_CALLBACK });

    it('a capture the acquirer refuses is refused and not counted; then one that goes through is counted', async () => {
      const { dintero, gateway } = setup;
      const { order, transactionId } = await authorized(setup);
      dintero.failNextAtAcquirer('capture');
      const failed = await apply(gateway, order.id, [{ type: 'CAPTURE', amount: '100.00' }]);
      expect(failed.errors?.[0]?.extensions?.['code']).toBe('PROVIDER_REJECTED');
      expect(await read(gateway, order.id)).toMatchObject({ status: 'AUTHORIZED', payments: [{ capturedAmount: { amount: '0.00' } }] });
      const captured = await apply(gateway, order.id, [{ type: 'CAPTURE', amount: '100.00' }]);
      expect(captured.data?.applyOrderEvents[0]).toMatchObject({ status: 'PARTIALLY_CAPTURED', payments: [{ capturedAmount: { amount: '100.00' } }] });
      await sleep(300);
      expect(await read(gateway, order.id)).toMatchObject({ status: 'PARTIALLY_CAPTURED', payments: [{ capturedAmount: { amount: '100.00' } }], creation: { infos: [] } });
      expect(dintero.transactionFor(order.providerOrderId!)).toMatchObject({ captured: 10000 });
      expect(dintero.operationsOn(transactionId).capture).toBe(1);
    });
  });

  describe('a capture taken as pending (status: PENDING under its reference), its answer lost, then failed at the acquirer', () => {
    const setup = useVariation({ transaction: 'full', events: true, failedEvents: 'status-field', pendingEvents: true, settleAfterMs: 400, callback: NO_CALLBACK });

    it('the pending event is not the capture shown; once it fails, nothing is counted and nothing is said', async () => {
      const { dintero, gateway } = setup;
      const { order } = await authorized(setup);
      dintero.failNextAtAcquirer('capture');
      dintero.loseNextAnswer('capture', 502);
      const lost = await apply(gateway, order.id, [{ type: 'CAPTURE', amount: '100.00', idempotencyKey: 'status-pending-then-failed' }]);
      expect(lost.errors?.[0]?.extensions?.['code']).toBe('PROVIDER_UNAVAILABLE');
      expect((await read(gateway, order.id)).payments[0]?.capturedAmount.amount).toBe('0.00');
      await eventually(async () => (await read(gateway, order.id)).creation.infos.length === 0, 3_000);
      expect(await read(gateway, order.id)).toMatchObject({ status: 'AUTHORIZED', payments: [{ capturedAmount: { amount: '0.00' } }] });
      expect(dintero.transactionFor(order.providerOrderId!)).toMatchObject({ captured: 0 });
    });
  });

  /**
   * Two back-office clients on the same order at once, through a Dintero that answers slowly, or
   * the first call after the second. Money moves once per change that is answered done, what is
   * refused moves nothing, and the order ends as Dintero holds it.
   */
  describe.each([
    ['full transactions with events', { transaction: 'full', events: true }],
    ['bare {id, status} transactions, answered 204', { transaction: 'minimal', operationAnswer: 'no-content' }],
  ] as [string, Partial<IndependentDinteroOptions>][])('two clients at once, %s', (_name, variation) => {
    const setup = useVariation({ ...variation, callback: NO_CALLBACK });
    let other: string;
    beforeAll(async () => {
      other = await tokenFor('orders:read orders:manage', 'second-back-office-dintero-independent-7');
    });

    const codeOrStatus = (answer: Awaited<ReturnType<typeof apply>>) => answer.errors?.[0]?.extensions?.['code'] ?? answer.data?.applyOrderEvents[0]?.status;
    const held = (order: OrderView) => {
      const transaction = setup.dintero.transactionFor(order.providerOrderId!)!;
      return { captured: transaction.captured, refunded: transaction.refunded };
    };
    /** The order, after the poller's turns, shows what Dintero holds. */
    async function endsAsHeld(order: OrderView, status: string): Promise<void> {
      await sleep(250);
      const shown = await read(setup.gateway, order.id);
      expect({ status: shown.status, captured: minorOf(shown.payments[0]?.capturedAmount.amount), refunded: minorOf(shown.payments[0]?.refundedAmount.amount) }).toEqual({ status, ...held(order) });
    }

    it('two captures of 300.00 (only one fits), the first answered after the second: one moves, the other moves nothing', async () => {
      const { dintero, gateway } = setup;
      const { order, transactionId } = await authorized(setup);
      dintero.holdAnswers('capture', [350, 30]);
      const [first, second] = await Promise.all([
        apply(gateway, order.id, [{ type: 'CAPTURE', amount: '300.00' }]),
        sleep(30).then(() => apply(gateway, order.id, [{ type: 'CAPTURE', amount: '300.00' }], other)),
      ]);
      const answers = [codeOrStatus(first), codeOrStatus(second)];
      expect(answers.filter((answer) => answer === 'PARTIALLY_CAPTURED')).toHaveLength(1);
      expect(dintero.operationsOn(transactionId).capture).toBe(1);
      expect(held(order)).toEqual({ captured: 30000, refunded: 0 });
      await endsAsHeld(order, 'PARTIALLY_CAPTURED');
    });

    it.runIf(variation.transaction !== 'minimal')('a capture and a cancel at once, Dintero slow: one of them, and the order as Dintero holds it', async () => {
      const { dintero, gateway } = setup;
      const { order, transactionId } = await authorized(setup);
      dintero.holdAnswers('capture', [300]);
      dintero.holdAnswers('void', [300]);
      const [capture, cancel] = await Promise.all([
        apply(gateway, order.id, [{ type: 'CAPTURE', amount: '100.00' }]),
        sleep(30).then(() => apply(gateway, order.id, [{ type: 'CANCEL' }], other)),
      ]);
      const operations = dintero.operationsOn(transactionId);
      expect(operations.capture + operations.void).toBe(1);
      if (operations.capture === 1) {
        expect(codeOrStatus(capture)).toBe('PARTIALLY_CAPTURED');
        expect(codeOrStatus(cancel)).not.toBe('CANCELLED');
        await endsAsHeld(order, 'PARTIALLY_CAPTURED');
      } else {
        expect(codeOrStatus(cancel)).toBe('CANCELLED');
        expect(codeOrStatus(capture)).not.toBe('PARTIALLY_CAPTURED');
        await endsAsHeld(order, 'CANCELLED');
      }
    });

    // The refunds on full transactions only (the file's time; bare ones are in the captures above).
    it.runIf(variation.transaction !== 'minimal')('two refunds of 300.00 of a whole capture (only one fits), the first answered after the second: one moves', async () => {
      const { dintero, gateway } = setup;
      const { order, transactionId } = await authorized(setup);
      expect((await apply(gateway, order.id, [{ type: 'CAPTURE' }])).errors).toBeUndefined();
      dintero.holdAnswers('refund', [350, 30]);
      const [first, second] = await Promise.all([
        apply(gateway, order.id, [{ type: 'REFUND', amount: '300.00' }]),
        sleep(30).then(() => apply(gateway, order.id, [{ type: 'REFUND', amount: '300.00' }], other)),
      ]);
      expect([codeOrStatus(first), codeOrStatus(second)].filter((answer) => answer === 'PARTIALLY_REFUNDED')).toHaveLength(1);
      expect(dintero.operationsOn(transactionId).refund).toBe(1);
      expect(held(order)).toEqual({ captured: 49800, refunded: 30000 });
      await endsAsHeld(order, 'PARTIALLY_REFUNDED');
    });

    it.runIf(variation.transaction !== 'minimal')('two whole refunds (no amount) at once: all of it refunded once, REFUNDED', async () => {
      const { dintero, gateway } = setup;
      const { order, transactionId } = await authorized(setup);
      expect((await apply(gateway, order.id, [{ type: 'CAPTURE' }])).errors).toBeUndefined();
      dintero.holdAnswers('refund', [300, 300]);
      const answers = await Promise.all([apply(gateway, order.id, [{ type: 'REFUND' }]), apply(gateway, order.id, [{ type: 'REFUND' }], other)]);
      expect(answers.map(codeOrStatus).filter((answer) => answer === 'REFUNDED').length).toBeGreaterThanOrEqual(1);
      expect(dintero.operationsOn(transactionId).refund).toBe(1);
      expect(held(order)).toEqual({ captured: 49800, refunded: 49800 });
      await endsAsHeld(order, 'REFUNDED');
    });
  });

  describe.each([
    ['ISK (no decimals)', 'ISK', ['3980', '1000'], { capture: '1500', refund: '700' }, { total: 4980, capture: 1500, refund: 700 }],
    ['KWD (three decimals)', 'KWD', ['39.800', '10.005'], { capture: '15.001', refund: '7.001' }, { total: 49805, capture: 15001, refund: 7001 }],
  ] as const)('a currency with other decimals: %s', (_name, currency, lines, amounts, minor) => {
    const setup = useVariation({ transaction: 'full', events: true, callback: NO_CALLBACK });

    it('the session asks for the total in its minor units; a partial capture, the rest, a partial refund: each as Dintero holds it', async () => {
      const { dintero, gateway } = setup;
      const order = await create(gateway, {
        currency,
        items: [
          { lineId: 'chair', code: '175938', name: 'Stablestol', quantity: 2, amount: lines[0], taxRate: 25 },
          { lineId: 'shipping', name: 'Frakt', amount: lines[1] },
        ],
      });
      const session = dintero.received.find((request) => request.path === '/v1/sessions-profile' && request.body?.order?.merchant_reference === order.providerOrderId)!;
      expect(session.body.order).toMatchObject({ amount: minor.total, currency });
      const transactionId = await dintero.pay(dintero.latestSessionId());
      await reaches(gateway, order.id, 'AUTHORIZED');
      const minorIn = (amount: string | undefined) => Math.round(Number(amount ?? 0) * 10 ** (currency === 'ISK' ? 0 : 3));
      const figures = (shown: OrderView) => ({ status: shown.status, captured: minorIn(shown.payments[0]?.capturedAmount.amount), refunded: minorIn(shown.payments[0]?.refundedAmount.amount) });
      const held = () => {
        const transaction = dintero.transactionFor(order.providerOrderId!)!;
        return { captured: transaction.captured, refunded: transaction.refunded };
      };
      const steps: [Record<string, unknown>, { status: string; captured: number; refunded: number }][] = [
        [{ type: 'CAPTURE', amount: amounts.capture }, { status: 'PARTIALLY_CAPTURED', captured: minor.capture, refunded: 0 }],
        [{ type: 'CAPTURE' }, { status: 'CAPTURED', captured: minor.total, refunded: 0 }],
        [{ type: 'REFUND', amount: amounts.refund }, { status: 'PARTIALLY_REFUNDED', captured: minor.total, refunded: minor.refund }],
      ];
      for (const [event, expected] of steps) {
        const answer = await apply(gateway, order.id, [event]);
        expect(answer.errors).toBeUndefined();
        expect(figures(answer.data!.applyOrderEvents[0]!)).toEqual(expected);
        expect(held()).toEqual({ captured: expected.captured, refunded: expected.refunded });
      }
      // An amount finer than the currency's minor unit is bad input, and reaches nobody.
      const captures = dintero.received.filter((request) => request.path.endsWith('/capture')).length;
      const fine = await apply(gateway, order.id, [{ type: 'REFUND', amount: currency === 'ISK' ? '10.5' : '1.0005' }]);
      expect(fine.errors?.[0]?.extensions?.['code']).toBe('BAD_USER_INPUT');
      expect(dintero.received.filter((request) => request.path.endsWith('/capture') || request.path.endsWith('/refund')).length).toBe(captures + 1);
      await sleep(300);
      expect(figures(await read(gateway, order.id))).toEqual(steps[2]![1]);
      expect(dintero.operationsOn(transactionId)).toEqual({ capture: 2, refund: 1, void: 0 });
    });
  });

  describe.each([
    ['answered 202 and read back, amounts as strings, with events, requests checked strictly', { operationAnswer: 'accepted', stringNumbers: true, events: true, strictRequests: true, strictLineIds: true, marksInOrder: true }],
    ['answered 204, bare {id, status} transactions, requests checked strictly', { operationAnswer: 'no-content', transaction: 'minimal', strictRequests: true, strictLineIds: true, marksInOrder: true }],
    ['the operation as a record without an id of its own, bare {id, status} transactions', { operationAnswer: 'operation-without-id', transaction: 'minimal' }],
  ] as [string, Partial<IndependentDinteroOptions>][])('money figures step by step, %s', (_name, variation) => {
    const setup = useVariation({ ...variation, callback: NO_CALLBACK });

    /** One step: its answer and a read right after it both as Dintero holds it. */
    async function step(order: OrderView, events: Record<string, unknown>[], expected: { status: string; captured: number; refunded: number }): Promise<void> {
      const { dintero, gateway } = setup;
      const answer = await apply(gateway, order.id, events);
      expect(answer.errors).toBeUndefined();
      agrees(dintero, answer.data!.applyOrderEvents[0]!, expected);
      agrees(dintero, await read(gateway, order.id), expected);
    }

    it('three partial captures that add up to the total, then three partial refunds that add up to it', async () => {
      const { dintero, gateway } = setup;
      const { order, transactionId } = await authorized(setup);
      await step(order, [{ type: 'CAPTURE', amount: '100.00' }], { status: 'PARTIALLY_CAPTURED', captured: 10000, refunded: 0 });
      await step(order, [{ type: 'CAPTURE', amount: '150.50' }], { status: 'PARTIALLY_CAPTURED', captured: 25050, refunded: 0 });
      await step(order, [{ type: 'CAPTURE', amount: '247.50' }], { status: 'CAPTURED', captured: 49800, refunded: 0 });
      await step(order, [{ type: 'REFUND', amount: '0.50' }], { status: 'PARTIALLY_REFUNDED', captured: 49800, refunded: 50 });
      await step(order, [{ type: 'REFUND', amount: '297.50' }], { status: 'PARTIALLY_REFUNDED', captured: 49800, refunded: 29800 });
      await step(order, [{ type: 'REFUND', amount: '200.00' }], { status: 'REFUNDED', captured: 49800, refunded: 49800 });
      await sleep(300); // the poller's turns (200 ms): nothing it reads changes a figure
      agrees(dintero, await read(gateway, order.id), { status: 'REFUNDED', captured: 49800, refunded: 49800 });
      expect(dintero.operationsOn(transactionId)).toEqual({ capture: 3, refund: 3, void: 0 });
      // The seed's marks on the Orders API order say the same money.
      const marked = (kind: string) =>
        harness
          .marks(dintero, kind)
          .filter((mark) => mark.path.includes(`/orders/${order.providerOrderId}/`))
          .flatMap((mark) => mark.body.items as { amount: number }[])
          .reduce((total, item) => total + item.amount, 0);
      await eventually(async () => marked('refunds') === 49800, 2_000).catch(() => undefined);
      expect({ authorizations: marked('authorizations'), captures: marked('captures'), refunds: marked('refunds') }).toEqual({ authorizations: 49800, captures: 49800, refunds: 49800 });
    });

    it('two partial captures that add up to the total, then a refund of all of it (no amount)', async () => {
      const { dintero, gateway } = setup;
      const { order, transactionId } = await authorized(setup);
      await step(order, [{ type: 'CAPTURE', amount: '398.00' }], { status: 'PARTIALLY_CAPTURED', captured: 39800, refunded: 0 });
      await step(order, [{ type: 'CAPTURE', amount: '100.00' }], { status: 'CAPTURED', captured: 49800, refunded: 0 });
      await step(order, [{ type: 'REFUND' }], { status: 'REFUNDED', captured: 49800, refunded: 49800 });
      await sleep(300);
      agrees(dintero, await read(gateway, order.id), { status: 'REFUNDED', captured: 49800, refunded: 49800 });
      expect(dintero.operationsOn(transactionId)).toEqual({ capture: 2, refund: 1, void: 0 });
    });

    it('two partial captures, then a refund of all that was captured (no amount), while the rest stays authorized', async () => {
      const { dintero, gateway } = setup;
      const { order, transactionId } = await authorized(setup);
      await step(order, [{ type: 'CAPTURE', amount: '100.00' }], { status: 'PARTIALLY_CAPTURED', captured: 10000, refunded: 0 });
      await step(order, [{ type: 'CAPTURE', amount: '150.00' }], { status: 'PARTIALLY_CAPTURED', captured: 25000, refunded: 0 });
      const refund = await apply(gateway, order.id, [{ type: 'REFUND' }]);
      expect(refund.errors).toBeUndefined();
      const held = dintero.transactionFor(order.providerOrderId!)!;
      expect({ captured: held.captured, refunded: held.refunded }).toEqual({ captured: 25000, refunded: 25000 });
      for (const shown of [refund.data!.applyOrderEvents[0]!, await read(gateway, order.id)]) {
        expect({ captured: minorOf(shown.payments[0]?.capturedAmount.amount), refunded: minorOf(shown.payments[0]?.refundedAmount.amount) }).toEqual({ captured: 25000, refunded: 25000 });
      }
      await sleep(300);
      const after = await read(gateway, order.id);
      expect({ captured: minorOf(after.payments[0]?.capturedAmount.amount), refunded: minorOf(after.payments[0]?.refundedAmount.amount) }).toEqual({ captured: 25000, refunded: 25000 });
      expect(dintero.operationsOn(transactionId)).toEqual({ capture: 2, refund: 1, void: 0 });
    });
  });
});
