import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { IntergiroSandboxOrder } from '../../src/providers/intergiro/sandbox.js';
import { INTERGIRO_API_KEY, type IntergiroSandbox } from './gateway.js';

/** How many orders the Intergiro sandbox holds, asked over its own REST API. */
export async function intergiroOrderCount(sandbox: IntergiroSandbox): Promise<number> {
  const response = await fetch(`${sandbox.url}/v1/order`, { headers: { authorization: `Bearer ${INTERGIRO_API_KEY}`, accept: 'application/json' } });
  if (!response.ok) throw new Error(`sandbox list failed: ${response.status}`);
  return ((await response.json()) as unknown[]).length;
}

/** The buyer opens the payment link and clicks Pay / Fail / Cancel, over real HTTP. */
export async function buyerUsesLink(link: string, outcome: 'pay' | 'fail' | 'cancel', form: Record<string, string> = {}): Promise<Response> {
  const page = await fetch(link);
  if (!page.ok) throw new Error(`link page answered ${page.status}`);
  const url = new URL(link);
  return fetch(`${url.origin}${url.pathname}/${outcome}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form).toString(),
    redirect: 'manual',
  });
}

/**
 * Another merchant system talking to Intergiro directly (not through the gateway): one call to
 * the sandbox's REST API with the API key. Throws unless it answers 2xx.
 */
export async function intergiroRest<T = unknown>(sandbox: IntergiroSandbox, method: 'POST' | 'PATCH' | 'GET', path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${sandbox.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${INTERGIRO_API_KEY}`,
      accept: 'application/json',
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`sandbox ${method} ${path} answered ${response.status}: ${text}`);
  return JSON.parse(text) as T;
}

/** Creates an order straight at the sandbox (POST /v1/order), as a system other than the gateway would. */
export function createOrderAtIntergiro(sandbox: IntergiroSandbox, creatable: Record<string, unknown>): Promise<IntergiroSandboxOrder> {
  return intergiroRest<IntergiroSandboxOrder>(sandbox, 'POST', '/v1/order', creatable);
}

/** POSTs a body to the gateway's Intergiro callback route, as Intergiro (or a forger) would. */
export async function postIntergiroCallback(gatewayUrl: string, body: string, contentType = 'application/jwt'): Promise<{ status: number; text: string }> {
  const response = await fetch(`${gatewayUrl}/webhooks/intergiro`, { method: 'POST', headers: { 'content-type': contentType }, body });
  return { status: response.status, text: await response.text() };
}

/** One request the gateway sent to Intergiro, as the proxy saw it. */
export interface ProxiedRequest {
  method: string;
  /** Path and query, e.g. "/v1/order?start=2026-01-01". */
  path: string;
  contentType: string | undefined;
  body: string;
}

export interface IntergiroProxy {
  /** Give this to the gateway as its Intergiro URL. */
  readonly url: string;
  /** Every request forwarded so far, oldest first. */
  readonly requests: ProxiedRequest[];
  /**
   * Runs with each of Intergiro's answers before the gateway gets it; the gateway waits meanwhile.
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
 * A transparent HTTP proxy in front of the Intergiro sandbox. Pointing a gateway at it (config
 * `intergiro.url`) shows what the gateway really sends upstream (how many PATCHes, which body)
 * without touching either side; callbacks still go from the sandbox straight to the gateway.
 */
export async function startIntergiroProxy(target: string): Promise<IntergiroProxy> {
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
        for (const name of ['authorization', 'accept', 'content-type']) {
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
  const proxy: IntergiroProxy = {
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
