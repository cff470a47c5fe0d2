import type { IncomingMessage } from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/app.js';
import { createLogger } from '../../src/log.js';
import { onSandboxRequest } from '../../src/sandboxes/kit/server.js';
import { CREATE_ORDER, type OrderView } from '../support/documents.js';
import { eventually, startTestEnvironment, tokenFor, type TestEnvironment } from '../support/gateway.js';
import { requestPayload, subscribe } from '../support/graphql.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

interface SeenRequest {
  method: string;
  path: string;
  requestId: string | undefined;
  traceparent: string | undefined;
}

describe('request ids', () => {
  let env: TestEnvironment;
  let gateway: Gateway;
  let token: string;
  const lines: Record<string, unknown>[] = [];
  const atIntergiro: SeenRequest[] = [];
  let stopListening: () => void;

  beforeAll(async () => {
    env = await startTestEnvironment('memory');
    const logger = createLogger({ level: 'debug', write: (line) => lines.push(JSON.parse(line) as Record<string, unknown>) });
    gateway = await env.startGateway({}, { logger, pollerDisabled: true });
    token = await tokenFor('orders:create orders:read orders:manage');
    const port = Number(new URL(env.intergiro.url).port);
    stopListening = onSandboxRequest((request: IncomingMessage) => {
      if (request.socket.localPort !== port) return;
      const header = request.headers['x-request-id'];
      const traceparent = request.headers.traceparent;
      atIntergiro.push({
        method: request.method ?? '',
        path: request.url ?? '',
        requestId: typeof header === 'string' ? header : undefined,
        traceparent: typeof traceparent === 'string' ? traceparent : undefined,
      });
    });
  });
  afterEach(() => {
    atIntergiro.length = 0;
  });
  afterAll(async () => {
    stopListening();
    await env.close();
  });

  const createOrder = (input: Record<string, unknown>, headers: Record<string, string> = {}) =>
    fetch(`${gateway.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...headers },
      body: JSON.stringify(requestPayload(CREATE_ORDER, { input })),
    });
  const cardOrder = (cardToken: string) => ({ provider: 'INTERGIRO', currency: 'EUR', amount: '5.00', intergiro: { paymentType: 'CARD', cardToken } });

  it("keeps a client's well-formed id: echoed, on the request's log lines, and sent to the provider", async () => {
    const id = 'abc-123e4567-trace.01';
    const response = await createOrder(cardOrder('tok_visa_request_id'), { 'x-request-id': id });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-request-id')).toBe(id);
    expect(((await response.json()) as { data: { createOrder: OrderView } }).data.createOrder.status).toBe('AUTHORIZED');

    expect(atIntergiro.length).toBeGreaterThanOrEqual(1);
    expect(atIntergiro.every((request) => request.requestId === id)).toBe(true);
    expect(atIntergiro.every((request) => request.traceparent === undefined)).toBe(true); // no exporter, no tracing
    const finished = await eventually(async () => lines.find((line) => line.message === 'request finished' && line.requestId === id));
    expect(finished).toMatchObject({ method: 'POST', path: '/graphql', status: 200 });
  });

  it('replaces a malformed or oversized id instead of trusting it', async () => {
    for (const bad of ['has spaces in it', '<script>alert(1)</script>', 'x'.repeat(300), 'short']) {
      const response = await createOrder(cardOrder('tok_visa_bad_id'), { 'x-request-id': bad });
      const given = response.headers.get('x-request-id');
      expect(given).toMatch(UUID);
      expect(atIntergiro.at(-1)?.requestId).toBe(given);
      expect(lines.some((line) => line.requestId === bad)).toBe(false);
    }
  });

  it('gives every request without one an id of its own', async () => {
    const first = (await createOrder(cardOrder('tok_visa_one'))).headers.get('x-request-id');
    const second = (await createOrder(cardOrder('tok_visa_two'))).headers.get('x-request-id');
    expect(first).toMatch(UUID);
    expect(second).toMatch(UUID);
    expect(first).not.toBe(second);
    expect(atIntergiro.map((request) => request.requestId)).toEqual([first, second]);
  });

  it('runs webhook handling under its own id, on its log lines too', async () => {
    const response = await fetch(`${gateway.url}/webhooks/intergiro`, { method: 'POST', headers: { 'content-type': 'application/jwt' }, body: 'forged' });
    expect(response.status).toBe(401);
    const id = response.headers.get('x-request-id');
    expect(id).toMatch(UUID);
    await eventually(async () => lines.find((line) => line.message === 'webhook rejected' && line.requestId === id));
  });

  it('gives each graphql-ws operation its own id, sent to the provider', async () => {
    const viaSocket = subscribe<{ createOrder: OrderView }>(gateway.url, token, CREATE_ORDER, { input: cardOrder('tok_visa_ws') } as never);
    expect((await viaSocket.next()).createOrder.status).toBe('AUTHORIZED');
    await viaSocket.dispose();
    expect(atIntergiro).toHaveLength(1);
    expect(atIntergiro[0]?.requestId).toMatch(UUID);
    expect(lines.some((line) => line.requestId === atIntergiro[0]?.requestId && line.message === 'request finished')).toBe(false);
  });

  it('runs each reconciliation pass under its own id, sent with its reads', async () => {
    const created = await createOrder(cardOrder('tok_pending_reconcile'));
    const order = ((await created.json()) as { data: { createOrder: OrderView } }).data.createOrder;
    expect(order.status).toBe('PENDING');
    const createId = created.headers.get('x-request-id');
    atIntergiro.length = 0;

    expect(await gateway.poller.tick(Date.now() + 60_000)).toBeGreaterThanOrEqual(1);
    const reads = atIntergiro.filter((request) => request.method === 'GET');
    expect(reads.length).toBeGreaterThanOrEqual(1);
    const passId = reads[0]?.requestId;
    expect(passId).toMatch(UUID);
    expect(passId).not.toBe(createId);
    expect(reads.every((request) => request.requestId === passId)).toBe(true);
  });
});
