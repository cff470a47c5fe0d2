/**
 * Round two against the independent Dintero (test/support/independent/dintero-server.ts): what
 * round one (dintero-independent.test.ts) varied one at a time, here all at once; answers lost at
 * the worst moments (a timeout, a reset) with money counted at the server; two back-office
 * clients at once; a callback arriving while a capture's answer is on its way; unset fields
 * written as zero values (""); a long order against a server that checks what it is sent; a buyer
 * who pays after the order ended (declined then paid in the same session, paid after EXPIRED);
 * and sessions that expire, their expiry written in the forms a timestamp may take, read by a
 * gateway whose clock is not in UTC.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/app.js';
import { dinteroCallback } from '../support/dintero.js';
import { eventually, tokenFor } from '../support/gateway.js';
import { independentDinteroHarness } from '../support/independent/dintero-harness.js';
import type { IndependentDintero, IndependentDinteroOptions } from '../support/independent/dintero-server.js';

const NO_CALLBACK: IndependentDinteroOptions['callback'] = { how: 'none', ids: 'both', extras: false, copies: 0, delayMs: 0 };

describe('Dintero adapter against an independent implementation of the seed, round two', () => {
  const harness = independentDinteroHarness('-2');
  const { setUp, useVariation, authorized, create, read, apply, reaches, marks } = harness;
  let backOffice: string;
  /** A second back-office client, for the tests that race two of them. */
  let otherBackOffice: string;
  beforeAll(async () => {
    ({ backOffice } = harness.parts);
    otherBackOffice = await tokenFor('orders:read orders:manage', 'back-office-dintero-independent-2');
  });
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  describe('every freedom at once: strict line ids, audience checked, 201 stringy token, 200 creates, ids as numbers, bare Title-case padded statuses, numbers as strings, 204 answers, no content type, text errors, DECLINED, a form callback naming only the transaction, three copies', () => {
    const setup = useVariation({
      tokenStatus: 201,
      tokenShape: 'stringy',
      checkAudience: true,
      strictLineIds: true,
      draftAnswer: 'id+order_id',
      createStatus: 200,
      completeAnswer: 'id-is-order-id',
      sessionUrl: false,
      numericIds: true,
      transaction: 'minimal',
      statusCase: 'title',
      statusPadding: true,
      stringNumbers: true,
      operationAnswer: 'no-content',
      markStatus: 204,
      contentType: 'none',
      errorBody: 'text',
      declineWord: 'DECLINED',
      callback: { how: 'POST-form', ids: 'transaction', extras: true, copies: 3, delayMs: 5 },
    });

    it('the whole life: created, authorized, captured and refunded in parts, each moved once, each marked', async () => {
      const { dintero, gateway } = setup;
      const created = await create(gateway);
      expect(created).toMatchObject({ status: 'CREATED', creation: { status: 'STOPPED', stopAction: { type: 'REDIRECT' } } });
      const sessionId = dintero.latestSessionId();
      const transactionId = await dintero.pay(sessionId);
      await reaches(gateway, created.id, 'AUTHORIZED');
      for (const callback of dintero.callbacks) expect([200, 202, 204, 429]).toContain(callback.status);
      await eventually(async () => marks(dintero, 'authorizations').length === 1);

      for (const [event, status] of [
        [{ type: 'CAPTURE', amount: '100.00' }, 'PARTIALLY_CAPTURED'],
        [{ type: 'CAPTURE' }, 'CAPTURED'],
        [{ type: 'REFUND', amount: '98.00' }, 'PARTIALLY_REFUNDED'],
        [{ type: 'REFUND' }, 'REFUNDED'],
      ] as const) {
        const answer = await apply(gateway, created.id, [event]);
        expect(answer.errors).toBeUndefined();
        expect(answer.data!.applyOrderEvents[0]).toMatchObject({ status });
      }
      expect(dintero.operationsOn(transactionId)).toEqual({ capture: 2, refund: 2, void: 0 });
      expect(dintero.transactionOf(sessionId)).toMatchObject({ status: 'REFUNDED', captured: 49800, refunded: 49800 });
      await eventually(async () => marks(dintero, 'captures').length === 2 && marks(dintero, 'refunds').length === 2);
      expect(await read(gateway, created.id)).toMatchObject({ status: 'REFUNDED', payments: [{ capturedAmount: { amount: '498.00' }, refundedAmount: { amount: '498.00' } }] });
    });

    it('a refused capture (text body) is PROVIDER_REJECTED; a declined payment is FAILED; an authorized one cancelled is CANCELLED', async () => {
      const { dintero, gateway } = setup;
      const { order: refused } = await authorized(setup);
      dintero.failNext('capture', 400);
      const answer = await apply(gateway, refused.id, [{ type: 'CAPTURE' }]);
      expect(answer.errors?.[0]?.extensions?.['code']).toBe('PROVIDER_REJECTED');
      const cancelled = await apply(gateway, refused.id, [{ type: 'CANCEL' }]);
      expect(cancelled.data!.applyOrderEvents[0]).toMatchObject({ status: 'CANCELLED' });

      const declined = await create(gateway);
      await dintero.pay(dintero.latestSessionId(), 'decline');
      await reaches(gateway, declined.id, 'FAILED');
    });
  });

  describe('answers lost on the way (a timeout, a reset) on bare {id, status} transactions, no callbacks', () => {
    const setup = useVariation({ transaction: 'minimal', callback: NO_CALLBACK }, { providerTimeoutMs: 600 });

    it('a whole capture carried out and its connection reset: CAPTURED, moved once, and the retry with its key sends nothing', async () => {
      const { dintero, gateway } = setup;
      const { order, transactionId } = await authorized(setup);
      dintero.stallNextAnswer('capture', 'reset');
      const lost = await apply(gateway, order.id, [{ type: 'CAPTURE', idempotencyKey: 'reset-capture' }]);
      expect(lost.data?.applyOrderEvents[0]?.status ?? lost.errors?.[0]?.extensions?.['code']).toMatch(/^(CAPTURED|PROVIDER_UNAVAILABLE)$/);
      const again = await apply(gateway, order.id, [{ type: 'CAPTURE', idempotencyKey: 'reset-capture' }]);
      expect(again.data?.applyOrderEvents[0]?.status ?? again.errors?.[0]?.extensions?.['code']).toMatch(/^(CAPTURED|PROVIDER_UNAVAILABLE|INVALID_STATE)$/);
      expect((await reaches(gateway, order.id, 'CAPTURED')).payments).toMatchObject([{ capturedAmount: { amount: '498.00' } }]);
      expect(dintero.operationsOn(transactionId).capture).toBe(1);
      await eventually(async () => marks(dintero, 'captures').length >= 1);
    });

    it('a second partial capture carried out but answered after the timeout: never sent again, by its key or by the poller', async () => {
      const { dintero, gateway } = setup;
      const { order, transactionId } = await authorized(setup);
      const first = await apply(gateway, order.id, [{ type: 'CAPTURE', amount: '100.00', idempotencyKey: 'part-1' }]);
      expect(first.data!.applyOrderEvents[0]).toMatchObject({ status: 'PARTIALLY_CAPTURED' });
      dintero.stallNextAnswer('capture', 1_500);
      const lost = await apply(gateway, order.id, [{ type: 'CAPTURE', amount: '100.00', idempotencyKey: 'part-2' }]);
      expect(lost.errors?.[0]?.extensions?.['code']).toBe('PROVIDER_UNAVAILABLE');
      const again = await apply(gateway, order.id, [{ type: 'CAPTURE', amount: '100.00', idempotencyKey: 'part-2' }]);
      // Answered (the first outcome, or a refusal to resend), never sent again.
      expect(again.data?.applyOrderEvents[0]?.status ?? again.errors?.[0]?.extensions?.['code']).toMatch(/^(PARTIALLY_CAPTURED|PROVIDER_UNAVAILABLE|INVALID_STATE)$/);
      expect(dintero.operationsOn(transactionId).capture).toBe(2);
      await sleep(1_500); // the held answer arrives (ignored); the poller re-reads
      const after = await read(gateway, order.id);
      expect(after.status).toBe('PARTIALLY_CAPTURED');
      // What the order shows never exceeds what moved, and nothing moved twice.
      expect(Number(after.payments[0]!.capturedAmount.amount)).toBeLessThanOrEqual(200);
      expect(dintero.operationsOn(transactionId).capture).toBe(2);
      expect(dintero.transactionOf(dintero.latestSessionId())).toMatchObject({ captured: 20000 });
    });

    it('a capture answered after the timeout, its callback arriving meanwhile: CAPTURED, moved once, the retry sends nothing', async () => {
      const { dintero, gateway } = setup;
      const { order, transactionId } = await authorized(setup);
      const sessionId = dintero.latestSessionId();
      dintero.stallNextAnswer('capture', 1_500);
      const capture = apply(gateway, order.id, [{ type: 'CAPTURE', idempotencyKey: 'capture-with-callback' }]);
      await sleep(200);
      expect(await dinteroCallback(gateway.url, { transaction_id: transactionId, session_id: sessionId })).toBeLessThan(300);
      const lost = await capture;
      expect(lost.data?.applyOrderEvents[0]?.status ?? lost.errors?.[0]?.extensions?.['code']).toMatch(/^(CAPTURED|PROVIDER_UNAVAILABLE)$/);
      const again = await apply(gateway, order.id, [{ type: 'CAPTURE', idempotencyKey: 'capture-with-callback' }]);
      expect(again.data?.applyOrderEvents[0]?.status ?? again.errors?.[0]?.extensions?.['code']).toMatch(/^(CAPTURED|PROVIDER_UNAVAILABLE|INVALID_STATE)$/);
      const fresh = await apply(gateway, order.id, [{ type: 'CAPTURE', idempotencyKey: 'another-capture' }]);
      expect(fresh.errors?.[0]?.extensions?.['code']).toBe('INVALID_STATE');
      expect((await reaches(gateway, order.id, 'CAPTURED')).payments).toMatchObject([{ capturedAmount: { amount: '498.00' } }]);
      expect(dintero.operationsOn(transactionId).capture).toBe(1);
      await eventually(async () => marks(dintero, 'captures').filter((mark) => mark.body?.payment_details?.payment_id === transactionId).length === 1);
    });

    it('a refund answered after the timeout, and a void whose connection is reset: REFUNDED and CANCELLED, each moved once', async () => {
      const { dintero, gateway } = setup;
      const { order, transactionId } = await authorized(setup);
      await apply(gateway, order.id, [{ type: 'CAPTURE' }]);
      dintero.stallNextAnswer('refund', 1_200);
      const lost = await apply(gateway, order.id, [{ type: 'REFUND', idempotencyKey: 'slow-refund' }]);
      expect(lost.data?.applyOrderEvents[0]?.status ?? lost.errors?.[0]?.extensions?.['code']).toMatch(/^(REFUNDED|PROVIDER_UNAVAILABLE)$/);
      await apply(gateway, order.id, [{ type: 'REFUND', idempotencyKey: 'slow-refund' }]);
      await reaches(gateway, order.id, 'REFUNDED');
      expect(dintero.operationsOn(transactionId).refund).toBe(1);

      const voided = await authorized(setup);
      dintero.stallNextAnswer('void', 'reset');
      const cancel = await apply(gateway, voided.order.id, [{ type: 'CANCEL', idempotencyKey: 'reset-void' }]);
      expect(cancel.data?.applyOrderEvents[0]?.status ?? cancel.errors?.[0]?.extensions?.['code']).toMatch(/^(CANCELLED|PROVIDER_UNAVAILABLE)$/);
      await reaches(gateway, voided.order.id, 'CANCELLED');
      expect(dintero.operationsOn(voided.transactionId).void).toBe(1);
    });
  });

  describe('two back-office clients at once, and a callback while a capture is answered', () => {
    const setup = useVariation({ transaction: 'full' });

    it.each([
      ['the same idempotency key', 'same-key', 'same-key'],
      ['no idempotency key', undefined, undefined],
      ['different keys', 'key-a', 'key-b'],
    ])('two whole captures at once with %s: the money moves once, the order CAPTURED', async (_name, keyA, keyB) => {
      const { dintero, gateway } = setup;
      const { order, transactionId } = await authorized(setup);
      dintero.stallNextAnswer('capture', 300); // the second arrives while the first is being answered
      const answers = await Promise.all([
        apply(gateway, order.id, [{ type: 'CAPTURE', ...(keyA ? { idempotencyKey: keyA } : {}) }]),
        apply(gateway, order.id, [{ type: 'CAPTURE', ...(keyB ? { idempotencyKey: keyB } : {}) }], keyA === keyB && keyA ? backOffice : otherBackOffice),
      ]);
      const outcomes = answers.map((answer) => answer.data?.applyOrderEvents[0]?.status ?? answer.errors?.[0]?.extensions?.['code']);
      expect(outcomes).toContain('CAPTURED');
      for (const outcome of outcomes) expect(outcome).toMatch(/^(CAPTURED|INVALID_STATE|CONFLICT|PROVIDER_UNAVAILABLE)$/);
      expect(dintero.operationsOn(transactionId).capture).toBe(1);
      expect(await read(gateway, order.id)).toMatchObject({ status: 'CAPTURED', payments: [{ capturedAmount: { amount: '498.00' } }] });
      await eventually(async () => marks(dintero, 'captures').filter((mark) => mark.body?.payment_details?.payment_id === transactionId).length === 1);
    });

    it('two partial captures at once with different keys: both move, once each, and the order shows their sum', async () => {
      const { dintero, gateway } = setup;
      const { order, transactionId } = await authorized(setup);
      dintero.stallNextAnswer('capture', 300);
      const answers = await Promise.all([
        apply(gateway, order.id, [{ type: 'CAPTURE', amount: '100.00', idempotencyKey: 'part-a' }]),
        apply(gateway, order.id, [{ type: 'CAPTURE', amount: '150.00', idempotencyKey: 'part-b' }], otherBackOffice),
      ]);
      const moved = answers.filter((answer) => !answer.errors).length;
      for (const answer of answers) if (answer.errors) expect(answer.errors[0]!.extensions?.['code']).toMatch(/^(CONFLICT|INVALID_STATE)$/);
      expect(dintero.operationsOn(transactionId).capture).toBe(moved);
      const captured = dintero.transactionOf(dintero.latestSessionId())!.captured;
      expect(await read(gateway, order.id)).toMatchObject({ status: 'PARTIALLY_CAPTURED', payments: [{ capturedAmount: { amount: (captured / 100).toFixed(2) } }] });
    });

    it('a cancel sent while a capture is being answered: one of them happens, and the order says which', async () => {
      const { dintero, gateway } = setup;
      const { order, transactionId } = await authorized(setup);
      const sessionId = dintero.latestSessionId();
      dintero.stallNextAnswer('capture', 300);
      const capture = apply(gateway, order.id, [{ type: 'CAPTURE' }]);
      await sleep(100);
      const cancel = await apply(gateway, order.id, [{ type: 'CANCEL' }], otherBackOffice);
      await capture;
      const operations = dintero.operationsOn(transactionId);
      expect(operations.capture + operations.void).toBe(1);
      const after = await read(gateway, order.id);
      expect(after.status).toBe(operations.capture ? 'CAPTURED' : 'CANCELLED');
      expect(dintero.transactionOf(sessionId)!.status).toBe(operations.capture ? 'CAPTURED' : 'AUTHORIZATION_VOIDED');
      if (operations.capture) expect(cancel.errors?.[0]?.extensions?.['code']).toMatch(/^(CONFLICT|INVALID_STATE)$/);
    });

    it('a callback naming the transaction while its capture is answered: CAPTURED once, marked once', async () => {
      const { dintero, gateway } = setup;
      const { order, transactionId } = await authorized(setup);
      const sessionId = dintero.latestSessionId();
      dintero.stallNextAnswer('capture', 400);
      const capture = apply(gateway, order.id, [{ type: 'CAPTURE', amount: '100.00' }]);
      await sleep(150);
      expect(await dinteroCallback(gateway.url, { transaction_id: transactionId, session_id: sessionId })).toBeLessThan(300);
      const answer = await capture;
      expect(answer.errors).toBeUndefined();
      expect(answer.data!.applyOrderEvents[0]).toMatchObject({ status: 'PARTIALLY_CAPTURED', payments: [{ capturedAmount: { amount: '100.00' } }] });
      expect(await dinteroCallback(gateway.url, { transaction_id: transactionId, session_id: sessionId })).toBeLessThan(500);
      await sleep(300);
      expect(await read(gateway, order.id)).toMatchObject({ status: 'PARTIALLY_CAPTURED', payments: [{ capturedAmount: { amount: '100.00' } }] });
      expect(dintero.operationsOn(transactionId).capture).toBe(1);
      await eventually(async () => marks(dintero, 'captures').filter((mark) => mark.body?.payment_details?.payment_id === transactionId).length === 1);
    });
  });

  describe.each([
    ['with callbacks', {}],
    ['without callbacks (the poller reads the session)', { callback: NO_CALLBACK }],
  ] as const)('zero values for what is not set (a Go serialiser: "order_id": "" on a draft, "transaction_id": "" on an unpaid session, "url": ""), %s', (_name, extra) => {
    const setup = useVariation({ zeroValues: true, sessionUrl: false, ...extra });

    it('created, left waiting while nobody pays, then authorized and captured', async () => {
      const { dintero, gateway } = setup;
      const order = await create(gateway);
      expect(order).toMatchObject({ status: 'CREATED', creation: { status: 'STOPPED', stopAction: { type: 'REDIRECT' } } });
      expect(order.providerOrderId).toMatch(/^[0-9A-F]{9}$/);
      await sleep(600); // poller turns over a session without a transaction
      expect((await read(gateway, order.id)).status).toBe('CREATED');
      const transactionId = await dintero.pay(dintero.latestSessionId());
      await reaches(gateway, order.id, 'AUTHORIZED');
      const captured = await apply(gateway, order.id, [{ type: 'CAPTURE' }]);
      expect(captured.data?.applyOrderEvents[0]).toMatchObject({ status: 'CAPTURED' });
      expect(dintero.operationsOn(transactionId).capture).toBe(1);
    });

    // Expiry is found by the poller's re-read (with callbacks its interval here is a minute).
    it.skipIf(!('callback' in extra))('an unpaid session past its expiry (`"transaction_id": ""`): EXPIRED', async () => {
      const { dintero, gateway } = setup;
      dintero.options.sessionExpiry = { offsetMs: -20 * 60_000, format: 'iso' };
      try {
        const order = await create(gateway);
        await reaches(gateway, order.id, 'EXPIRED');
      } finally {
        delete dintero.options.sessionExpiry;
      }
    });
  });

  describe('a long order (150 lines, one of 0.01, names in many scripts) against a strict server', () => {
    const setup = useVariation({ strictLineIds: true, transaction: 'minimal', stringNumbers: true });

    it('created with every line, authorized, captured in parts, refunded: each moved once, marks with number line ids', async () => {
      const { dintero, gateway } = setup;
      const names = ['Stablestol', 'Æøå blåbærsyltetøy', '椅子', 'كرسي', '🪑 chair', 'x'.repeat(256)];
      const items = Array.from({ length: 150 }, (_, index) => ({
        lineId: `line-${index}`,
        name: names[index % names.length],
        quantity: 1,
        amount: index === 7 ? '0.01' : '1.00',
        ...(index % 2 ? { taxRate: 25 } : {}),
      }));
      const order = await create(gateway, { items });
      expect(order.total.amount).toBe('149.01');
      const session = dintero.received.find((request) => request.path === '/v1/sessions-profile' && request.status! < 300)!;
      expect(session.body.order.items).toHaveLength(150);
      const transactionId = await dintero.pay(dintero.latestSessionId());
      await reaches(gateway, order.id, 'AUTHORIZED');
      for (const [event, status] of [
        [{ type: 'CAPTURE', amount: '49.50' }, 'PARTIALLY_CAPTURED'],
        [{ type: 'CAPTURE' }, 'CAPTURED'],
        [{ type: 'REFUND', amount: '0.01' }, 'PARTIALLY_REFUNDED'],
        [{ type: 'REFUND' }, 'REFUNDED'],
      ] as const) {
        const answer = await apply(gateway, order.id, [event]);
        expect(answer.errors).toBeUndefined();
        expect(answer.data!.applyOrderEvents[0]).toMatchObject({ status });
      }
      expect(dintero.operationsOn(transactionId)).toEqual({ capture: 2, refund: 2, void: 0 });
      expect(dintero.transactionOf(dintero.latestSessionId())).toMatchObject({ captured: 14901, refunded: 14901 });
      await eventually(async () => marks(dintero, 'captures').length === 2 && marks(dintero, 'refunds').length === 2);
      for (const mark of [...marks(dintero, 'captures'), ...marks(dintero, 'refunds')]) {
        const sum = (mark.body.items as { amount: number }[]).reduce((total, item) => total + item.amount, 0);
        expect(sum).toBeGreaterThan(0);
      }
    });
  });

  describe('a server that checks what the gateway sends (content type, lines of the order and the session, items adding up)', () => {
    const setup = useVariation({ strictRequests: true, strictLineIds: true, checkAudience: true });

    it('nothing the gateway sends through a whole life is refused', async () => {
      const { dintero, gateway } = setup;
      const { order, transactionId } = await authorized(setup);
      for (const [event, status] of [
        [{ type: 'CAPTURE', amount: '100.00' }, 'PARTIALLY_CAPTURED'],
        [{ type: 'CAPTURE', amount: '300.00' }, 'PARTIALLY_CAPTURED'],
        [{ type: 'CAPTURE' }, 'CAPTURED'],
        [{ type: 'REFUND', amount: '98.00' }, 'PARTIALLY_REFUNDED'],
        [{ type: 'REFUND', items: [{ lineId: 'shipping', amount: '100.00' }] }, 'PARTIALLY_REFUNDED'],
        [{ type: 'REFUND' }, 'REFUNDED'],
      ] as const) {
        const answer = await apply(gateway, order.id, [event]);
        expect(answer.errors).toBeUndefined();
        expect(answer.data!.applyOrderEvents[0]).toMatchObject({ status });
      }
      expect(dintero.operationsOn(transactionId)).toEqual({ capture: 3, refund: 3, void: 0 });
      await eventually(async () => marks(dintero, 'captures').length === 3 && marks(dintero, 'refunds').length === 3);
      expect(dintero.received.filter((request) => request.status! >= 400)).toEqual([]);

      const { order: voided } = await authorized(setup);
      expect((await apply(gateway, voided.id, [{ type: 'CANCEL' }])).data!.applyOrderEvents[0]).toMatchObject({ status: 'CANCELLED' });
      await eventually(async () => marks(dintero, 'cancel').length === 1);
      expect(dintero.received.filter((request) => request.status! >= 400)).toEqual([]);
    });
  });

  /**
   * The seed has one transaction per callback but never says a session takes one attempt only: a
   * card declined, the buyer tries again on the same page and is authorized. The first callback made
   * the order FAILED, which is final (CONTRACT: a final status is final), so the order can take the
   * authorization no more than a CANCEL (INVALID_STATE). Before, the buyer's money stayed reserved
   * at Dintero with nothing the gateway offered to release it; now the adapter voids it once seen.
   */
  describe('a buyer declined, who pays in the same session on a second try (two transactions, one session)', () => {
    const setup = useVariation({}, { reconcileIntervalMs: 200 });

    it('the order stays FAILED, and the late authorization is voided at Dintero once, shown on the order', async () => {
      const { dintero, gateway } = setup;
      const order = await create(gateway);
      const sessionId = dintero.latestSessionId();
      await dintero.pay(sessionId, 'decline');
      await reaches(gateway, order.id, 'FAILED');
      const transactionId = await dintero.pay(sessionId);
      await sleep(2_500); // past the callback throttle; Dintero calls back again
      expect(await dinteroCallback(gateway.url, { transaction_id: transactionId, session_id: sessionId })).toBe(200);
      await eventually(async () => dintero.transactionOf(sessionId)?.status === 'AUTHORIZATION_VOIDED');
      const after = await eventually(async () => {
        const read_ = await read(gateway, order.id);
        return read_.payments.some((payment) => payment.id === transactionId && payment.status === 'VOIDED') && read_;
      });
      expect(after.status).toBe('FAILED');
      expect(after.creation.infos.map((info) => info.code)).toContain('dintero.late_authorization_voided');
      await sleep(800); // further poller turns change nothing
      expect(dintero.operationsOn(transactionId)).toEqual({ capture: 0, refund: 0, void: 1 });
      expect((await read(gateway, order.id)).status).toBe('FAILED');
    });
  });

  /**
   * Found in round two (then it.fails), fixed in round three (dintero-independent-3.test.ts): with
   * `{id, status}` transactions the callback of the second try cannot name its order by itself,
   * and the order, FAILED, was not re-read (nothing said it still waited), so the late
   * authorization was never seen nor voided. Now the order's session is watched for a while.
   */
  describe('declined then paid in the same session, with bare {id, status} transactions', () => {
    const setup = useVariation({ transaction: 'minimal' }, { reconcileIntervalMs: 200 });

    it('the late authorization is voided', async () => {
      const { dintero, gateway } = setup;
      const order = await create(gateway);
      const sessionId = dintero.latestSessionId();
      await dintero.pay(sessionId, 'decline');
      await reaches(gateway, order.id, 'FAILED');
      const transactionId = await dintero.pay(sessionId);
      await sleep(2_500);
      await dinteroCallback(gateway.url, { transaction_id: transactionId, session_id: sessionId });
      await eventually(async () => dintero.operationsOn(transactionId).void === 1, 3_000);
    });
  });

  describe('a buyer who pays after the order EXPIRED, against a Dintero that voids later (202)', () => {
    const setup = useVariation({ sessionExpiry: { offsetMs: -20 * 60_000, format: 'iso' }, settleAfterMs: 300 }, { reconcileIntervalMs: 200 });

    it('the order stays EXPIRED and the authorization is voided once, though Dintero shows it voided only later', async () => {
      const { dintero, gateway } = setup;
      const order = await create(gateway);
      await reaches(gateway, order.id, 'EXPIRED');
      const sessionId = dintero.latestSessionId();
      const transactionId = await dintero.pay(sessionId);
      await eventually(async () => dintero.transactionOf(sessionId)?.status === 'AUTHORIZATION_VOIDED');
      await sleep(1_000); // poller turns while and after Dintero carries the void out
      expect(dintero.operationsOn(transactionId)).toEqual({ capture: 0, refund: 0, void: 1 });
      expect(await read(gateway, order.id)).toMatchObject({ status: 'EXPIRED', payments: [{ id: transactionId, status: 'VOIDED' }] });
    });
  });

  /**
   * No seed shows a session read or a timestamp. Dintero's `expires_at` may come with `Z`, with an
   * offset, without a zone (its clock is UTC), with more fractions than JavaScript keeps, or as epoch
   * seconds; the gateway here runs with its clock in Asia/Tokyo (UTC+9), where `Date.parse` would read
   * a zone-less time nine hours early.
   */
  describe.each([['iso'], ['no-zone'], ['fractions-no-zone'], ['offset'], ['epoch-s']] as const)('a session expiry written as %s, the gateway in Asia/Tokyo', (format) => {
    let dintero: IndependentDintero;
    let gateway: Gateway;
    const zone = process.env['TZ'];
    beforeAll(async () => {
      process.env['TZ'] = 'Asia/Tokyo';
      ({ dintero, gateway } = await setUp({ callback: NO_CALLBACK, sessionExpiry: { offsetMs: 2 * 3600_000, format } }));
    });
    afterAll(async () => {
      if (zone === undefined) delete process.env['TZ'];
      else process.env['TZ'] = zone;
      await dintero?.close();
    });

    it('a session that expires in two hours keeps its order waiting for the buyer, who can still pay', async () => {
      expect(new Date(2026, 0, 1).getTimezoneOffset()).toBe(-540);
      const order = await create(gateway);
      await sleep(800); // several poller turns
      expect((await read(gateway, order.id)).status).toBe('CREATED');
      await dintero.pay(dintero.latestSessionId());
      await reaches(gateway, order.id, 'AUTHORIZED');
    });

    it('a session that expired twenty minutes ago (past the grace): EXPIRED', async () => {
      dintero.options.sessionExpiry = { offsetMs: -20 * 60_000, format };
      const order = await create(gateway);
      await reaches(gateway, order.id, 'EXPIRED');
    });
  });
});
