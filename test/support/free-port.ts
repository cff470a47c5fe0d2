import { createServer } from 'node:net';

/*
 * Ports for the servers the tests start (gateways, sandboxes, redis-server). A port the OS hands
 * out for listen(0) comes from its ephemeral range (32768-60999 on Linux), the same range every
 * outgoing connection takes its local port from: between the probe and the real bind, one of the
 * tests' many client connections could take it (EADDRINUSE, seen once in a full run). So a port
 * is drawn at random below that range and probed on every interface, as a gateway binds; only
 * when none is found there does the OS choose.
 */
const LOW = 20_000;
const HIGH = 32_000;
const TRIES = 20;

/** Binds `port` (0: any) on every interface and releases it; the port bound, or null when taken. */
async function probe(port: number): Promise<number | null> {
  const server = createServer();
  const bound = await new Promise<boolean>((resolve) => {
    server.once('error', () => resolve(false));
    server.listen(port, () => resolve(true));
  });
  if (!bound) return null;
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return address !== null && typeof address !== 'string' ? address.port : null;
}

/** A TCP port free on every interface right now (bound and released), outside the ephemeral range when it can be. */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < TRIES; attempt++) {
    const port = await probe(LOW + Math.floor(Math.random() * (HIGH - LOW)));
    if (port !== null) return port;
  }
  const port = await probe(0);
  if (port === null) throw new Error('could not find a free port');
  return port;
}

/**
 * Starts a server on a free port and answers the port: drawn again, a few times, when something
 * took the port between the probe and the server's own bind ("Address already in use"), the race
 * a probe cannot close.
 */
export async function startOnFreePort(start: (port: number) => Promise<unknown>): Promise<number> {
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    try {
      await start(port);
      return port;
    } catch (error) {
      lastError = error;
      if (!String(error).includes('Address already in use')) throw error;
    }
  }
  throw lastError;
}
