/**
 * A subscriber whose TCP connection dies (no close frame) resumes with `after: <last eventId>` and
 * gets every change it missed, in order, without duplicates: on both stores, and on Redis also
 * through another gateway instance than the one it lost.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { Gateway } from '../../src/app.js';
import { APPLY_EVENTS, CREATE_ORDER, GET_ORDER, WATCH_ORDER, type StatusChangeView } from '../support/documents.js';
import { failOnEscapes } from '../support/faults.js';
import { eventually, STORE_KINDS, startTestEnvironment, tokenFor, type TestEnvironment } from '../support/gateway.js';
import { gqlOk, requestPayload } from '../support/graphql.js';

/** A bare graphql-ws subscription whose socket the test can cut like a dead network would. */
function watch(baseUrl: string, token: string, variables: { orderId: string; after?: string }) {
  const changes: StatusChangeView[] = [];
  const state = { completed: false };
  const socket = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}/graphql`, 'graphql-transport-ws');
  socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: { Authorization: `Bearer ${token}` } })));
  socket.on('message', (data) => {
    const message = JSON.parse(String(data)) as { type: string; payload?: { data?: { orderStatusChanged: StatusChangeView } } };
    if (message.type === 'connection_ack') {
      socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: requestPayload(WATCH_ORDER, variables) }));
    }
    const change = message.payload?.data?.orderStatusChanged;
    if (message.type === 'next' && change) changes.push(change);
    if (message.type === 'complete') state.completed = true;
  });
  socket.on('error', () => undefined);
  return {
    changes,
    state,
    /** Destroys the TCP socket: no close frame, the server learns it from the dead connection. */
    cut: () => socket.terminate(),
    close: () => socket.close(1000),
  };
}

failOnEscapes();

for (const kind of STORE_KINDS) {
  describe(`resuming a dropped subscription (${kind} store)`, () => {
    let env: TestEnvironment;
    let first: Gateway;
    let second: Gateway;
    let shop: string;
    let backOffice: string;

    beforeAll(async () => {
      env = await startTestEnvironment(kind);
      first = await env.startGateway();
      // On Redis a second instance shares the history; in memory the same instance again.
      second = kind === 'redis' ? await env.startGateway() : first;
      shop = await tokenFor('orders:create', 'shop-resume');
      backOffice = await tokenFor('orders:create orders:read orders:manage', 'back-office-resume');
    });
    afterAll(() => env.close());

    it(`misses nothing after the socket died, resuming on ${kind === 'redis' ? 'another' : 'the same'} instance`, async () => {
      const created = (
        await gqlOk(first.url, CREATE_ORDER, { input: { provider: 'INTERGIRO', currency: 'EUR', amount: '20.00', intergiro: { paymentType: 'LINK' } } }, shop)
      ).createOrder;
      env.intergiro.payLink(created.providerOrderId!, 'pay');
      await eventually(async () => (await gqlOk(first.url, GET_ORDER, { id: created.id }, backOffice)).order?.status === 'AUTHORIZED');

      const live = watch(first.url, backOffice, { orderId: created.id });
      await eventually(async () => live.changes.length >= 1);
      const apply = (events: Record<string, unknown>[]) => gqlOk(first.url, APPLY_EVENTS, { input: [{ orderId: created.id, events }] }, backOffice);
      await apply([{ type: 'CAPTURE' }]);
      await eventually(async () => live.changes.some((change) => change.status === 'CAPTURED'));
      const lastSeen = live.changes.at(-1)!;
      live.cut();

      // What happens while the subscriber is away.
      await apply([{ type: 'REFUND', amount: '5.00' }]);
      await apply([{ type: 'REFUND', amount: '15.00' }]);

      const resumed = watch(second.url, backOffice, { orderId: created.id, after: lastSeen.eventId });
      await eventually(async () => resumed.state.completed, 10_000);
      resumed.close();

      const missed = resumed.changes.filter((change) => change.previousStatus !== null);
      expect(missed.map((change) => change.status)).toEqual(['PARTIALLY_REFUNDED', 'REFUNDED']);
      const ids = resumed.changes.map((change) => Number(change.eventId));
      expect(ids.every((id, index) => id > Number(lastSeen.eventId) && (index === 0 || id > ids[index - 1]!))).toBe(true);
      expect(missed.at(-1)).toMatchObject({ final: true, order: { payments: [{ refundedAmount: { amount: '20.00' } }] } });

      // Exactly the order's own history after the last one seen: nothing missing, nothing twice.
      const order = (await gqlOk(first.url, GET_ORDER, { id: created.id }, backOffice)).order!;
      // (A late provider callback that would have moved the order back stays in `events` without a
      // message; every event here that moved the status was sent.)
      const statusChanges = order.events.filter(
        (event, index) => Number(event.id) > Number(lastSeen.eventId) && event.status !== order.events[index - 1]?.status,
      );
      expect(missed.map((change) => change.eventId)).toEqual(statusChanges.map((event) => event.id));
    });
  });
}
