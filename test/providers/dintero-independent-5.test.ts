/**
 * Round five against the independent Dintero (test/support/independent/dintero-server.ts): money
 * that moves at Dintero without the gateway (its back office, an authorization voided when it
 * expires), then the gateway's next call on the order, or its lost answer; a capture or refund
 * Dintero takes and the acquirer then refuses (a failed event under its reference); operations
 * answered as resources of their own; and round two's lead (a later partial capture answered
 * after the timeout on {id, status} transactions) past the adapter's ten minutes, with the
 * adapter's clock moved. Every order made through the harness goes through its closing money
 * check; the it.fails and the unkeyed lost capture make theirs outside it (round five showed both
 * counting money Dintero did not move; round seven fixed the unkeyed one).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyObservation, newOrder, type ProviderObservation } from '../../src/domain/observation.js';
import type { Order } from '../../src/domain/order.js';
import { newOrderId } from '../../src/domain/orders/order-id.js';
import type { ProviderAdapter } from '../../src/domain/provider-port.js';
import { createDinteroAdapter, UNKNOWN_OUTCOME_BOUND_MS } from '../../src/providers/dintero/index.js';
import { createMemoryStore } from '../../src/store/memory.js';
import { CREATE_ORDER, type OrderView } from '../support/documents.js';
import { dinteroOrderInput } from '../support/dintero.js';
import { eventually } from '../support/gateway.js';
import { gqlOk } from '../support/graphql.js';
import { independentDinteroHarness } from '../support/independent/dintero-harness.js';
import { startIndependentDintero, type IndependentDintero, type IndependentDinteroOptions } from '../support/independent/dintero-server.js';

const NO_CALLBACK: IndependentDinteroOptions['callback'] = { how: 'none', ids: 'both', extras: false, copies: 0, delayMs: 0 };

describe('Dintero adapter against an independent implementation of the seed, round five', () => {
  const harness = independentDinteroHarness('-5');
  const { useVariation, authorized, read, apply, reaches } = harness;

  describe.each([
    ['full transactions with events', { transaction: 'full', events: true }],
    ['bare {id, status} transactions', { transaction: 'minimal' }],
  ] as const)('money moved at Dintero without the gateway, %s', (_name, variation) => {
    const setup = useVariation({ ...variation, callback: NO_CALLBACK });

    it('an authorization voided at Dintero (expired): the capture is refused, and the order then shows CANCELLED', async () => {
      const { dintero, gateway } = setup;
      const { order, transactionId } = await authorized(setup);
      dintero.outside(transactionId, 'void');
      const capture = await apply(gateway, order.id, [{ type: 'CAPTURE' }]);
      expect(capture.errors?.[0]?.extensions?.['code']).toBe('PROVIDER_REJECTED');
      expect((await read(gateway, order.id)).status).toBe('CANCELLED');
    });

    it('an order captured in Dintero\'s back office: the capture is refused, and the order then shows it CAPTURED', async () => {
      const { dintero, gateway } = setup;
      const { order, transactionId } = await authorized(setup);
      dintero.outside(transactionId, 'capture');
      const capture = await apply(gateway, order.id, [{ type: 'CAPTURE' }]);
      expect(capture.errors?.[0]?.extensions?.['code']).toBe('PROVIDER_REJECTED');
      expect(await read(gateway, order.id)).toMatchObject({ status: 'CAPTURED', payments: [{ capturedAmount: { amount: '498.00' } }] });
    });

    it('an order refunded in Dintero\'s back office after the gateway captured it: the refund is refused, and the order then shows it REFUNDED', async () => {
      const { dintero, gateway } = setup;
      const { order, transactionId } = await authorized(setup);
      expect((await apply(gateway, order.id, [{ type: 'CAPTURE' }])).errors).toBeUndefined();
      dintero.outside(transactionId, 'refund');
      const refund = await apply(gateway, order.id, [{ type: 'REFUND' }]);
      expect(refund.errors?.[0]?.extensions?.['code']).toBe('PROVIDER_REJECTED');
      expect(await read(gateway, order.id)).toMatchObject({ status: 'REFUNDED' });
      expect(dintero.operationsOn(transactionId)).toEqual({ capture: 1, refund: 1, void: 0 });
    });

    it('part captured in the back office, then the gateway\'s keyed capture lost before it reached Dintero: not counted as the back office\'s money', async () => {
      const { dintero, gateway } = setup;
      const { order, transactionId } = await authorized(setup);
      dintero.outside(transactionId, 'capture', 5000);
      dintero.failNext('capture', 502); // a proxy's 502: Dintero never saw it
      const lost = await apply(gateway, order.id, [{ type: 'CAPTURE', amount: '400.00', idempotencyKey: 'lost-before-dintero' }]);
      expect(lost.errors?.[0]?.extensions?.['code']).toBe('PROVIDER_UNAVAILABLE');
      await new Promise((resolve) => setTimeout(resolve, 600)); // the poller's turns (200 ms)
      const after = await read(gateway, order.id);
      expect(Number(after.payments[0]!.capturedAmount.amount)).toBeLessThanOrEqual(50);
      expect(after.creation.infos.map((info) => info.code)).toEqual(['dintero.outcome_unknown']);
      expect(dintero.transactionFor(order.providerOrderId!)).toMatchObject({ captured: 5000 });
      expect(dintero.operationsOn(transactionId).capture).toBe(1);
    });

    // Found in round five, fixed in round seven: without an idempotency key the adapter read
    // nothing before sending, so on {id, status} transactions a lost capture's re-read
    // (PARTIALLY_CAPTURED, from the back office's 50.00) was taken for the gateway's 400.00. Every
    // capture and refund now reads the transaction first (money-change.ts captureOrRefund). The
    // order is made outside the harness's list; the assertion below is its closing money check.
    // (With events the re-read finds no event under its reference: not counted either way.)
    it('the same without an idempotency key: not counted as the back office\'s money', async () => {
      const { dintero, gateway } = setup;
      const made = (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: dinteroOrderInput() }, harness.parts.shop)).createOrder;
      const transactionId = await dintero.pay(dintero.latestSessionId());
      await reaches(gateway, made.id, 'AUTHORIZED');
      dintero.outside(transactionId, 'capture', 5000);
      dintero.failNext('capture', 502);
      await apply(gateway, made.id, [{ type: 'CAPTURE', amount: '400.00' }]);
      await new Promise((resolve) => setTimeout(resolve, 600));
      expect(Number((await read(gateway, made.id)).payments[0]!.capturedAmount.amount)).toBeLessThanOrEqual(50);
    });

    it('part refunded in the back office, then the gateway\'s refund lost before it reached Dintero: not counted as the back office\'s money', async () => {
      const { dintero, gateway } = setup;
      const { order, transactionId } = await authorized(setup);
      expect((await apply(gateway, order.id, [{ type: 'CAPTURE' }])).errors).toBeUndefined();
      dintero.outside(transactionId, 'refund', 2000);
      dintero.failNext('refund', 502);
      const lost = await apply(gateway, order.id, [{ type: 'REFUND', amount: '300.00', idempotencyKey: 'refund-lost-before-dintero' }]);
      expect(lost.errors?.[0]?.extensions?.['code']).toBe('PROVIDER_UNAVAILABLE');
      await new Promise((resolve) => setTimeout(resolve, 600));
      expect(Number((await read(gateway, order.id)).payments[0]!.refundedAmount.amount)).toBeLessThanOrEqual(20);
      expect(dintero.transactionFor(order.providerOrderId!)).toMatchObject({ refunded: 2000 });
    });

    it('an authorization voided at Dintero: the cancel that Dintero refuses leaves the order CANCELLED', async () => {
      const { dintero, gateway } = setup;
      const { order, transactionId } = await authorized(setup);
      dintero.outside(transactionId, 'void');
      const cancel = await apply(gateway, order.id, [{ type: 'CANCEL' }]);
      expect(cancel.errors?.[0]?.extensions?.['code']).toBe('PROVIDER_REJECTED');
      expect((await read(gateway, order.id)).status).toBe('CANCELLED');
    });
  });

  describe.each([
    ['answered with the transaction', 'transaction'],
    ['answered 202, read back', 'accepted'],
  ] as const)('a capture or refund Dintero takes and that fails at the acquirer (a failed event under its reference), %s', (_name, operationAnswer) => {
    const setup = useVariation({ transaction: 'full', events: true, operationAnswer, callback: NO_CALLBACK });

    it('the capture is refused and not counted; its retry with the key is sent again and counted once', async () => {
      const { dintero, gateway } = setup;
      const { order, transactionId } = await authorized(setup);
      dintero.failNextAtAcquirer('capture');
      const failed = await apply(gateway, order.id, [{ type: 'CAPTURE', amount: '100.00', idempotencyKey: 'declined-capture' }]);
      expect(failed.errors?.[0]?.extensions?.['code']).toBe('PROVIDER_REJECTED');
      expect(await read(gateway, order.id)).toMatchObject({ status: 'AUTHORIZED', payments: [{ capturedAmount: { amount: '0.00' } }] });
      const again = await apply(gateway, order.id, [{ type: 'CAPTURE', amount: '100.00', idempotencyKey: 'declined-capture' }]);
      expect(again.errors).toBeUndefined();
      expect(again.data!.applyOrderEvents[0]).toMatchObject({ status: 'PARTIALLY_CAPTURED', payments: [{ capturedAmount: { amount: '100.00' } }] });
      expect(dintero.transactionOf(dintero.latestSessionId())).toMatchObject({ captured: 10000 });
      expect(dintero.operationsOn(transactionId).capture).toBe(1);
    });

    it('a failed capture whose answer was lost: the re-read drops it at once (no Info, nothing counted)', async () => {
      const { dintero, gateway } = setup;
      const { order } = await authorized(setup);
      const captureCalls = dintero.received.filter((request) => request.path.endsWith('/capture')).length;
      dintero.failNextAtAcquirer('capture');
      dintero.loseNextAnswer('capture', 502);
      const lost = await apply(gateway, order.id, [{ type: 'CAPTURE', amount: '100.00', idempotencyKey: 'lost-declined-capture' }]);
      expect(lost.errors?.[0]?.extensions?.['code']).toBe('PROVIDER_UNAVAILABLE');
      await eventually(async () => (await read(gateway, order.id)).creation.infos.length === 0, 3_000);
      expect(await read(gateway, order.id)).toMatchObject({ status: 'AUTHORIZED', payments: [{ capturedAmount: { amount: '0.00' } }] });
      const again = await apply(gateway, order.id, [{ type: 'CAPTURE', amount: '100.00', idempotencyKey: 'lost-declined-capture' }]);
      // The key's change was taken as done once (its outcome unknown): it is answered, not sent again.
      expect(again.data?.applyOrderEvents[0]?.status ?? again.errors?.[0]?.extensions?.['code']).toMatch(/^(AUTHORIZED|INVALID_STATE|PROVIDER_UNAVAILABLE)$/);
      expect(dintero.received.filter((request) => request.path.endsWith('/capture'))).toHaveLength(captureCalls + 1);
      const fresh = await apply(gateway, order.id, [{ type: 'CAPTURE', amount: '100.00', idempotencyKey: 'after-the-declined-one' }]);
      expect(fresh.data?.applyOrderEvents[0]).toMatchObject({ status: 'PARTIALLY_CAPTURED', payments: [{ capturedAmount: { amount: '100.00' } }] });
    });

    it('the refund is refused and not counted', async () => {
      const { dintero, gateway } = setup;
      const { order } = await authorized(setup);
      expect((await apply(gateway, order.id, [{ type: 'CAPTURE' }])).errors).toBeUndefined();
      dintero.failNextAtAcquirer('refund');
      const failed = await apply(gateway, order.id, [{ type: 'REFUND', amount: '50.00', idempotencyKey: 'declined-refund' }]);
      expect(failed.errors?.[0]?.extensions?.['code']).toBe('PROVIDER_REJECTED');
      expect(await read(gateway, order.id)).toMatchObject({ status: 'CAPTURED', payments: [{ refundedAmount: { amount: '0.00' } }] });
      expect(dintero.transactionOf(dintero.latestSessionId())).toMatchObject({ refunded: 0 });
    });
  });

  describe.each([
    ['full transactions', { transaction: 'full' }],
    ['bare {id, status} transactions', { transaction: 'minimal' }],
  ] as const)('captures, refunds and voids answered with the operation as a resource of its own (its own id, amount and word), %s', (_name, variation) => {
    const setup = useVariation({ ...variation, operationAnswer: 'operation', callback: NO_CALLBACK });

    it('one payment, the transaction\'s, with what moved: captured in two parts, refunded, each moved once', async () => {
      const { dintero, gateway } = setup;
      const { order, transactionId } = await authorized(setup);
      await harness.appliesInTurn(gateway, order.id, [
        [[{ type: 'CAPTURE', amount: '100.00' }], { status: 'PARTIALLY_CAPTURED', payments: [{ id: transactionId, capturedAmount: { amount: '100.00' } }] }],
        [[{ type: 'CAPTURE' }], { status: 'CAPTURED', payments: [{ id: transactionId, capturedAmount: { amount: '498.00' } }] }],
        [[{ type: 'REFUND', amount: '50.00' }], { status: 'PARTIALLY_REFUNDED', payments: [{ id: transactionId, refundedAmount: { amount: '50.00' } }] }],
      ]);
      expect((await read(gateway, order.id)).payments).toHaveLength(1);
      expect(dintero.operationsOn(transactionId)).toEqual({ capture: 2, refund: 1, void: 0 });
    });

    it('a cancel: CANCELLED, one payment, voided once', async () => {
      const { dintero, gateway } = setup;
      const { order, transactionId } = await authorized(setup);
      await harness.appliesInTurn(gateway, order.id, [[[{ type: 'CANCEL' }], { status: 'CANCELLED' }]]);
      expect((await read(gateway, order.id)).payments).toMatchObject([{ id: transactionId, status: 'VOIDED' }]);
      expect(dintero.operationsOn(transactionId).void).toBe(1);
    });
  });

  describe('a capture accepted (202) and carried out later, that then fails at the acquirer', () => {
    const setup = useVariation({ transaction: 'full', events: true, settleAfterMs: 300, callback: NO_CALLBACK });

    // Found, not fixed: Dintero's 202 counts at once (mapping.ts asAccepted, round one), so a
    // capture that then fails shows as captured for good, while Dintero moved nothing. Since round
    // seven the order is re-read until the history shows the outcome and then says the capture
    // was refused (Info dintero.refused_after_accepted, dintero-independent-7), but the figure
    // stays: un-counting it needs the domain (a payment's captured figure never goes down, and the
    // status would move back from PARTIALLY_CAPTURED to AUTHORIZED); counting only once the history
    // shows it would undo round one's "a yes counts at once" (the same money captured twice). The
    // order is made outside the harness's list (its closing check would fail the suite for it);
    // the assertion below is that check, for this order. Passes once fixed.
    it.fails('is not shown captured once the transaction shows it failed', async () => {
      const { dintero, gateway } = setup;
      const made = (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: dinteroOrderInput() }, harness.parts.shop)).createOrder;
      await dintero.pay(dintero.latestSessionId());
      await reaches(gateway, made.id, 'AUTHORIZED');
      dintero.failNextAtAcquirer('capture');
      await apply(gateway, made.id, [{ type: 'CAPTURE', amount: '100.00' }]);
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      expect(dintero.transactionFor(made.providerOrderId!)).toMatchObject({ captured: 0 });
      expect((await read(gateway, made.id)).payments[0]!.capturedAmount.amount).toBe('0.00');
    });
  });

  /**
   * Round two's "a second partial capture carried out but answered after the timeout", past the
   * ten minutes the adapter looks for it, on bare {id, status} transactions. The adapter on its own,
   * with its clock moved (the gateway's wiring has none to move).
   */
  describe('a later partial capture whose answer was lost, past the bound, on {id, status} transactions', () => {
    let dintero: IndependentDintero;
    let clock = Date.now();
    const now = (): number => clock;
    const iso = (): string => new Date(clock).toISOString();
    const NOK = (minor: number) => ({ currency: 'NOK', minor });
    beforeAll(async () => {
      dintero = await startIndependentDintero({ transaction: 'minimal', callback: NO_CALLBACK });
    });
    afterAll(() => dintero?.close());
    const learn = (order: Order, fact: ProviderObservation | null | undefined): Order => (fact ? (applyObservation(order, fact, 'RECONCILIATION', iso()) ?? order) : order);
    const adapterFor = (): ProviderAdapter =>
      createDinteroAdapter({ ...dintero.config, profileId: 'default_profile' }, { publicUrl: 'http://127.0.0.1:9', timeoutMs: 400, kv: createMemoryStore().kv }, { now });

    /** `lost`: the second capture is carried out and its answer lost (by timeout), or never reaches Dintero (a proxy's 502). */
    async function partlyCapturedTwice(adapter: ProviderAdapter, lost: 'carried-out' | 'not-sent' = 'carried-out'): Promise<{ order: Order; transactionId: string }> {
      const orderId = newOrderId();
      const items = [
        { lineId: 'chair', code: '175938', name: 'Stablestol', quantity: 2, amount: NOK(39800), taxRate: 25 },
        { lineId: 'shipping', name: 'Frakt', amount: NOK(10000) },
      ];
      const created = await adapter.createOrder({ provider: 'DINTERO', currency: 'NOK', total: NOK(49800), items, returnUrls: { success: 'https://shop.example/return' }, options: undefined, orderId });
      let order = newOrder(
        { id: orderId, provider: 'DINTERO', owner: 'shop', providerOrderId: created.providerOrderId!, total: created.total, items: created.items, creation: { status: 'STOPPED', infos: [] }, createdAt: iso() },
        created.observation,
        'CLIENT',
        iso(),
        'created',
      );
      const transactionId = await dintero.pay(dintero.latestSessionId());
      order = learn(order, await adapter.fetchOrder!(order));
      expect(order.status).toBe('AUTHORIZED');
      const [first] = await adapter.applyOrderChanges!([{ order, changes: [{ type: 'CAPTURE', amount: NOK(10000), requestKey: `first-${orderId}` }] }]);
      for (const fact of first!.observations) order = learn(order, fact);
      if (lost === 'carried-out') dintero.stallNextAnswer('capture', 1_000);
      else dintero.failNext('capture', 502);
      const [second] = await adapter.applyOrderChanges!([{ order, changes: [{ type: 'CAPTURE', amount: NOK(10000), requestKey: `second-${orderId}` }] }]);
      expect(second).toMatchObject({ ok: false, error: { code: 'PROVIDER_UNAVAILABLE' } });
      for (const fact of second!.observations) order = learn(order, fact);
      clock += UNKNOWN_OUTCOME_BOUND_MS + 60_000;
      order = learn(order, await adapter.fetchOrder!(order));
      expect(dintero.transactionOf(dintero.latestSessionId())).toMatchObject({ captured: lost === 'carried-out' ? 20000 : 10000 });
      expect(order.creation.infos.map((info) => info.code)).toEqual(['dintero.outcome_unshown']);
      return { order, transactionId };
    }

    it('never counted (100.00 where Dintero holds 200.00), said so, and never re-read; capturing what Dintero still holds makes it CAPTURED 498.00', async () => {
      const adapter = adapterFor();
      const captured = await partlyCapturedTwice(adapter);
      const transactionId = captured.transactionId;
      let order = captured.order;
      // The status cannot tell whether the second 100.00 moved: not counted (never more than moved), and the order says so.
      expect(order).toMatchObject({ status: 'PARTIALLY_CAPTURED', payments: [{ capturedAmount: NOK(10000) }] });
      expect(order.creation.infos.map((info) => info.code)).toEqual(['dintero.outcome_unshown']);
      expect(adapter.needsReconciliation(order)).toBe(false);
      // "The rest" as the gateway counts it (398.00) is more than Dintero holds (298.00): refused, nothing moves.
      const [rest] = await adapter.applyOrderChanges!([{ order, changes: [{ type: 'CAPTURE', amount: NOK(39800) }] }]);
      expect(rest).toMatchObject({ ok: false, error: { code: 'PROVIDER_REJECTED' }, observations: [] });
      // What Dintero does hold, once the back office has checked it there: the status says all, and the order shows all.
      const [held] = await adapter.applyOrderChanges!([{ order, changes: [{ type: 'CAPTURE', amount: NOK(29800) }] }]);
      expect(held).toMatchObject({ ok: true });
      for (const fact of held!.observations) order = learn(order, fact);
      expect(order).toMatchObject({ status: 'CAPTURED', payments: [{ capturedAmount: NOK(49800) }] });
      expect(dintero.operationsOn(transactionId).capture).toBe(3);
      expect(dintero.transactionFor(order.providerOrderId!)).toMatchObject({ captured: 49800 });
    });

    // Once the status says the whole amount is captured, the lost capture no longer changes any
    // figure: before, the order kept saying "it is not counted here: check it at Dintero" for good
    // (nothing re-read it), and the Orders API had 100.00 less marked captured than Dintero held.
    it('once the whole amount is captured, the order no longer says the lost capture is not counted', async () => {
      const adapter = adapterFor();
      let { order } = await partlyCapturedTwice(adapter);
      const [held] = await adapter.applyOrderChanges!([{ order, changes: [{ type: 'CAPTURE', amount: NOK(29800) }] }]);
      for (const fact of held!.observations) order = learn(order, fact);
      expect(adapter.needsReconciliation(order)).toBe(true);
      order = learn(order, await adapter.fetchOrder!(order));
      expect(order).toMatchObject({ status: 'CAPTURED', payments: [{ capturedAmount: NOK(49800) }] });
      expect(order.creation.infos).toEqual([]);
      expect(adapter.needsReconciliation(order)).toBe(false);
      const captureMarks = dintero.received.filter((request) => request.path.endsWith(`/orders/${order.providerOrderId}/captures`) && request.status! < 300);
      expect(captureMarks.flatMap((mark) => mark.body.items as { amount: number }[]).reduce((sum, item) => sum + item.amount, 0)).toBe(49800);
    });

    it('and one that never reached Dintero, once the gateway captures the rest: dropped, the Info gone, the marks Dintero\'s 498.00', async () => {
      const adapter = adapterFor();
      let { order } = await partlyCapturedTwice(adapter, 'not-sent');
      const [rest] = await adapter.applyOrderChanges!([{ order, changes: [{ type: 'CAPTURE', amount: NOK(39800) }] }]);
      expect(rest).toMatchObject({ ok: true });
      for (const fact of rest!.observations) order = learn(order, fact);
      order = learn(order, await adapter.fetchOrder!(order));
      expect(order).toMatchObject({ status: 'CAPTURED', payments: [{ capturedAmount: NOK(49800) }] });
      expect(order.creation.infos).toEqual([]);
      expect(adapter.needsReconciliation(order)).toBe(false);
      const captureMarks = dintero.received.filter((request) => request.path.endsWith(`/orders/${order.providerOrderId}/captures`) && request.status! < 300);
      expect(captureMarks.flatMap((mark) => mark.body.items as { amount: number }[]).reduce((sum, item) => sum + item.amount, 0)).toBe(49800);
    });
  });
});
