/**
 * Starting and stopping a sandbox's node:http server: listen on `port` (default a free one) and
 * `host` (default loopback), work out the base URL clients and pages use, and close without
 * waiting for keep-alive connections.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SandboxListen } from '../../providers/context.js';
import type { FaultPlan } from './faults.js';

/** A host a client can connect to: a wildcard address is not one, loopback is. */
function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '::') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}

/** Listens as `where` says and resolves with the server's base URL (no trailing slash). */
export async function listen(server: Server, where: SandboxListen): Promise<string> {
  const host = where.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(where.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return (where.publicUrl ?? `http://${urlHost(host)}:${port}`).replace(/\/$/, '');
}

/** Stops listening and drops open connections, so close() does not wait for idle keep-alives. */
export function stopServer(server: Server): Promise<void> {
  return new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

const requestListeners = new Set<(request: IncomingMessage) => void>();

/**
 * Lets a test see every request a sandbox receives, headers included (e.g. that the gateway sent
 * its `x-request-id`), before the sandbox handles it; tell sandboxes apart by
 * `request.socket.localPort`. Returns the function that stops listening.
 */
export function onSandboxRequest(listener: (request: IncomingMessage) => void): () => void {
  requestListeners.add(listener);
  return () => requestListeners.delete(listener);
}

export interface SandboxRequestHandler {
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
}

export interface RunningSandboxServer<Core> {
  url: string;
  core: Core;
  /** Runs the sandbox's `beforeStop`, then stops the server; later calls share the first close. */
  close(): Promise<void>;
}

/**
 * Starts a sandbox whose request handler needs its own base URL: `createCore` runs once the port
 * (and so the URL) is known, and requests arriving before that are answered 503.
 */
export async function startSandboxServer<Core extends SandboxRequestHandler>(
  where: SandboxListen,
  createCore: (url: string) => Core,
  beforeStop: () => void,
  /** Faults on demand (kit/faults.ts), applied before the core sees a request. */
  faults?: FaultPlan,
): Promise<RunningSandboxServer<Core>> {
  // Set once the port (and so the base URL) is known; the request listener reads it before then.
  // eslint-disable-next-line prefer-const
  let core: Core | undefined;
  const server = createServer((req, res) => {
    for (const listener of requestListeners) listener(req);
    if (core === undefined) {
      res.writeHead(503).end();
      return;
    }
    const handler = core;
    if (faults === undefined) return void handler.handle(req, res);
    void faults.intercept(req, res).then(
      (taken) => (taken ? undefined : handler.handle(req, res)),
      () => res.destroy(),
    );
  });
  const url = await listen(server, where);
  const running = createCore(url);
  core = running;
  let closing: Promise<void> | undefined;
  return {
    url,
    core: running,
    close: () => {
      if (closing === undefined) {
        beforeStop();
        closing = stopServer(server);
      }
      return closing;
    },
  };
}
