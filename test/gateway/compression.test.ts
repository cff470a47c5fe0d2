/**
 * Answers are compressed when the client asks (Accept-Encoding: br, gzip), whole answers only:
 * GraphiQL's ~9 MB page and large JSON results; an SSE subscription is never compressed, so each
 * event reaches the subscriber when it happens. Read with node:http, which (unlike fetch) shows
 * the bytes as sent.
 */
import { request, type IncomingHttpHeaders } from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { chooseEncoding } from '../../src/server/compression.js';
import { CREATE_ORDER, WATCH_ORDER } from '../support/documents.js';
import { memoryGatewaySuite } from '../support/gateway.js';
import { gqlOk } from '../support/graphql.js';
import { buyerUsesLink } from '../support/intergiro.js';

interface RawAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

function send(url: string, options: { method?: string; headers: Record<string, string>; body?: string }): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const outgoing = request(url, { method: options.method ?? 'GET', headers: options.headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) }));
    });
    outgoing.on('error', reject);
    outgoing.end(options.body);
  });
}

const decode = (answer: RawAnswer): string => {
  const encoding = answer.headers['content-encoding'];
  if (encoding === 'br') return brotliDecompressSync(answer.body).toString();
  if (encoding === 'gzip') return gunzipSync(answer.body).toString();
  return answer.body.toString();
};

describe('compressed answers', () => {
  const suite = memoryGatewaySuite('orders:create orders:read orders:manage');

  const page = (acceptEncoding?: string) =>
    send(`${suite.gateway.url}/graphql`, { headers: { accept: 'text/html', ...(acceptEncoding !== undefined ? { 'accept-encoding': acceptEncoding } : {}) } });

  it("GraphiQL's page: brotli or gzip as asked, the same page once decoded, and plain to a client that asks for neither", async () => {
    const plain = await page();
    expect(plain.status).toBe(200);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.headers.vary).toMatch(/Accept-Encoding/i);
    const html = plain.body.toString();
    expect(html).toContain('GraphiQL');

    const br = await page('gzip, deflate, br');
    expect(br.headers['content-encoding']).toBe('br');
    expect(Number(br.headers['content-length'])).toBe(br.body.length);
    expect(br.body.length).toBeLessThan(html.length / 3);
    expect(decode(br)).toBe(html);
    // Kept after the first time, and still the same page.
    expect(decode(await page('br'))).toBe(html);

    const gzip = await page('gzip');
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(decode(gzip)).toBe(html);

    expect((await page('br;q=0, gzip;q=0.5')).headers['content-encoding']).toBe('gzip');
    expect((await page('identity')).headers['content-encoding']).toBeUndefined();
    expect((await page('deflate')).headers['content-encoding']).toBeUndefined();
  });

  it('a large JSON result is compressed, a small one is not; both decode to the same answer as uncompressed', async () => {
    const post = (query: string, acceptEncoding?: string) =>
      send(`${suite.gateway.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${suite.token}`, ...(acceptEncoding ? { 'accept-encoding': acceptEncoding } : {}) },
        body: JSON.stringify({ query }),
      });
    const large = '{ __schema { types { name fields { name } } } }';
    const plain = await post(large);
    const gzip = await post(large, 'gzip');
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(JSON.parse(decode(gzip))).toEqual(JSON.parse(plain.body.toString()));

    const small = await post('{ __typename }', 'gzip, br');
    expect(small.headers['content-encoding']).toBeUndefined();
    expect(JSON.parse(small.body.toString())).toEqual({ data: { __typename: 'Query' } });
  });

  it('an SSE subscription is never compressed: the snapshot comes at once, the change when it happens', async () => {
    const order = (
      await gqlOk(suite.gateway.url, CREATE_ORDER, { input: { provider: 'INTERGIRO', currency: 'EUR', amount: '10.00', intergiro: { paymentType: 'LINK' } } }, suite.token)
    ).createOrder;
    const events: string[] = [];
    let headers: IncomingHttpHeaders | undefined;
    const outgoing = request(`${suite.gateway.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', 'accept-encoding': 'br, gzip', authorization: `Bearer ${suite.token}` },
    });
    const arrived = (count: number) =>
      new Promise<void>((resolve) => {
        const check = setInterval(() => {
          if (events.length >= count) {
            clearInterval(check);
            resolve();
          }
        }, 10);
      });
    outgoing.on('response', (response) => {
      headers = response.headers;
      let text = '';
      response.on('data', (chunk: Buffer) => {
        text += chunk.toString();
        for (let end = text.indexOf('\n\n'); end >= 0; end = text.indexOf('\n\n')) {
          const event = text.slice(0, end);
          text = text.slice(end + 2);
          if (event.includes('data: ')) events.push(event);
        }
      });
    });
    outgoing.end(JSON.stringify({ query: String(WATCH_ORDER), variables: { orderId: order.id } }));
    try {
      await arrived(1);
      expect(headers?.['content-type']).toMatch(/text\/event-stream/);
      // Yoga itself marks its event streams `none`, which proxies read as "do not compress" too.
      expect([undefined, 'none']).toContain(headers?.['content-encoding']);
      expect(events[0]).toContain('"status":"CREATED"');
      await buyerUsesLink(order.creation.stopAction!.redirectUrl!, 'pay');
      await arrived(2);
      expect(events[1]).toContain('"status":"AUTHORIZED"');
    } finally {
      outgoing.destroy();
    }
  });

  it('reads Accept-Encoding as HTTP means it: q-values, q=0 refuses, * counts', () => {
    expect(chooseEncoding(null)).toBeUndefined();
    expect(chooseEncoding('gzip, deflate, br')).toBe('br');
    expect(chooseEncoding('br;q=0.1, gzip')).toBe('gzip');
    expect(chooseEncoding('br;q=0, gzip;q=0')).toBeUndefined();
    expect(chooseEncoding('*')).toBe('br');
    expect(chooseEncoding('*;q=0, gzip')).toBe('gzip');
    expect(chooseEncoding('identity')).toBeUndefined();
  });
});
