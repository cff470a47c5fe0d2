import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/app.js';
import { DEFAULT_PERFORMANCE } from '../../src/config.js';
import { APPLY_EVENTS, CREATE_ORDER, type OrderView } from '../support/documents.js';
import { STORE_KINDS, eventually, startTestEnvironment, tokenFor, type TestEnvironment } from '../support/gateway.js';
import { gqlOk } from '../support/graphql.js';
import { buyerUsesLink } from '../support/intergiro.js';
import { openRawSocket, type RawSocket } from '../support/ws-raw.js';

/** Two documents with different selections, and one whose output depends on its variables and operation. */
const STATUS = 'subscription S($orderId: ID!) { orderStatusChanged(orderId: $orderId) { eventId previousStatus status source final at cursor } }';
const DETAIL = 'subscription D($orderId: ID!) { orderStatusChanged(orderId: $orderId) { eventId status order { id status payments { status capturedAmount { amount } } } } }';
const SWITCHED = `
  subscription Short($orderId: ID!, $full: Boolean!) { orderStatusChanged(orderId: $orderId) { eventId status order @include(if: $full) { status } } }
  subscription Long($orderId: ID!) { orderStatusChanged(orderId: $orderId) { eventId status final order { id providerStatus } } }
`;

/** One subscription: where it is, what it sends, and the frames it must receive. */
interface Watcher {
  socket: RawSocket;
  id: string;
  payload: Record<string, unknown>;
}

const linkOrder = {
  provider: 'INTERGIRO',
  currency: 'EUR',
  amount: '40.00',
  intergiro: { paymentType: 'LINK' },
  returnUrls: { success: 'https://shop.example/thanks' },
};

/**
 * This socket's frames for one subscription id, with the id taken out so two sockets' can be
 * compared; in the snapshot (the first frame, not pushed) also the feed position, which is the
 * feed's head at the moment each subscriber's snapshot was read.
 */
const framesOf = (watcher: Watcher): string[] =>
  watcher.socket.frames
    .filter((frame) => (JSON.parse(frame) as { id?: string }).id === watcher.id)
    .map((frame) => frame.replace(`"id":${JSON.stringify(watcher.id)}`, '"id":"_"'))
    .map((frame, index) => (index === 0 ? frame.replace(/"cursor":"[^"]*"/, '"cursor":"_"') : frame));

/**
 * graphql-ws subscribers of one order with the same document, operation and variables share one
 * execution and one serialised `next` payload per live change (src/server/shared-push.ts). Each
 * still gets exactly the frames an unshared subscription gets (a second gateway on the same
 * store with SUBSCRIPTION_PUSH off), byte for byte: its own id, its own document's answer, its own
 * snapshot, nothing after it leaves, nothing for a caller who may not see the order.
 */
describe.each(STORE_KINDS)('subscribers sharing one execution per change (%s store)', (kind) => {
  let env: TestEnvironment;
  let pushing: Gateway;
  let plain: Gateway;
  let shop: string;
  let otherShop: string;
  let backOffice: string;
  const sockets: RawSocket[] = [];

  beforeAll(async () => {
    env = await startTestEnvironment(kind);
    // A slow poller, so the changes come from the callback and the events applied below only.
    pushing = await env.startGateway({ reconcileIntervalMs: 60_000 });
    plain = await env.startGateway({ reconcileIntervalMs: 60_000, performance: { ...DEFAULT_PERFORMANCE, subscriptionPush: false } });
    shop = await tokenFor('orders:create', 'shop-sharing');
    otherShop = await tokenFor('orders:create', 'shop-elsewhere');
    backOffice = await tokenFor('orders:read orders:manage', 'back-office');
  });
  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await env.close();
  });

  const socketOn = async (gateway: Gateway, token: string): Promise<RawSocket> => {
    const socket = openRawSocket(gateway.url, token);
    sockets.push(socket);
    await socket.acked;
    return socket;
  };
  const start = (socket: RawSocket, id: string, payload: Record<string, unknown>): Watcher => {
    socket.send({ type: 'subscribe', id, payload });
    return { socket, id, payload };
  };
  /** Waits until this subscription has had the `next` message of event `eventId`. */
  const nextWithEvent = (watcher: Watcher, eventId: string): Promise<boolean> =>
    eventually(async () =>
      watcher.socket.messages.some((message) => message.id === watcher.id && message.type === 'next' && JSON.stringify(message.payload).includes(`"eventId":"${eventId}"`)),
    );

  it('each subscriber gets exactly its own messages, the same bytes as an unshared one; one leaving stops no other', async () => {
    const order: OrderView = (await gqlOk(pushing.url, CREATE_ORDER, { input: linkOrder }, shop)).createOrder;
    const status = { query: STATUS, variables: { orderId: order.id } };
    const detail = { query: DETAIL, variables: { orderId: order.id } };
    const short = { query: SWITCHED, operationName: 'Short', variables: { orderId: order.id, full: false } };
    const shortFull = { query: SWITCHED, operationName: 'Short', variables: { orderId: order.id, full: true } };
    const long = { query: SWITCHED, operationName: 'Long', variables: { orderId: order.id } };

    // On the pushing gateway: the same document twice on one socket, on two sockets of two callers
    // who may both see the order, a different document, the same document with other variables
    // or another operation, one that will leave, and a caller who may not see the order.
    const shopSocket = await socketOn(pushing, shop);
    const backOfficeSocket = await socketOn(pushing, backOffice);
    const sharing = [
      start(shopSocket, 's1', status),
      start(shopSocket, 's2', status),
      start(backOfficeSocket, 's1', status),
      start(shopSocket, 'd', detail),
      start(backOfficeSocket, 'short', short),
      start(shopSocket, 'short-full', shortFull),
      start(backOfficeSocket, 'long', long),
    ];
    const leaving = start(await socketOn(pushing, shop), 'leaving', status);
    const leavingReference = start(await socketOn(plain, shop), 'leaving', status);
    const stranger = start(await socketOn(pushing, otherShop), 'stranger', status);
    // The same subscriptions, unshared, on a gateway with SUBSCRIPTION_PUSH off.
    const referenceSocket = await socketOn(plain, shop);
    const reference = new Map<Record<string, unknown>, Watcher>(
      [status, detail, short, shortFull, long].map((payload, index) => [payload, start(referenceSocket, `r${index}`, payload)]),
    );

    const all = [...sharing, leaving, leavingReference, ...reference.values()];
    for (const watcher of all) await nextWithEvent(watcher, '1'); // snapshots
    await buyerUsesLink(order.creation.stopAction!.redirectUrl!, 'pay'); // event 2, AUTHORIZED, by Intergiro's callback
    for (const watcher of all) await nextWithEvent(watcher, '2');

    // A client ends one subscription; its pong says the server has read that before the next change.
    for (const { socket } of [leaving, leavingReference]) {
      socket.send({ type: 'complete', id: 'leaving' });
      socket.send({ type: 'ping' });
    }
    await eventually(async () => [leaving, leavingReference].every(({ socket }) => socket.messages.some((message) => message.type === 'pong')));
    await gqlOk(pushing.url, APPLY_EVENTS, { input: [{ orderId: order.id, events: [{ type: 'CAPTURE', amount: '40.00' }] }] }, backOffice); // 3
    await gqlOk(pushing.url, APPLY_EVENTS, { input: [{ orderId: order.id, events: [{ type: 'REFUND' }] }] }, backOffice); // 4, final
    for (const watcher of [...sharing, ...reference.values()]) await watcher.socket.waitFor(watcher.id, 'complete');

    for (const watcher of sharing) {
      const expected = framesOf(reference.get(watcher.payload)!);
      expect(expected.map((frame) => (JSON.parse(frame) as { type: string }).type)).toEqual(['next', 'next', 'next', 'next', 'complete']);
      expect(framesOf(watcher)).toEqual(expected);
    }
    // The document's answer is what tells the subscriptions apart, not only their ids.
    expect(framesOf(sharing[4]!)[1]).not.toEqual(framesOf(sharing[5]!)[1]);
    expect(framesOf(sharing[0]!)[1]).not.toEqual(framesOf(sharing[6]!)[1]);

    // The one that left got the snapshot and event 2, then nothing more (no complete: it ended it).
    expect(framesOf(leaving)).toEqual(framesOf(leavingReference));
    expect(framesOf(leaving).map((frame) => (JSON.parse(frame) as { payload?: { data?: { orderStatusChanged: { eventId: string } } } }).payload?.data?.orderStatusChanged.eventId)).toEqual(['1', '2']);
    // Another shop's order is NOT_FOUND to this caller, and nothing of it is pushed there.
    await stranger.socket.waitFor('stranger', 'complete');
    const refused = stranger.socket.messages.filter((message) => message.id === 'stranger');
    expect(JSON.stringify(refused)).toContain('NOT_FOUND');
    expect(JSON.stringify(stranger.socket.frames)).not.toContain('"eventId"');
  });
});
