/**
 * Graceful shutdown of the gateway as `npm start` runs it: on SIGTERM it finishes a GraphQL request
 * in flight (held up by a sandbox latency fault, armed over the sandbox's /sandbox/faults), closes
 * graphql-ws subscriptions with 1001 Going Away, takes no new connection, and exits 0.
 */
import { afterAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { CREATE_ORDER, WATCH_ORDER } from '../support/documents.js';
import { AUTH_SECRET, tokenFor } from '../support/gateway.js';
import { startGatewayProcess, type GatewayProcess } from '../support/gateway-process.js';
import { gql, gqlOk, requestPayload } from '../support/graphql.js';

/** Upper bound for the whole shutdown (grace for requests in flight is 3 s). */
const EXIT_WITHIN_MS = 15_000;

describe('graceful shutdown on SIGTERM', () => {
  let gateway: GatewayProcess | undefined;
  afterAll(async () => {
    await gateway?.stop('SIGKILL');
  });

  it('finishes the request in flight, closes subscriptions with 1001, refuses new connections and exits 0', async () => {
    gateway = await startGatewayProcess({ AUTH_JWT_SECRET: AUTH_SECRET, RECONCILE_INTERVAL_MS: '500' });
    const intergiroUrl = /INTERGIRO sandbox: (\S+)/i.exec(gateway.output())?.[1];
    expect(intergiroUrl).toBeDefined();
    const shop = await tokenFor('orders:create orders:read', 'shop-shutdown');

    const order = (
      await gqlOk(gateway.url, CREATE_ORDER, { input: { provider: 'INTERGIRO', currency: 'EUR', amount: '5.00', intergiro: { paymentType: 'LINK' } } }, shop)
    ).createOrder;
    const closed = new Promise<number>((resolve, reject) => {
      const socket = new WebSocket(`${gateway!.url.replace(/^http/, 'ws')}/graphql`, 'graphql-transport-ws');
      socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: { Authorization: `Bearer ${shop}` } })));
      socket.on('message', (data) => {
        if ((JSON.parse(String(data)) as { type: string }).type === 'connection_ack') {
          socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: requestPayload(WATCH_ORDER, { orderId: order.id }) }));
        }
      });
      socket.on('close', (code) => resolve(code));
      socket.on('error', reject);
    });

    // The next order's POST to Intergiro takes 1.5 s: it is in flight when SIGTERM comes.
    const armed = await fetch(`${intergiroUrl}/sandbox/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ kind: 'latency', ms: 1500, only: '^POST /v1/order$' }),
    });
    expect(armed.status).toBe(201);
    const inFlight = gql(gateway.url, CREATE_ORDER, { input: { provider: 'INTERGIRO', currency: 'EUR', amount: '6.00', intergiro: { paymentType: 'LINK' } } }, shop);
    await new Promise((resolve) => setTimeout(resolve, 300));

    const started = Date.now();
    const exited = gateway.stop('SIGTERM');
    expect(await closed).toBe(1001);
    const answer = await inFlight;
    expect(answer.errors, answer.raw).toBeUndefined();
    expect(answer.data?.createOrder.status).toBe('CREATED');

    await expect(fetch(`${gateway.url}/health/live`, { signal: AbortSignal.timeout(2000) })).rejects.toThrow();
    expect(await exited).toBe(0);
    expect(Date.now() - started).toBeLessThan(EXIT_WITHIN_MS);
  }, 60_000);
});
