import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/app.js';
import { CREATE_ORDER, WATCH_ORDER, type OrderView } from '../support/documents.js';
import { eventually, STORE_KINDS, startTestEnvironment, tokenFor, type TestEnvironment } from '../support/gateway.js';
import { gql, gqlOk, subscribe } from '../support/graphql.js';
import { buyerUsesLink, intergiroLinkOrder } from '../support/intergiro.js';
import { sample, scrape } from '../support/metrics.js';

const linkOrder = intergiroLinkOrder('19.90', { returnUrls: { success: 'https://example.com/thanks' } });

describe.each(STORE_KINDS)('/metrics (%s store)', (kind) => {
  let env: TestEnvironment;
  let gateway: Gateway;
  let other: Gateway;
  let token: string;

  beforeAll(async () => {
    env = await startTestEnvironment(kind);
    gateway = await env.startGateway();
    other = await env.startGateway();
    token = await tokenFor('orders:create orders:read orders:manage');
  });
  afterAll(() => env.close());

  it('counts an order, its provider call, its callback and its subscription, with their labels', async () => {
    const order: OrderView = (await gqlOk(gateway.url, CREATE_ORDER, { input: linkOrder } as never, token)).createOrder;
    const watch = subscribe(gateway.url, token, WATCH_ORDER, { orderId: order.id });
    await watch.next();
    await eventually(async () => sample(await scrape(gateway), 'gateway_graphql_subscriptions_open', { transport: 'graphql-ws' }) === 1);

    await buyerUsesLink(order.creation.stopAction!.redirectUrl!, 'pay');
    await watch.waitFor((message) => message.orderStatusChanged.status === 'AUTHORIZED', 10_000);
    const text = await eventually(async () => {
      const scraped = await scrape(gateway);
      return (sample(scraped, 'gateway_webhooks_total', { provider: 'INTERGIRO', outcome: 'accepted' }) ?? 0) >= 1 && scraped;
    });

    expect(sample(text, 'gateway_graphql_operations_total', { type: 'mutation', name: 'CreateOrder', outcome: 'success' })).toBe(1);
    expect(sample(text, 'gateway_graphql_operation_duration_seconds_count', { type: 'mutation', name: 'CreateOrder' })).toBe(1);
    expect(sample(text, 'gateway_graphql_operations_total', { type: 'subscription', name: 'WatchOrder', outcome: 'success' })).toBe(1);
    expect(sample(text, 'gateway_provider_call_duration_seconds_count', { provider: 'INTERGIRO', outcome: '2xx' })).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'gateway_reconcile_backlog_orders')).toBeGreaterThanOrEqual(0);
    // One spelling per provider in every metric: the Provider enum's.
    const providerValues = new Set([...text.matchAll(/provider="([^"]*)"/g)].map((match) => match[1]));
    expect([...providerValues]).toEqual(['INTERGIRO']);
    // Process metrics come along, once.
    expect(sample(text, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);
    expect(text.match(/^# TYPE process_cpu_user_seconds_total/gm)).toHaveLength(1);

    // The other gateway of this process saw none of it: a registry per gateway.
    const quiet = await scrape(other);
    expect(sample(quiet, 'gateway_graphql_operations_total', { name: 'CreateOrder' })).toBeUndefined();
    expect(sample(quiet, 'gateway_provider_call_duration_seconds_count', { provider: 'INTERGIRO' })).toBeUndefined();

    await watch.dispose();
    await eventually(async () => sample(await scrape(gateway), 'gateway_graphql_subscriptions_open', { transport: 'graphql-ws' }) === 0);
  });

  it('counts an SSE subscription as open while it streams', async () => {
    const order: OrderView = (await gqlOk(gateway.url, CREATE_ORDER, { input: linkOrder } as never, token)).createOrder;
    const controller = new AbortController();
    const response = await fetch(`${gateway.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: String(WATCH_ORDER), variables: { orderId: order.id } }),
      signal: controller.signal,
    });
    expect(response.status).toBe(200);
    await eventually(async () => sample(await scrape(gateway), 'gateway_graphql_subscriptions_open', { transport: 'sse' }) === 1);
    controller.abort();
    await eventually(async () => sample(await scrape(gateway), 'gateway_graphql_subscriptions_open', { transport: 'sse' }) === 0);
  });

  it('counts refused callbacks by outcome, and unknown routes without inventing a provider', async () => {
    const post = (path: string, body: string) => fetch(`${gateway.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/jwt' }, body });
    expect((await post('/webhooks/intergiro', 'not-a-jwt')).status).toBe(401);
    expect((await post('/webhooks/no-such-provider', '{}')).status).toBe(404);
    expect((await post('/webhooks/intergiro', 'x'.repeat(2_000_000))).status).toBe(413);
    const text = await scrape(gateway);
    expect(sample(text, 'gateway_webhooks_total', { provider: 'INTERGIRO', outcome: 'rejected' })).toBe(1);
    expect(sample(text, 'gateway_webhooks_total', { provider: 'unknown', outcome: 'not_found' })).toBe(1);
    expect(sample(text, 'gateway_webhooks_total', { provider: 'INTERGIRO', outcome: 'too_large' })).toBe(1);
    expect(text).not.toContain('no-such-provider');
  });

  it('counts a provider 5xx as a provider error, and the failed operation as an error', async () => {
    const before = sample(await scrape(gateway), 'gateway_provider_call_errors_total', { provider: 'INTERGIRO', reason: 'http_5xx' }) ?? 0;
    // Aimed at the creation: the poller may read an earlier test's waiting order meanwhile.
    env.intergiro.faults.inject({ kind: 'status', status: 500, only: /^POST \/v1\/order$/ });
    const card = { provider: 'INTERGIRO', currency: 'EUR', amount: '5.00', intergiro: { paymentType: 'CARD', cardToken: 'tok_visa_metrics' } };
    const failed = await gql(gateway.url, CREATE_ORDER, { input: card } as never, token);
    expect(failed.errors?.[0]?.extensions?.code).toBe('PROVIDER_UNAVAILABLE');
    const text = await scrape(gateway);
    expect(sample(text, 'gateway_provider_call_errors_total', { provider: 'INTERGIRO', reason: 'http_5xx' })).toBe(before + 1);
    expect(sample(text, 'gateway_provider_call_duration_seconds_count', { provider: 'INTERGIRO', outcome: '5xx' })).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'gateway_graphql_operations_total', { type: 'mutation', name: 'CreateOrder', outcome: 'error' })).toBeGreaterThanOrEqual(1);
  });

  it('counts a document that does not validate as invalid, and keeps client-invented names bounded', async () => {
    await gql(gateway.url, 'query Nope { noSuchField }', {}, token);
    await gql(gateway.url, 'query {{', {}, token);
    const text = await scrape(gateway);
    expect(sample(text, 'gateway_graphql_operations_total', { type: 'query', name: 'Nope', outcome: 'invalid' })).toBe(1);
    expect(sample(text, 'gateway_graphql_operations_total', { type: 'unknown', outcome: 'invalid' })).toBeGreaterThanOrEqual(1);
  });
});

describe('/metrics with METRICS_TOKEN', () => {
  let env: TestEnvironment;
  let gateway: Gateway;

  beforeAll(async () => {
    env = await startTestEnvironment('memory');
    gateway = await env.startGateway({ metricsToken: 'metrics-scraper-token-123' });
  });
  afterAll(() => env.close());

  it('answers 401 without the bearer token or with a wrong one, and the metrics with it', async () => {
    expect((await fetch(`${gateway.url}/metrics`)).status).toBe(401);
    const wrong = await fetch(`${gateway.url}/metrics`, { headers: { authorization: 'Bearer metrics-scraper-token-124' } });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(await wrong.text()).not.toContain('gateway_');
    expect(sample(await scrape(gateway, 'metrics-scraper-token-123'), 'gateway_graphql_subscriptions_open', { transport: 'sse' })).toBe(0);
  });
});
