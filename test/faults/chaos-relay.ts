/**
 * The recording relay of the chaos suite: it stands at the PUBLIC_URL every gateway instance
 * advertises, so each provider's callbacks (Intergiro's signed callbacks, Dintero's checkout
 * callbacks, Pei's postbacks, Payway's purchase events) reach it first. Each is recorded and
 * forwarded, as it came (method, path and query, headers, body), to a live instance; 30 % of them
 * a second time a little later. The recorded callbacks are replayed at the end of the run.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Gateway } from '../../src/app.js';
import type { GatewayProcess } from '../support/gateway-process.js';

export const DUPLICATE_SHARE = 0.3;

/** One callback as a provider sent it. */
export interface Callback {
  method: string;
  /** Path and query, e.g. "/webhooks/dintero?transaction_id=...". */
  path: string;
  headers: Record<string, string>;
  body: string;
  /** When the provider sent it (epoch ms): a replay's signature may have aged past its tolerance. */
  receivedAt: number;
}

/**
 * The instances the relay and the clients may use; the child's entry changes when it is restarted.
 * Clients can be steered off the child before it is killed (see `drainChild`); the relay never is.
 */
export class Instances {
  inProcess!: Gateway;
  child: GatewayProcess | null = null;
  /** While set, clients no longer pick the child (a load balancer took it out of rotation). */
  private draining = false;
  /** Client requests under way, per instance URL. */
  private readonly busy = new Map<string, number>();

  urls(): string[] {
    return [this.inProcess.url, ...(this.child ? [this.child.url] : [])];
  }

  any(): string {
    const urls = this.urls();
    return urls[Math.floor(Math.random() * urls.length)]!;
  }

  /** Runs one client request on an instance the clients may use, counted while under way. */
  async forClient<T>(request: (url: string) => Promise<T>): Promise<T> {
    const url = this.draining ? this.inProcess.url : this.any();
    this.busy.set(url, (this.busy.get(url) ?? 0) + 1);
    try {
      return await request(url);
    } finally {
      this.busy.set(url, (this.busy.get(url) ?? 1) - 1);
    }
  }

  /**
   * Takes the child out of the clients' rotation and waits until no client request is under way
   * there (callbacks and its own reconciliation still are). Resolves with the child, now detached.
   */
  async drainChild(): Promise<GatewayProcess | null> {
    const child = this.child;
    this.draining = true;
    const deadline = Date.now() + 30_000;
    while (child && (this.busy.get(child.url) ?? 0) > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
    return this.detachChild();
  }

  /** Forgets the child (about to be killed); clients may use the next one again. */
  detachChild(): GatewayProcess | null {
    const child = this.child;
    this.child = null;
    this.draining = false;
    return child;
  }
}

export function shuffle<T>(items: T[]): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}

/** Hop-by-hop and framing headers are the relay's own business; everything else (signatures) passes. */
const NOT_FORWARDED = new Set(['host', 'connection', 'content-length', 'transfer-encoding', 'keep-alive']);

function forwardedHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (typeof value === 'string' && !NOT_FORWARDED.has(name)) kept[name] = value;
  }
  return kept;
}

/** Forwards a callback to a live instance; the status, or null when none could be reached. */
export async function forward(instances: Instances, callback: Callback): Promise<number | null> {
  for (const url of shuffle(instances.urls())) {
    try {
      const response = await fetch(`${url}${callback.path}`, {
        method: callback.method,
        headers: callback.headers,
        ...(callback.method === 'GET' || callback.method === 'HEAD' ? {} : { body: callback.body }),
        signal: AbortSignal.timeout(10_000),
      });
      await response.arrayBuffer();
      if (response.status < 500) return response.status;
    } catch {
      // that instance is down (killed, or restarting): try the next
    }
  }
  return null;
}

export interface Relay {
  url: string;
  /** Every callback received so far, oldest first. */
  callbacks: Callback[];
  close(): Promise<void>;
}

/**
 * Starts the relay. A callback no instance takes is answered 503, so the provider retries it (and
 * reconciliation covers one it gives up on).
 */
export async function startRelay(instances: Instances): Promise<Relay> {
  const callbacks: Callback[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const callback: Callback = {
        method: req.method ?? 'POST',
        path: req.url ?? '/',
        headers: forwardedHeaders(req.headers),
        body: Buffer.concat(chunks).toString('utf8'),
        receivedAt: Date.now(),
      };
      callbacks.push(callback);
      void forward(instances, callback).then((status) => {
        res.writeHead(status ?? 503).end();
        if (status !== null && Math.random() < DUPLICATE_SHARE) {
          setTimeout(() => void forward(instances, callback), Math.random() * 200);
        }
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    callbacks,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
