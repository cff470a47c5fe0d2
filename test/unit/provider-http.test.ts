/**
 * The HTTP promises of a provider call (providers/http.ts), over real HTTP to a local server: the
 * body read whole as UTF-8 with its content type, a redirect returned and never followed, a
 * provider that never answers or stalls mid-body ended by the call's bound as
 * PROVIDER_UNAVAILABLE (may have been sent), a proxy's 502 told from the provider's 503, one
 * observer span per attempt ended once with the observer's headers (and fetch's user agent)
 * sent, every answer's body consumed so one keep-alive connection serves call after call, and an
 * answer's size bounded (one that never ends fails on it, not on the call's bound).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { brotliCompressSync, deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GatewayError, providerFinished, surelyNotSent } from '../../src/domain/errors.js';
import { observeProviderCalls, type ProviderCallEnd } from '../../src/providers/call-observers.js';
import { callProvider } from '../../src/providers/http.js';
import { callFailure as failure } from '../support/provider-calls.js';

const JSON_ACCEPT = { accept: 'application/json' };
const COMPRESSED_ORDER = JSON.stringify({ id: 'ord-1', buyer: 'Jón Þórsson', items: Array.from({ length: 20 }, (_, i) => ({ name: `line ${i}` })) });
/** The order as each route sends it: its Content-Encoding and body (zstd: a frame the gateway cannot decode). */
const COMPRESSED: Record<string, [string, Buffer]> = {
  '/gzip': ['gzip', gzipSync(COMPRESSED_ORDER)],
  '/deflate': ['deflate', deflateSync(COMPRESSED_ORDER)],
  '/deflate-raw': ['deflate', deflateRawSync(COMPRESSED_ORDER)],
  '/br': ['br', brotliCompressSync(COMPRESSED_ORDER)],
  '/zstd': ['zstd', Buffer.from([0x28, 0xb5, 0x2f, 0xfd])],
};
/** Long enough for a local answer, short enough that the silent routes end the call quickly. */
const BOUND_MS = 400;
/** More than an HTTP client buffers on its own (64 KiB): an unread body this large holds its connection. */
const LARGE_BODY_BYTES = 256 * 1024;

async function listen(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<{ server: Server; origin: string }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  return { server, origin: `http://127.0.0.1:${address.port}` };
}

describe('a provider call over HTTP', () => {
  let server: Server;
  let origin: string;
  const hits = new Map<string, number>();
  const seenHeaders: Record<string, string | string[] | undefined>[] = [];
  /** Connections left open by the silent routes, ended after the tests. */
  const silent = new Set<ServerResponse>();

  beforeAll(async () => {
    ({ server, origin } = await listen((req, res) => {
      hits.set(req.url ?? '', (hits.get(req.url ?? '') ?? 0) + 1);
      seenHeaders.push(req.headers);
      switch (req.url) {
        case '/order':
          res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify({ buyer: 'Jón Þórsson', amount: '2490' }));
          return;
        case '/bare':
          // JSON without a Content-Type header: neither provider's seed names the answers' type.
          res.writeHead(200).end('{"orderId":"fdfQQ33gdgWfgGoP642"}');
          return;
        case '/bare-html':
          res.writeHead(200).end('<html><body>Sign in</body></html>');
          return;
        case '/json-as-html':
          // A framework's default label on a JSON body (Express' res.send of a string).
          res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('{"orderId":"fdfQQ33gdgWfgGoP642"}');
          return;
        case '/portal':
          res.writeHead(200, { 'content-type': 'text/html' }).end('<html><body>Sign in</body></html>');
          return;
        case '/gzip':
        case '/deflate':
        case '/deflate-raw':
        case '/br':
        case '/zstd': {
          const [coding, body] = COMPRESSED[req.url]!;
          res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': coding }).end(body);
          return;
        }
        case '/latin1':
          res.writeHead(200, { 'content-type': 'application/json; charset=ISO-8859-1' }).end(Buffer.from(JSON.stringify({ buyer: 'Jón Þórsson' }), 'latin1'));
          return;
        case '/latin1-unlabelled':
          // Round seventeen of Pei: ISO-8859-1 bytes under a type naming no charset.
          res.writeHead(200, { 'content-type': 'application/json' }).end(Buffer.from(JSON.stringify({ reference: 'Pöntun-þæð' }), 'latin1'));
          return;
        case '/moved':
          res.writeHead(302, { location: '/order' }).end();
          return;
        case '/proxy-down':
          res.writeHead(502, { 'content-type': 'text/html' }).end('<h1>Bad Gateway</h1>');
          return;
        case '/busy':
          res.writeHead(503, { 'content-type': 'application/json' }).end('{"error":"busy"}');
          return;
        case '/silent':
          // Accepts the request and never answers.
          silent.add(res);
          return;
        case '/stalls':
          // Headers and half a document, then nothing more.
          res.writeHead(200, { 'content-type': 'application/json' });
          res.write('{"id":"half-an-ord');
          silent.add(res);
          return;
        case '/endless': {
          // Chunked (no Content-Length), sent as fast as the connection takes it, for ever.
          res.writeHead(200, { 'content-type': 'application/json' });
          const chunk = Buffer.alloc(1024 * 1024, 0x20);
          const more = () => {
            while (!res.destroyed && res.write(chunk));
            if (!res.destroyed) res.once('drain', more);
          };
          res.write('{"orders":[');
          more();
          return;
        }
        case '/declares-huge':
          // Says it will send 64 MiB, sends a little, then waits.
          res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(64 * 1024 * 1024) });
          res.write('{"orders":[');
          silent.add(res);
          return;
        case '/chunked':
          // A body of no declared length, in many pieces.
          res.writeHead(200, { 'content-type': 'application/json' });
          res.write('{"orders":[');
          for (let i = 0; i < 2000; i++) res.write(`${i === 0 ? '' : ','}{"id":"ord-${i}","buyer":"Jón Þórsson"}`);
          res.end(']}');
          return;
        default:
          res.writeHead(404).end();
      }
    }));
  });
  afterAll(async () => {
    for (const res of silent) res.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('reads the whole body as UTF-8, with its content type and headers', async () => {
    const { headers, ...response } = await callProvider('Reading', `${origin}/order`, { method: 'GET', headers: JSON_ACCEPT, timeoutMs: 2000 });
    expect(response).toEqual({ status: 200, contentType: 'application/json; charset=utf-8', text: '{"buyer":"Jón Þórsson","amount":"2490"}' });
    // The answer's headers as sent (lower-case names), for an adapter that reads one (Pei's paging headers).
    expect(headers?.['content-type']).toBe('application/json; charset=utf-8');
  });

  it('a JSON answer without a Content-Type is read; one that is not JSON is still PROVIDER_UNAVAILABLE', async () => {
    const { headers: _headers, ...response } = await callProvider('Bare', `${origin}/bare`, { method: 'GET', headers: JSON_ACCEPT, timeoutMs: 2000 });
    expect(response).toEqual({ status: 200, contentType: '', text: '{"orderId":"fdfQQ33gdgWfgGoP642"}' });
    const page = await failure('Bare', `${origin}/bare-html`, { method: 'GET', headers: JSON_ACCEPT, timeoutMs: 2000 });
    expect((page as GatewayError).code).toBe('PROVIDER_UNAVAILABLE');
  });

  it('a JSON object labelled text/html is the provider\'s answer; an HTML page labelled so is PROVIDER_UNAVAILABLE', async () => {
    const response = await callProvider('Labelled', `${origin}/json-as-html`, { method: 'GET', headers: JSON_ACCEPT, timeoutMs: 2000 });
    expect(response.text).toBe('{"orderId":"fdfQQ33gdgWfgGoP642"}');
    const portal = await failure('Labelled', `${origin}/portal`, { method: 'GET', headers: JSON_ACCEPT, timeoutMs: 2000 });
    expect((portal as GatewayError).code).toBe('PROVIDER_UNAVAILABLE');
  });

  it('an answer compressed anyway (gzip, deflate wrapped or raw, br) is decoded, and one in another charset that it names; a coding it cannot decode is PROVIDER_UNAVAILABLE', async () => {
    for (const path of ['/gzip', '/deflate', '/deflate-raw', '/br']) {
      const response = await callProvider('Compressed', `${origin}${path}`, { method: 'GET', headers: JSON_ACCEPT, timeoutMs: 2000 });
      expect([path, response.text]).toEqual([path, COMPRESSED_ORDER]);
    }
    const latin1 = await callProvider('Latin-1', `${origin}/latin1`, { method: 'GET', headers: JSON_ACCEPT, timeoutMs: 2000 });
    expect(JSON.parse(latin1.text)).toEqual({ buyer: 'Jón Þórsson' });
    // Named no charset, bytes that cannot be UTF-8 are ISO-8859-1 (windows-1252); valid UTF-8 stays UTF-8 (/order above is labelled, /bare is not).
    const unlabelled = await callProvider('Latin-1', `${origin}/latin1-unlabelled`, { method: 'GET', headers: JSON_ACCEPT, timeoutMs: 2000 });
    expect(JSON.parse(unlabelled.text)).toEqual({ reference: 'Pöntun-þæð' });
    const unknown = await failure('Compressed', `${origin}/zstd`, { method: 'GET', headers: JSON_ACCEPT, timeoutMs: 2000 });
    expect((unknown as GatewayError).code).toBe('PROVIDER_UNAVAILABLE');
  });

  it('returns a redirect as it is and does not follow it', async () => {
    const before = hits.get('/order') ?? 0;
    const response = await callProvider('Redirecting', `${origin}/moved`, { method: 'POST', body: '{}', headers: JSON_ACCEPT, timeoutMs: 2000 });
    expect(response.status).toBe(302);
    expect(hits.get('/order') ?? 0).toBe(before);
  });

  it('a provider that accepts the request and never answers: PROVIDER_UNAVAILABLE within the bound, maybe sent', async () => {
    const error = await failure('Silent', `${origin}/silent`, { method: 'POST', body: '{}', headers: JSON_ACCEPT, timeoutMs: BOUND_MS });
    expect(error).toBeInstanceOf(GatewayError);
    expect((error as GatewayError).code).toBe('PROVIDER_UNAVAILABLE');
    expect(surelyNotSent(error)).toBe(false);
    expect(providerFinished(error)).toBe(false);
  });

  it('a provider that stalls in the middle of its body: PROVIDER_UNAVAILABLE within the bound, maybe sent', async () => {
    const error = await failure('Stalling', `${origin}/stalls`, { method: 'POST', body: '{}', headers: JSON_ACCEPT, timeoutMs: BOUND_MS });
    expect((error as GatewayError).code).toBe('PROVIDER_UNAVAILABLE');
    expect(surelyNotSent(error)).toBe(false);
    expect(providerFinished(error)).toBe(false);
  });

  it('a body of no declared length is read whole, piece by piece', async () => {
    const response = await callProvider('Chunked', `${origin}/chunked`, { method: 'GET', headers: JSON_ACCEPT, timeoutMs: 5000 });
    const orders = (JSON.parse(response.text) as { orders: { id: string; buyer: string }[] }).orders;
    expect(orders).toHaveLength(2000);
    expect(orders[1999]).toEqual({ id: 'ord-1999', buyer: 'Jón Þórsson' });
  });

  it('an answer that never ends, or declares more than any answer holds, fails on its size long before the bound: PROVIDER_UNAVAILABLE, maybe sent', async () => {
    for (const route of ['/endless', '/declares-huge']) {
      const error = await failure('Flooding', `${origin}${route}`, { method: 'POST', body: '{}', headers: JSON_ACCEPT, timeoutMs: 60_000 });
      expect((error as GatewayError).code).toBe('PROVIDER_UNAVAILABLE');
      // Its size ended it, not the minute's bound.
      expect(String((error as Error).cause)).toMatch(/an answer larger than \d+ bytes/);
      expect(surelyNotSent(error)).toBe(false);
      expect(providerFinished(error)).toBe(false);
    }
  });

  it("a proxy's 502 is not the provider's answer; a 503 is", async () => {
    const proxy = await failure('Proxied', `${origin}/proxy-down`, { method: 'POST', body: '{}', headers: JSON_ACCEPT, timeoutMs: 2000 });
    expect((proxy as GatewayError).code).toBe('PROVIDER_UNAVAILABLE');
    expect(providerFinished(proxy)).toBe(false);
    const busy = await failure('Busy', `${origin}/busy`, { method: 'POST', body: '{}', headers: JSON_ACCEPT, timeoutMs: 2000 });
    expect(providerFinished(busy)).toBe(true);
  });

  it("sends the observers' headers and ends each attempt's span once", async () => {
    const ends: ProviderCallEnd[] = [];
    const stop = observeProviderCalls({
      start(_call, headers) {
        headers['x-request-id'] = 'req-observed';
        return { end: (result) => ends.push(result) };
      },
    });
    try {
      await callProvider('Observed', `${origin}/order`, { method: 'GET', headers: JSON_ACCEPT, timeoutMs: 2000 });
      await failure('Observed', `${origin}/busy`, { method: 'POST', body: '{}', headers: JSON_ACCEPT, timeoutMs: 2000 });
      await failure('Observed', `${origin}/silent`, { method: 'POST', body: '{}', headers: JSON_ACCEPT, timeoutMs: BOUND_MS });
    } finally {
      stop();
    }
    expect(seenHeaders.at(-1)).toMatchObject({ 'x-request-id': 'req-observed', 'user-agent': 'node' });
    expect(ends).toHaveLength(3);
    expect(ends[0]).toEqual({ status: 200 });
    expect(ends[1]).toMatchObject({ status: 503 });
    expect(ends[1]?.error).toBeInstanceOf(Error);
    expect(ends[2]?.status).toBeUndefined();
    expect((ends[2]?.error as Error).name).toBe('TimeoutError');
  });
});

describe('provider connections', () => {
  it('are kept alive: every answer, error answers included, is read to the end and frees its connection', async () => {
    let connections = 0;
    const { server, origin } = await listen((req, res) => {
      if (req.url === '/busy') res.writeHead(503, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'busy', detail: 'x'.repeat(LARGE_BODY_BYTES) }));
      else res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
    server.on('connection', () => connections++);
    const rounds = 10;
    try {
      for (let round = 0; round < rounds; round++) {
        await callProvider('KeptAlive', `${origin}/ok`, { method: 'GET', headers: JSON_ACCEPT, timeoutMs: 2000 });
        await failure('KeptAlive', `${origin}/busy`, { method: 'POST', body: '{}', headers: JSON_ACCEPT, timeoutMs: 2000 });
      }
      // An unread body would hold its connection: one new connection per call. undici may open a
      // second one while the first is being handed back, never more for calls one after another.
      expect(connections).toBeLessThanOrEqual(2);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
