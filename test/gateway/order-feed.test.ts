import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/app.js';
import { PROVIDERS, type Order, type Provider } from '../../src/domain/order.js';
import type { OrderStatus } from '../../src/domain/status.js';
import { startTestEnvironment, tokenFor, type TestEnvironment } from '../support/gateway.js';
import { gqlOk, subscribe } from '../support/graphql.js';
import { makeOrder, withEvent } from '../support/orders.js';
import { readSse } from '../support/sse.js';

/*
 * A back office on the order index and the resumable feed (CONTRACT §2 "Resumable feeds",
 * OrderFilter), over real HTTP, WebSockets and Redis, on two gateway instances sharing it.
 * Orders are put straight into the shared store (any provider, any createdAt), as the gateway
 * would after a creation or an adoption: what is under test is the index and the feed.
 */

const LIST = `query List($filter: OrderFilter!, $first: Int, $after: String) {
  orders(filter: $filter, first: $first, after: $after) { nodes { id provider status reference } pageInfo { hasNextPage endCursor } }
}`;
const UPDATES = `subscription Updates($provider: Provider, $after: String) {
  orderUpdates(provider: $provider, after: $after) { cursor eventId status order { id } }
}`;
const WATCH = `subscription Watch($orderId: ID!, $after: String) { orderStatusChanged(orderId: $orderId, after: $after) { eventId status } }`;

interface Update {
  orderUpdates: { cursor: string; eventId: string; status: OrderStatus; order: { id: string } };
}

describe('order index and resumable feeds (redis, two instances)', () => {
  let env: TestEnvironment;
  let a: Gateway;
  let b: Gateway;
  let backOffice: string;

  beforeAll(async () => {
    env = await startTestEnvironment('redis');
    [a, b] = await Promise.all([env.startGateway({}, { pollerDisabled: true }), env.startGateway({}, { pollerDisabled: true })]);
    backOffice = await tokenFor('orders:read orders:manage', 'back-office');
  });
  afterAll(() => env?.close());

  const put = (gateway: Gateway, overrides: Partial<Order>) => gateway.store.orders.create(makeOrder({ owner: null, ...overrides }));
  const move = (gateway: Gateway, order: Order, status: OrderStatus) => gateway.store.orders.update(order.id, (current) => withEvent(current, status));
  const list = async (url: string, filter: Record<string, unknown>, first?: number, after?: string | null) =>
    (await gqlOk(url, LIST, { filter, ...(first ? { first } : {}), ...(after ? { after } : {}) }, backOffice)).orders as {
      nodes: { id: string; provider: Provider; status: OrderStatus; reference: string }[];
      pageInfo: { hasNextPage: boolean; endCursor: string | null };
    };

  it("lists every provider's orders from the gateway's own index, alone and across providers", async () => {
    const reference = `bo-${randomUUID()}`;
    const made = new Map<Provider, Order>();
    for (const provider of PROVIDERS) made.set(provider, await put(a, { provider, reference }));
    await move(a, made.get('PAYWAY')!, 'CAPTURED');

    const across = await list(b.url, { reference });
    expect(across.nodes.map((node) => node.provider).sort()).toEqual([...PROVIDERS].sort());
    for (const provider of PROVIDERS) {
      const alone = await list(b.url, { provider, reference });
      expect(alone.nodes.map((node) => node.id)).toEqual([made.get(provider)!.id]);
    }
    // Dintero and Payway, which cannot list their orders upstream, are answered too.
    expect((await list(a.url, { provider: 'PAYWAY', status: 'CAPTURED', reference })).nodes.map((node) => node.id)).toEqual([made.get('PAYWAY')!.id]);
    expect((await list(a.url, { provider: 'DINTERO', status: 'CAPTURED', reference })).nodes).toEqual([]);
  });

  it('pages newest first with cursors that stay put while orders arrive', async () => {
    const reference = `pages-${randomUUID()}`;
    const base = Date.UTC(2026, 10, 20, 9, 0);
    const made: Order[] = [];
    for (let minute = 0; minute < 5; minute++) made.push(await put(a, { reference, createdAt: new Date(base + minute * 60_000).toISOString() }));

    const seen: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 10; page++) {
      const answer = await list(page % 2 ? a.url : b.url, { reference }, 2, after);
      seen.push(...answer.nodes.map((node) => node.id));
      // Orders arrive between pages: one newer than all, one at the very time of the page's last.
      const last = made.find((order) => order.id === answer.nodes.at(-1)?.id);
      await put(b, { reference, createdAt: new Date(base + 3_600_000).toISOString() });
      if (last) await put(b, { reference, createdAt: last.createdAt });
      if (!answer.pageInfo.hasNextPage) break;
      after = answer.pageInfo.endCursor;
    }
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.filter((id) => made.some((order) => order.id === id))).toEqual(made.map((order) => order.id).reverse());
  });

  it('orderUpdates(after) resumes after a disconnect, on the other instance and after a restart, with nothing lost or doubled', async () => {
    const order = await put(a, { provider: 'PEI' });
    // From the feed's newest cursor: the change below arrives whenever the socket gets going.
    const first = subscribe<Update>(a.url, backOffice, UPDATES, { provider: 'PEI', after: (await a.store.feed.head())! });
    await move(a, order, 'ACTION_REQUIRED');
    const seen = await first.waitFor((message) => message.orderUpdates.order.id === order.id);
    await first.dispose();

    // While nobody listens: two changes of this order, one of another provider's.
    await move(b, order, 'AUTHORIZED');
    await put(b, { provider: 'INTERGIRO' });
    await move(a, order, 'CAPTURED');
    const missed = [['3', 'AUTHORIZED'], ['4', 'CAPTURED']];

    const resumeOn = async (gateway: Gateway) => {
      const again = subscribe<Update>(gateway.url, backOffice, UPDATES, { provider: 'PEI', after: seen.orderUpdates.cursor });
      const replayed = [await again.next(), await again.next()];
      expect(replayed.map((message) => [message.orderUpdates.eventId, message.orderUpdates.status])).toEqual(missed);
      return { again, replayed };
    };
    const onB = await resumeOn(b);
    // Then live: the next change once, after the replayed ones.
    await move(a, order, 'PARTIALLY_REFUNDED');
    expect((await onB.again.next()).orderUpdates).toMatchObject({ eventId: '5', status: 'PARTIALLY_REFUNDED' });
    await onB.again.dispose();
    expect(onB.again.messages).toHaveLength(3);

    // A gateway restarted on the same Redis replays the same from the same cursor.
    await a.close();
    a = await env.startGateway({}, { pollerDisabled: true });
    const onNew = await resumeOn(a);
    expect(onNew.replayed.map((message) => message.orderUpdates.cursor)).toEqual(onB.replayed.map((message) => message.orderUpdates.cursor));
    expect((await onNew.again.next()).orderUpdates).toMatchObject({ eventId: '5' });
    await onNew.again.dispose();
  });

  it("orderStatusChanged's snapshot carries the feed position it reflects: orderUpdates after it sends every later change and none the snapshot showed", async () => {
    const order = await put(a, { provider: 'INTERSHOP' });
    await move(a, order, 'AUTHORIZED');
    const watch = subscribe<{ orderStatusChanged: { eventId: string; status: OrderStatus; previousStatus: OrderStatus | null; cursor: string } }>(
      b.url, backOffice, `subscription Watch($orderId: ID!) { orderStatusChanged(orderId: $orderId) { eventId status previousStatus cursor } }`, { orderId: order.id },
    );
    const snapshot = (await watch.next()).orderStatusChanged;
    await watch.dispose();
    expect(snapshot).toMatchObject({ eventId: '2', status: 'AUTHORIZED', previousStatus: null });
    expect(snapshot.cursor).toMatch(/^\d+-\d+$/);

    // The listener kept that cursor; meanwhile the order moved on (through the other instance).
    await move(b, order, 'CAPTURED');
    const resumed = subscribe<Update>(a.url, backOffice, UPDATES, { provider: 'INTERSHOP', after: snapshot.cursor });
    expect((await resumed.next()).orderUpdates).toMatchObject({ eventId: '3', status: 'CAPTURED', order: { id: order.id } });
    await move(a, order, 'REFUNDED');
    expect((await resumed.next()).orderUpdates).toMatchObject({ eventId: '4', status: 'REFUNDED' });
    await resumed.dispose();
    expect(resumed.messages.map((message) => message.orderUpdates.eventId)).toEqual(['3', '4']);
  });

  it('SSE events carry id: lines; a reconnect with Last-Event-ID resumes with no snapshot and no gap', async () => {
    const order = await put(a, { provider: 'DINTERO' });
    const ids = (text: string) => [...text.matchAll(/^id: (.+)$/gm)].map((match) => match[1]!);
    const events = (text: string) => [...text.matchAll(/^data: (\{.*\})$/gm)].map((match) => JSON.parse(match[1]!) as { data: Update });

    const firstText = await readSse(a.url, UPDATES, { provider: 'DINTERO' }, backOffice, {
      whenOpen: () => move(b, order, 'ACTION_REQUIRED'),
      until: (text) => ids(text).length >= 1,
    });
    const [lastId] = ids(firstText);
    expect(lastId).toBe(events(firstText)[0]!.data.orderUpdates.cursor);

    // The connection dropped; meanwhile the buyer paid and the merchant captured.
    await move(b, order, 'AUTHORIZED');
    await move(a, order, 'CAPTURED');
    const resumed = await readSse(b.url, UPDATES, { provider: 'DINTERO' }, backOffice, { headers: { 'Last-Event-ID': lastId! }, until: (text) => ids(text).length >= 2 });
    expect(events(resumed).map((event) => event.data.orderUpdates.status)).toEqual(['AUTHORIZED', 'CAPTURED']);
    expect(ids(resumed)).toEqual(events(resumed).map((event) => event.data.orderUpdates.cursor));

    // orderStatusChanged: the id is the eventId, and Last-Event-ID resumes it the same way (no snapshot).
    await move(a, order, 'PARTIALLY_REFUNDED');
    const watched = await readSse(a.url, WATCH, { orderId: order.id }, backOffice, { headers: { 'Last-Event-ID': '2' }, until: (text) => ids(text).length >= 3 });
    expect(ids(watched)).toEqual(['3', '4', '5']);
  });

  it('a resume point older than the kept feed is HISTORY_EXPIRED, never a silent gap', async () => {
    const shortLived = await env.startGateway({}, { pollerDisabled: true, feedRetentionMs: 200 });
    const order = await put(shortLived, { provider: 'INTERSHOP' });
    const cursor = (await shortLived.store.feed.head())!;
    await new Promise((resolve) => setTimeout(resolve, 300)); // the retention passes
    await move(shortLived, order, 'PENDING');

    const late = subscribe<Update>(shortLived.url, backOffice, UPDATES, { after: cursor });
    await expect(late.done).rejects.toBeDefined();
    expect(JSON.stringify(late.errors)).toContain('HISTORY_EXPIRED');
    // Over HTTP (SSE) the same.
    const text = await readSse(shortLived.url, UPDATES, {}, backOffice, { headers: { 'Last-Event-ID': cursor } });
    expect(text).toContain('HISTORY_EXPIRED');
    // Not a cursor at all: BAD_USER_INPUT.
    const bad = subscribe<Update>(shortLived.url, backOffice, UPDATES, { after: 'yesterday' });
    await expect(bad.done).rejects.toBeDefined();
    expect(JSON.stringify(bad.errors)).toContain('BAD_USER_INPUT');
  });
});
