import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the gateway sent upstream, as the proxy saw it. */
export interface ProxiedRequest {
  method: string;
  /** Path and query, e.g. "/v1/order?start=2026-01-01". */
  path: string;
  contentType: string | undefined;
  body: string;
}

export interface RecordingProxy {
  /** Give this to the gateway as the provider's base URL. */
  readonly url: string;
  /** Every request forwarded so far, oldest first. */
  readonly requests: ProxiedRequest[];
  /**
   * Runs with each of the provider's answers before the gateway gets it; the gateway waits meanwhile.
   * Lets a test hold an answer back (e.g. until a callback has overtaken it). Null: pass at once.
   */
  beforeAnswer: ((request: ProxiedRequest, answer: { status: number; body: string }) => Promise<void>) | null;
  /** The forwarded requests with this method whose path (without the query) is `path`. */
  requestsTo(method: string, path: string): ProxiedRequest[];
  close(): Promise<void>;
}

async function readAll(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * A transparent HTTP proxy in front of a provider sandbox. Pointing a gateway at it (e.g. config
 * `intergiro.url`) shows what the gateway really sends upstream (how many calls, which body)
 * without touching either side; callbacks still go from the sandbox straight to the gateway.
 */
export async function startRecordingProxy(target: string): Promise<RecordingProxy> {
  const requests: ProxiedRequest[] = [];
  const server = createServer((req, res) => {
    void (async () => {
      const controller = new AbortController();
      res.on('close', () => controller.abort());
      try {
        const body = await readAll(req);
        const recorded: ProxiedRequest = { method: req.method ?? 'GET', path: req.url ?? '/', contentType: req.headers['content-type'], body };
        requests.push(recorded);
        const headers: Record<string, string> = {};
        for (const name of ['authorization', 'accept', 'content-type', 'authentication-token']) {
          const value = req.headers[name];
          if (typeof value === 'string') headers[name] = value;
        }
        const upstream = await fetch(`${target}${recorded.path}`, {
          method: recorded.method,
          headers,
          ...(body.length > 0 ? { body } : {}),
          signal: controller.signal,
        });
        const answer = { status: upstream.status, body: await upstream.text() };
        await proxy.beforeAnswer?.(recorded, answer).catch(() => undefined);
        res.writeHead(answer.status, { 'content-type': upstream.headers.get('content-type') ?? 'application/octet-stream' });
        res.end(answer.body);
      } catch {
        res.destroy();
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const proxy: RecordingProxy = {
    url: `http://127.0.0.1:${port}`,
    requests,
    beforeAnswer: null,
    requestsTo: (method, path) => requests.filter((request) => request.method === method && request.path.split('?')[0] === path),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
  return proxy;
}

/**
 * Rewrites the 2xx JSON answers of the requests matching `matching` (tested against
 * `"<METHOD> <path>"`) while `run` runs: `rewrite` changes the parsed answer in place, or returns
 * a string to send as the body instead. The provider has done what was asked either way.
 */
export async function rewriteAnswers<T>(
  proxy: RecordingProxy,
  matching: RegExp,
  rewrite: (request: ProxiedRequest, json: any) => unknown,
  run: () => Promise<T>,
): Promise<T> {
  proxy.beforeAnswer = async (request, answer) => {
    if (!matching.test(`${request.method} ${request.path}`) || answer.status >= 300) return;
    const json: unknown = JSON.parse(answer.body);
    const instead = rewrite(request, json);
    answer.body = typeof instead === 'string' ? instead : JSON.stringify(json);
  };
  try {
    return await run();
  } finally {
    proxy.beforeAnswer = null;
  }
}
