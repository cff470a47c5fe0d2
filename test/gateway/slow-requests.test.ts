import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/app.js';
import { startTestEnvironment, tokenFor, type TestEnvironment } from '../support/gateway.js';
import { gqlOk } from '../support/graphql.js';
import { intergiroLinkOrder } from '../support/intergiro.js';
import { openRawSocket } from '../support/ws-raw.js';

/*
 * README "Hostile input": a client must send its whole request within REQUEST_TIMEOUT_MS. Before,
 * Node's own 5 minutes applied: anyone, without a token, could hold a connection (and a file
 * descriptor) that long per request by trickling its body a byte at a time. Long-lived answers
 * (SSE) and WebSockets are not cut: their requests were complete long before.
 */

const TIMEOUT_MS = 1000;

/** Sends the headers of a body it then trickles; resolves with what came back and when the connection closed (ms after the start). */
function trickle(url: string, path: string, giveUpMs: number): Promise<{ closedAfterMs: number; answer: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const started = Date.now();
    const socket = connect(Number(port), hostname);
    let answer = '';
    const drip = setInterval(() => socket.write(' '), 100);
    const giveUp = setTimeout(() => socket.destroy(), giveUpMs);
    socket.on('data', (chunk) => (answer += chunk.toString()));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearInterval(drip);
      clearTimeout(giveUp);
      resolve({ closedAfterMs: Date.now() - started, answer });
    });
    socket.write(`POST ${path} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{`);
  });
}

describe('requests that arrive too slowly', () => {
  let env: TestEnvironment;
  let gateway: Gateway;
  let token: string;
  let orderId: string;

  beforeAll(async () => {
    env = await startTestEnvironment('memory');
    gateway = await env.startGateway({ requestTimeoutMs: TIMEOUT_MS });
    token = await tokenFor('orders:create', 'slow-shop');
    orderId = (await gqlOk(gateway.url, 'mutation($input: CreateOrderInput!) { createOrder(input: $input) { id } }', { input: intergiroLinkOrder('2.00') }, token)).createOrder.id;
  });
  afterAll(() => env.close());

  it('cuts a body trickled past REQUEST_TIMEOUT_MS, on /graphql and on a webhook, without a token', async () => {
    for (const path of ['/graphql', '/webhooks/pei']) {
      const { closedAfterMs, answer } = await trickle(gateway.url, path, 10_000);
      expect(closedAfterMs, path).toBeLessThan(TIMEOUT_MS * 3);
      expect(answer, path).toMatch(/^HTTP\/1\.1 408/);
    }
  });

  it('does not cut an SSE subscription or a graphql-ws socket that stays open longer', async () => {
    const controller = new AbortController();
    const response = await fetch(`${gateway.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: 'subscription($orderId: ID!) { orderStatusChanged(orderId: $orderId) { eventId } }', variables: { orderId } }),
      signal: controller.signal,
    });
    const reader = response.body!.getReader();
    expect((await reader.read()).done).toBe(false); // the snapshot
    const socket = openRawSocket(gateway.url, token);
    await socket.acked;

    await new Promise((resolve) => setTimeout(resolve, TIMEOUT_MS * 3));
    const stillOpen = await Promise.race([reader.read().then(({ done }) => !done), new Promise<boolean>((resolve) => setTimeout(() => resolve(true), 300))]);
    expect(stillOpen).toBe(true);
    socket.send({ id: 'later', type: 'subscribe', payload: { query: 'query($id: ID!) { order(id: $id) { id } }', variables: { id: orderId } } });
    expect((await socket.waitFor('later', 'next')).payload).toEqual({ data: { order: { id: orderId } } });
    controller.abort();
    socket.close();
  });
});
