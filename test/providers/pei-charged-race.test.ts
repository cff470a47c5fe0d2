/**
 * What Pei charged, when its read of the paid order and its postback saying what it charged reach
 * the gateway in either order (round twelve's Pei, test/providers/pei-independent-12.test.ts: its
 * reads keep the Amount as submitted, 2000 kr. for the default selection, and its postback to the
 * URL the gateway signed posts what it charged as `amount`). Round twelve's test once showed the
 * order CAPTURED for 2000 while Pei charged 2500, under load, and passed alone: the poller (or an
 * `order(id)` read-through) had read the paid order before the postback came.
 * Found and fixed:
 *   - the postback's fact had the read's key (`pei:<id>:confirmed:<purchase>`), so once a read had
 *     recorded the confirmation it was taken for a repeat and dropped: the order stayed CAPTURED
 *     for the Amount submitted, less than Pei charged (2500) or more (1500), and no subscriber
 *     heard the figure. Now a postback stating another charge than the read is a fact of its own
 *     (src/providers/pei/webhook.ts chargedAs, mapping.ts confirmedKeysOf), which restates the
 *     captured amount (src/domain/observation.ts `restatesCaptured`: captured amounts only grew,
 *     so 2000 could never become 1500) and covers the read's keys (`covers`), so a read answered
 *     before the postback's note and recorded after it is a repeat, not a raise back to 2000;
 *   - a figure no choice among the order's lines adds up to is not taken (webhook.ts choosable,
 *     charged-choice.ts choosableTotals); before, only one above the dearest choice was refused,
 *     so a leaked URL's postback claiming 1 kr. before the poller's read made a paid order show
 *     1 kr. captured for good (the read a repeat of it), and now one after the read would lower it.
 * Left: between the read and the postback (milliseconds, where Pei posts back at once) the order
 * shows CAPTURED for the Amount submitted, which may be more than Pei charged: nothing in such a
 * read tells the Amount submitted from the charge (round seven's Pei shows the charge there).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/app.js';
import { CREATE_ORDER, WATCH_ORDER, type OrderView } from '../support/documents.js';
import { gqlOk, subscribe } from '../support/graphql.js';
import { type IndependentPei } from '../support/independent/pei-server.js';
import { independentPeiHarness } from '../support/independent/pei-harness.js';
import { startRecordingProxy, type RecordingProxy } from '../support/recording-proxy.js';
import { captured } from '../support/captured.js';
import { sleep } from '../support/test-time.js';


/** Round seven's choice: one vehicle of a group (the Helicopter by default) and an optional Parachute (ticked by default): 2000 kr. as submitted. */
const CHOICE_ITEMS = [
  { name: 'Helicopter', amount: '1500', group: 'Flying vehicles', selected: true },
  { name: 'Glider', amount: '2000', group: 'Flying vehicles' },
  { name: 'Parachute', amount: '500', optional: true, selected: true },
];

describe('Pei: what it charged, whichever of its read and its postback comes first', () => {
  const harness = independentPeiHarness('-cr');
  const { gatewayFor, readAt, untilAt, oneOff } = harness;
  let pei: IndependentPei;
  let shop: string;
  beforeAll(() => ({ pei, shop } = harness.parts));

  describe('a Pei whose reads keep the Amount as submitted, its postback (with `amount`) held until the gateway has read the paid order', () => {
    let gateway: Gateway;
    beforeAll(async () => {
      gateway = await gatewayFor({ readAmount: 'submitted', postbackAmount: 'charged' });
    });
    afterAll(() => gateway?.close());

    // FINDING, fixed: the postback was taken for a repeat of the read (the same key), and the
    // order stayed CAPTURED for 2000 kr.: less than the 2500 Pei charged, more than its 1500.
    it.each([
      [['Glider', 'Parachute'], 2500],
      [['Helicopter'], 1500],
    ] as const)('the buyer choosing %j: CAPTURED for the Amount submitted at the read, then for what Pei charged (%i kr.), subscribers told', async (chosen, charge) => {
      const order = (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: oneOff({ items: CHOICE_ITEMS }) }, shop)).createOrder;
      const watch = subscribe(gateway.url, shop, WATCH_ORDER, { orderId: order.id });
      try {
        let atRead: OrderView | undefined;
        const delivery = await pei.confirm(order.providerOrderId!, [...chosen], async () => {
          atRead = await untilAt(gateway, order.id, 'CAPTURED');
        });
        // The read came first, and could only show the Amount as submitted.
        expect(captured(atRead!)).toBe(2000);
        expect(delivery?.status).toBe(200);
        expect(pei.orders.get(order.providerOrderId!)!.charged).toBe(charge);
        const corrected = await watch.waitFor((message) => captured(message.orderStatusChanged.order) === charge, 4000);
        expect(corrected.orderStatusChanged.status).toBe('CAPTURED');
        expect(corrected.orderStatusChanged.source).toBe('WEBHOOK');
        await sleep(400);
        const later = await readAt(gateway, order.id);
        expect(later.status).toBe('CAPTURED');
        expect(captured(later)).toBe(charge);
        expect(later.payments.map((payment) => Number(payment.amount.amount))).toEqual([charge]);
      } finally {
        await watch.dispose();
      }
    });
  });

  describe('the same Pei behind a proxy: a read of the paid order answered to the gateway only after the postback was taken', () => {
    let gateway: Gateway;
    let proxy: RecordingProxy;
    beforeAll(async () => {
      proxy = await startRecordingProxy(harness.parts.pei.url);
      const { pei: p } = harness.parts;
      gateway = await gatewayFor(
        { readAmount: 'submitted', postbackAmount: 'charged' },
        { pei: { url: proxy.url, tokenUrl: p.tokenUrl, clientId: p.clientId, clientSecret: p.clientSecret, merchantId: p.merchantId, checkoutUrl: p.checkoutUrl } },
      );
    });
    afterAll(async () => {
      await gateway?.close();
      await proxy?.close();
    });

    // With the postback a fact of its own, the read it overtook (its key unseen) would raise
    // the captured amount back to the Amount submitted: the postback covers the read's keys.
    it.each([
      [['Helicopter'], 1500],
      [['Glider', 'Parachute'], 2500],
    ] as const)('the buyer choosing %j: CAPTURED for what Pei charged (%i kr.), the late read changing nothing', async (chosen, charge) => {
      const order = (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: oneOff({ items: CHOICE_ITEMS }) }, shop)).createOrder;
      const path = `/api/orders/${order.providerOrderId!}`;
      let held = false;
      let readHeld!: () => void;
      const readUnderWay = new Promise<void>((resolve) => (readHeld = resolve));
      let release!: () => void;
      const postbackTaken = new Promise<void>((resolve) => (release = resolve));
      proxy.beforeAnswer = async (request, answer) => {
        if (held || request.method !== 'GET' || request.path.split('?')[0] !== path) return;
        const body = JSON.parse(answer.body) as { purchaseId?: unknown };
        if (body.purchaseId == null) return;
        held = true;
        readHeld();
        await postbackTaken;
      };
      try {
        const delivery = await pei.confirm(order.providerOrderId!, [...chosen], () => readUnderWay);
        expect(delivery?.status).toBe(200);
        expect(captured(await untilAt(gateway, order.id, 'CAPTURED'))).toBe(charge);
      } finally {
        release();
        proxy.beforeAnswer = null;
      }
      await sleep(400);
      const later = await readAt(gateway, order.id);
      expect(later.status).toBe('CAPTURED');
      expect(captured(later)).toBe(charge);
      expect(later.payments.map((payment) => Number(payment.amount.amount))).toEqual([charge]);
    });
  });

  describe('a Pei whose reads keep the Amount as submitted, sending no postback of its own: one posted to the leaked URL after the read', () => {
    let gateway: Gateway;
    beforeAll(async () => {
      gateway = await gatewayFor({ readAmount: 'submitted', postbackAmount: 'charged', sendPostback: false });
    });
    afterAll(() => gateway?.close());

    // A postback's figure may now lower what the order shows: one that no choice among the
    // order's lines adds up to is no charge of Pei's (the buyer keeps the default selection here).
    // Posted at once, it comes before the poller's read (or with it): the order ends the same.
    it.each([
      [1, 'after the read'],
      [1999, 'after the read'],
      [1, 'at once'],
      [1999, 'at once'],
    ] as const)('saying %i kr. were charged (no total a choice makes), %s: CAPTURED for the Amount the reads show', async (figure, when) => {
      const order = (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: oneOff({ items: CHOICE_ITEMS }) }, shop)).createOrder;
      await pei.confirm(order.providerOrderId!);
      if (when === 'after the read') expect(captured(await untilAt(gateway, order.id, 'CAPTURED'))).toBe(2000);
      const made = pei.orders.get(order.providerOrderId!)!;
      const posted = await fetch(made.postbackUrl!, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ orderId: made.orderId, purchaseId: made.purchaseId, amount: figure }),
      });
      expect(posted.status).toBe(200);
      await sleep(400);
      expect(captured(await readAt(gateway, order.id))).toBe(2000);
    });
  });
});
