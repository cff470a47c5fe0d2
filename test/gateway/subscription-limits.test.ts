import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/app.js';
import { MAX_OPERATIONS_PER_SOCKET } from '../../src/server/graphql-ws.js';
import { eventually, startTestEnvironment, tokenFor, type TestEnvironment } from '../support/gateway.js';
import { gqlOk } from '../support/graphql.js';
import { intergiroLinkOrder } from '../support/intergiro.js';
import { firstSseMessage } from '../support/sse.js';
import { openRawSocket, type RawSocket } from '../support/ws-raw.js';

/*
 * README "Hostile input": how many subscriptions one caller may hold open (SUBSCRIPTIONS_PER_CALLER,
 * over SSE and graphql-ws together), how many graphql-ws sockets and SSE streams
 * (SOCKETS_PER_CALLER, a small bound of its own), and how many operations one socket may have open.
 * Before, neither was bounded: one token (a browser's orders:create one too) could open
 * subscriptions until the process ran out of memory, and every refused subscribe left an entry
 * behind on its socket for the socket's life. Then sockets were bounded only as subscriptions were
 * (20,000, the process' file descriptors): one browser token held 8,910 idle sockets open.
 */

const WATCH = 'subscription($orderId: ID!) { orderStatusChanged(orderId: $orderId) { eventId status } }';

/** An SSE subscription kept open once its first event came; `close` ends it. */
async function openSse(url: string, token: string, orderId: string): Promise<{ first: string; close(): void }> {
  const controller = new AbortController();
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: WATCH, variables: { orderId } }),
    signal: controller.signal,
  });
  const reader = response.body!.getReader();
  let text = '';
  while (!/data: .*\n/.test(text)) {
    const { value, done } = await reader.read();
    if (done) break;
    text += Buffer.from(value).toString();
  }
  return { first: text, close: () => controller.abort() };
}

/** Subscribes `id` on the socket; the first answer: its snapshot (`next`) or its `error`. */
async function watch(socket: RawSocket, id: string, orderId: string): Promise<{ type: string; payload?: unknown }> {
  socket.send({ id, type: 'subscribe', payload: { query: WATCH, variables: { orderId } } });
  return Promise.race([socket.waitFor(id, 'next'), socket.waitFor(id, 'error')]);
}

/** The code of an operation's first error: an `error` message's (refused before it ran), or a `next` one's (its resolver refused). */
function codeOf(message: { payload?: unknown }): unknown {
  type Errors = { extensions?: { code?: string } }[];
  const errors = Array.isArray(message.payload) ? (message.payload as Errors) : (message.payload as { errors?: Errors } | undefined)?.errors;
  return errors?.[0]?.extensions?.code;
}

describe('bounds on open subscriptions', () => {
  let env: TestEnvironment;
  let gateway: Gateway;
  let unbounded: Gateway;
  let fewSockets: Gateway;
  let defaults: Gateway;
  let shop: string;
  let other: string;
  let orderId: string;
  const sockets: RawSocket[] = [];
  /** Whether a new socket of this caller is acknowledged (it stays open, closed after the suite). */
  const connects = (on: Gateway, token: string): Promise<boolean> => {
    const again = openRawSocket(on.url, token);
    sockets.push(again);
    return again.acked.then(() => true, () => false);
  };
  const socket = async (token: string, on: Gateway = gateway): Promise<RawSocket> => {
    const opened = openRawSocket(on.url, token);
    sockets.push(opened);
    await opened.acked;
    return opened;
  };

  beforeAll(async () => {
    env = await startTestEnvironment('memory');
    gateway = await env.startGateway({ subscriptionsPerCaller: 3, socketsPerCaller: 10 });
    unbounded = await env.startGateway({ subscriptionsPerCaller: 0 });
    fewSockets = await env.startGateway({ socketsPerCaller: 3 });
    defaults = await env.startGateway();
    shop = await tokenFor('orders:create', 'limits-shop');
    other = await tokenFor('orders:read', 'limits-back-office');
    orderId = (await gqlOk(gateway.url, 'mutation($input: CreateOrderInput!) { createOrder(input: $input) { id } }', { input: intergiroLinkOrder('4.00') }, shop)).createOrder.id;
  });
  afterAll(async () => {
    for (const opened of sockets) opened.close();
    await env.close();
  });

  it('refuses a caller its subscription over SUBSCRIPTIONS_PER_CALLER, over graphql-ws and SSE together, until one ends', async () => {
    const first = await socket(shop);
    expect(codeOf(await watch(first, 'a', orderId))).toBeUndefined();
    expect(codeOf(await watch(first, 'b', orderId))).toBeUndefined();
    // Subscriptions that never start (another's or an unknown order: NOT_FOUND) take no place.
    for (const id of ['u1', 'u2', 'u3', 'u4']) expect(codeOf(await watch(first, id, 'ord_nobody_has_this_one'))).toBe('NOT_FOUND');
    const sse = await openSse(gateway.url, shop, orderId);
    expect(sse.first).toContain('"eventId"');

    // The fourth, on another socket or over SSE: refused, and the sockets stay open.
    const second = await socket(shop);
    expect(codeOf(await watch(second, 'c', orderId))).toBe('TOO_MANY_SUBSCRIPTIONS');
    expect((await firstSseMessage(gateway.url, WATCH, { orderId }, shop)).codes).toEqual(['TOO_MANY_SUBSCRIPTIONS']);
    // Another caller is not held back by this one.
    expect(codeOf(await watch(await socket(other), 'x', orderId))).toBeUndefined();

    // One ends (the client completes it; the SSE client goes away): a new one may start.
    first.send({ id: 'a', type: 'complete' });
    await eventually(async () => codeOf(await watch(second, `c-${Date.now()}`, orderId)) === undefined);
    sse.close();
    await eventually(async () => codeOf(await watch(second, `d-${Date.now()}`, orderId)) === undefined);
  });

  it('closes a caller\'s graphql-ws socket over SOCKETS_PER_CALLER with 4429 at connection_init, until one of its sockets closes', async () => {
    const token = await tokenFor('orders:create', 'limits-many-sockets');
    const open = [await socket(token, fewSockets), await socket(token, fewSockets), await socket(token, fewSockets)];
    const fourth = openRawSocket(fewSockets.url, token);
    sockets.push(fourth);
    await expect(fourth.acked).rejects.toThrow(/4429/);
    expect((await fourth.closed).code).toBe(4429);
    // Another caller is not held back, and the open ones still work.
    await socket(other, fewSockets);
    expect(codeOf(await watch(open[0]!, 'still', orderId))).toBe('NOT_FOUND'); // not its order: but it answers
    open[1]!.close();
    await eventually(() => connects(fewSockets, token));
  });

  it('counts SSE streams with graphql-ws sockets: one over SOCKETS_PER_CALLER answers 429 TOO_MANY_SUBSCRIPTIONS, until one closes', async () => {
    const token = await tokenFor('orders:create', 'limits-streams');
    const created = await gqlOk(fewSockets.url, 'mutation($input: CreateOrderInput!) { createOrder(input: $input) { id } }', { input: intergiroLinkOrder('5.00') }, token);
    const own = created.createOrder.id as string;
    const ws = await socket(token, fewSockets);
    const streams = [await openSse(fewSockets.url, token, own), await openSse(fewSockets.url, token, own)];
    for (const stream of streams) expect(stream.first).toContain('"eventId"');

    // A third stream, or another socket: over the bound of three.
    const refused = await fetch(`${fewSockets.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: WATCH, variables: { orderId: own } }),
    });
    expect(refused.status).toBe(429);
    const text = await refused.text();
    expect(text).toContain('TOO_MANY_SUBSCRIPTIONS');
    expect(text).toMatch(/at most 3/);
    const fourth = openRawSocket(fewSockets.url, token);
    sockets.push(fourth);
    expect((await fourth.closed).code).toBe(4429);
    // The open ones still work, and the socket's subscriptions are not streams.
    expect(codeOf(await watch(ws, 'own', own))).toBeUndefined();
    expect(codeOf(await watch(ws, 'own-2', own))).toBeUndefined();

    // A stream that ends frees its place, for a stream or a socket alike.
    streams[0]!.close();
    await eventually(async () => (await firstSseMessage(fewSockets.url, WATCH, { orderId: own }, token)).data !== undefined);
    streams[1]!.close();
    await eventually(() => connects(fewSockets, token));
  });

  it('by default holds one caller to 50 sockets, far below its 20,000 subscriptions', async () => {
    const token = await tokenFor('orders:create', 'limits-default-sockets');
    const opened = Array.from({ length: 50 }, () => openRawSocket(defaults.url, token));
    sockets.push(...opened);
    await Promise.all(opened.map((one) => one.acked));
    const over = openRawSocket(defaults.url, token);
    sockets.push(over);
    await expect(over.acked).rejects.toThrow(/4429/);
    const closed = await over.closed;
    expect(closed.code).toBe(4429);
    expect(closed.reason).toMatch(/at most 50/);
    // Another caller still connects.
    await socket(other, defaults);
  });

  it('keeps no trace of a refused subscribe on its socket: a socket that had its fill of refusals still starts one', async () => {
    const opened = openRawSocket(unbounded.url, shop);
    sockets.push(opened);
    await opened.acked;
    for (let i = 0; i < MAX_OPERATIONS_PER_SOCKET; i++) opened.send({ id: `bad-${i}`, type: 'subscribe', payload: { query: 'subscription { nope }' } });
    await opened.waitFor(`bad-${MAX_OPERATIONS_PER_SOCKET - 1}`, 'error', 15_000);
    expect(opened.messages.filter((message) => message.type === 'error')).toHaveLength(MAX_OPERATIONS_PER_SOCKET);
    opened.send({ id: 'good', type: 'subscribe', payload: { query: WATCH, variables: { orderId } } });
    const answer = await Promise.race([opened.waitFor('good', 'next'), opened.waitFor('good', 'error')]);
    expect(answer.type).toBe('next');
  });

  it(`refuses an operation over ${MAX_OPERATIONS_PER_SOCKET} open on one socket; the socket stays`, async () => {
    const opened = openRawSocket(unbounded.url, shop);
    sockets.push(opened);
    await opened.acked;
    for (let i = 0; i < MAX_OPERATIONS_PER_SOCKET; i++) opened.send({ id: `w-${i}`, type: 'subscribe', payload: { query: WATCH, variables: { orderId } } });
    await eventually(async () => opened.messages.filter((message) => message.type === 'next').length === MAX_OPERATIONS_PER_SOCKET, 15_000);
    const over = await watch(opened, 'one-more', orderId);
    expect(codeOf(over)).toBe('TOO_MANY_SUBSCRIPTIONS');
    opened.send({ id: 'w-0', type: 'complete' });
    // Forgotten at once, though the order has not changed since (the watch waited for a change).
    await eventually(async () => codeOf(await watch(opened, `again-${Date.now()}`, orderId)) === undefined, 2000);
  });
});
