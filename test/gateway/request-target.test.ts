/**
 * Request targets and Host headers Node's HTTP parser lets through but the URL parser refuses
 * (`GET //@`, `Host: @`): each gets a 4xx, and the gateway keeps serving. Before, `//@` threw out of the
 * request listener and stopped the process (one request took the gateway down), and a Host
 * header Yoga could not make a URL of was answered 500.
 */
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/app.js';
import { startTestEnvironment, tokenFor, type TestEnvironment } from '../support/gateway.js';
import { gqlOk } from '../support/graphql.js';

/** One raw HTTP/1.1 request (the target and Host as given, unchecked by any client); the status line's code. */
function rawRequest(url: string, target: string, host: string, method = 'GET', body = ''): Promise<number> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => {
      const head = `${method} ${target} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n`;
      const entity = body ? `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` : '';
      socket.end(`${head}${entity}\r\n${body}`);
    });
    let answer = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => (answer += chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      const status = /^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1];
      if (status) resolve(Number(status));
      else reject(new Error(`no HTTP answer to ${method} ${target} (Host: ${host}): ${JSON.stringify(answer.slice(0, 80))}`));
    });
  });
}

describe('hostile request targets and Host headers', () => {
  let env: TestEnvironment;
  let gateway: Gateway;

  beforeAll(async () => {
    env = await startTestEnvironment('memory');
    gateway = await env.startGateway();
  });
  afterAll(() => env.close());

  it('are answered without taking the gateway down', async () => {
    const host = new URL(gateway.url).host;
    for (const target of ['//@', '//:', '//[', '//@/graphql', '//a:b@/webhooks/intergiro', '/webhooks/%zz', '/%', '/graphql/..%2f..']) {
      const status = await rawRequest(gateway.url, target, host);
      expect(status, target).toBeGreaterThanOrEqual(400);
      expect(status, target).toBeLessThan(500);
    }
    const query = JSON.stringify({ query: '{ __typename }' });
    // Names the URL parser refuses though they look plain: a port past 65535, an IPv4 address
    // out of range (a numeric last label makes the whole name one), punycode that does not decode.
    for (const badHost of ['@', '[', 'a b', ':99999', 'localhost:99999', 'localhost:65536', '256.1.1.1', '1.2.3.4.5', 'a.0x1', 'xn--', 'xn--a.example']) {
      expect(await rawRequest(gateway.url, '/graphql', badHost, 'POST', query), badHost).toBe(400);
    }
    for (const goodHost of ['localhost:65535', '127.0.0.1:40123', 'api.example.com', 'gateway-1:8080', '[::1]:4000', '0xab', 'a.xn--ls8h']) {
      expect(await rawRequest(gateway.url, '/health/live', goodHost), goodHost).toBe(200);
    }
    // Still serving.
    expect((await fetch(`${gateway.url}/health/live`)).status).toBe(200);
    const data = await gqlOk(gateway.url, '{ __typename }', {}, await tokenFor('orders:read'));
    expect(data.__typename).toBe('Query');
  });
});
