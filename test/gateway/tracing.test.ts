import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/app.js';
import { onSandboxRequest } from '../../src/sandboxes/kit/server.js';
import { CREATE_ORDER, type OrderView } from '../support/documents.js';
import { eventually, startTestEnvironment, tokenFor, type TestEnvironment } from '../support/gateway.js';
import { requestPayload } from '../support/graphql.js';

interface ExportedSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes: { key: string; value: Record<string, unknown> }[];
  status?: { code?: number };
}

interface OtlpBody {
  resourceSpans: { resource: { attributes: { key: string; value: { stringValue?: string } }[] }; scopeSpans: { spans: ExportedSpan[] }[] }[];
}

/** A tiny OTLP/HTTP collector: takes the exporter's JSON posts to /v1/traces and keeps the spans. */
async function startCollector(): Promise<{ url: string; spans: ExportedSpan[]; services: Set<string>; close(): Promise<void> }> {
  const spans: ExportedSpan[] = [];
  const services = new Set<string>();
  const server: Server = createServer((request: IncomingMessage, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      if (request.url === '/v1/traces' && request.headers['content-type'] === 'application/json') {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as OtlpBody;
        for (const resource of body.resourceSpans) {
          for (const attribute of resource.resource.attributes) if (attribute.key === 'service.name') services.add(attribute.value.stringValue ?? '');
          for (const scope of resource.scopeSpans) spans.push(...scope.spans);
        }
      }
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    spans,
    services,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('OpenTelemetry traces to an OTLP/HTTP endpoint', () => {
  let env: TestEnvironment;
  let gateway: Gateway;
  let collector: Awaited<ReturnType<typeof startCollector>>;
  let token: string;
  const traceparents: string[] = [];
  let stopListening: () => void;

  beforeAll(async () => {
    collector = await startCollector();
    env = await startTestEnvironment('memory');
    gateway = await env.startGateway({ tracing: { tracesUrl: `${collector.url}/v1/traces`, serviceName: 'gateway-under-test' } }, { pollerDisabled: true });
    token = await tokenFor('orders:create orders:read');
    const port = Number(new URL(env.intergiro.url).port);
    stopListening = onSandboxRequest((request) => {
      const header = request.headers.traceparent;
      if (request.socket.localPort === port && typeof header === 'string') traceparents.push(header);
    });
  });
  afterAll(async () => {
    stopListening();
    await env.close();
    await collector.close();
  });

  it('exports a createOrder as HTTP span > operation span > provider-call span, continuing the caller\'s trace', async () => {
    const callerTrace = '4bf92f3577b34da6a3ce929d0e0e4736';
    const callerSpan = '00f067aa0ba902b7';
    const response = await fetch(`${gateway.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, traceparent: `00-${callerTrace}-${callerSpan}-01` },
      body: JSON.stringify(
        requestPayload(CREATE_ORDER, { input: { provider: 'INTERGIRO', currency: 'EUR', amount: '5.00', intergiro: { paymentType: 'CARD', cardToken: 'tok_visa_traced' } } }),
      ),
    });
    expect(((await response.json()) as { data: { createOrder: OrderView } }).data.createOrder.status).toBe('AUTHORIZED');
    const forged = await fetch(`${gateway.url}/webhooks/intergiro`, { method: 'POST', headers: { 'content-type': 'application/jwt' }, body: 'forged' });
    expect(forged.status).toBe(401);
    const pending = await fetch(`${gateway.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(requestPayload(CREATE_ORDER, { input: { provider: 'INTERGIRO', currency: 'EUR', amount: '5.00', intergiro: { paymentType: 'CARD', cardToken: 'tok_pending_traced' } } })),
    });
    expect(pending.status).toBe(200);
    expect(await gateway.poller.tick(Date.now() + 60_000)).toBeGreaterThanOrEqual(1);

    await gateway.close(); // flushes the batch
    const spans = await eventually(async () => collector.spans.length > 0 && collector.spans);
    expect(collector.services).toEqual(new Set(['gateway-under-test']));

    const http = spans.find((span) => span.name === 'POST /graphql' && span.traceId === callerTrace);
    expect(http).toBeDefined();
    expect(http!.parentSpanId).toBe(callerSpan);
    expect(http!.kind).toBe(2); // SERVER
    const operation = spans.find((span) => span.name === 'mutation CreateOrder' && span.parentSpanId === http!.spanId);
    expect(operation).toBeDefined();
    const call = spans.find((span) => span.parentSpanId === operation!.spanId && span.name === 'POST Intergiro');
    expect(call).toBeDefined();
    expect(call!.kind).toBe(3); // CLIENT
    expect(call!.traceId).toBe(callerTrace);
    // The provider was told the trace: its traceparent names the provider-call span.
    expect(traceparents).toContain(`00-${callerTrace}-${call!.spanId}-01`);

    // The forged callback (the sandbox's own callbacks for the order are accepted, unmarked).
    const statusOf = (span: ExportedSpan) => span.attributes.find((attribute) => attribute.key === 'http.response.status_code')?.value.intValue;
    const refused = spans.filter((span) => span.name === 'webhook intergiro' && String(statusOf(span)) === '401');
    expect(refused).toHaveLength(1);
    expect(refused[0]!.status?.code).toBe(2); // ERROR
    const pass = spans.find((span) => span.name === 'reconcile pass');
    expect(pass).toBeDefined();
    expect(spans.some((span) => span.parentSpanId === pass!.spanId && span.name === 'GET Intergiro')).toBe(true);
    // Nothing that could be a credential rides along as an attribute.
    expect(JSON.stringify(spans)).not.toContain(token);
    expect(JSON.stringify(spans)).not.toContain('tok_visa_traced');
  });
});
