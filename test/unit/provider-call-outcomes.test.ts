/**
 * What a failed provider call says about the request (providers/http.ts), over real HTTP to a
 * local server: surely not sent (a refused connection, an open breaker), answered by the provider
 * (a 503: it has finished with the request), or neither (a reset after the request was written:
 * it may have taken effect and may still be running).
 */
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { providerFinished, surelyNotSent } from '../../src/domain/errors.js';
import { freePort } from '../support/free-port.js';
import { callFailure } from '../support/provider-calls.js';

const post = { method: 'POST' as const, body: '{}', headers: { accept: 'application/json' }, timeoutMs: 2000 };

const failure = (url: string, provider: string): Promise<unknown> => callFailure(provider, url, post);

describe('a failed provider call says whether it was sent', () => {
  let server: Server;
  let origin: string;

  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === '/reset') {
        req.socket.destroy();
        return;
      }
      res.writeHead(503, { 'content-type': 'application/json' }).end('{"error":"busy"}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    if (!address || typeof address === 'string') throw new Error('no port');
    origin = `http://127.0.0.1:${address.port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('a refused connection: surely not sent', async () => {
    const error = await failure(`http://127.0.0.1:${await freePort()}/v1/order`, 'Refusing');
    expect(surelyNotSent(error)).toBe(true);
    expect(providerFinished(error)).toBe(false);
  });

  it('a 503: sent, and the provider has finished with it', async () => {
    const error = await failure(`${origin}/busy`, 'Busy');
    expect(surelyNotSent(error)).toBe(false);
    expect(providerFinished(error)).toBe(true);
  });

  it('a reset after the request was written: neither', async () => {
    const error = await failure(`${origin}/reset`, 'Resetting');
    expect(surelyNotSent(error)).toBe(false);
    expect(providerFinished(error)).toBe(false);
  });

  it('an open breaker refuses without a call: surely not sent', async () => {
    let refused: unknown;
    // Failures in a row open the origin's breaker (5 by default); the next call is refused before any request.
    for (let attempt = 0; attempt < 20 && !refused; attempt++) {
      const error = await failure(`${origin}/busy`, 'Opening');
      if (surelyNotSent(error)) refused = error;
    }
    expect(refused).toBeDefined();
    expect(String((refused as Error).cause)).toMatch(/circuit open/);
  });

  it('best-effort reads are tried once, never open the breaker, and are not made while it is open', async () => {
    const read = { method: 'GET' as const, headers: { accept: 'application/json' }, timeoutMs: 2000, bestEffort: true };
    const hits = { count: 0 };
    server.on('request', () => (hits.count += 1));
    // Far more failed best-effort reads than open a breaker: the next ordinary call still goes out.
    for (let attempt = 0; attempt < 8; attempt++) expect(providerFinished(await callFailure('BestEffort', `${origin}/busy`, read))).toBe(true);
    expect(hits.count).toBe(8);
    expect(surelyNotSent(await failure(`${origin}/busy`, 'BestEffort'))).toBe(false);
    // Once ordinary calls have opened it, a best-effort read is refused without a request.
    for (let attempt = 0; attempt < 20; attempt++) if (surelyNotSent(await failure(`${origin}/busy`, 'BestEffort'))) break;
    const before = hits.count;
    expect(surelyNotSent(await callFailure('BestEffort', `${origin}/busy`, read))).toBe(true);
    expect(hits.count).toBe(before);
  });
});
