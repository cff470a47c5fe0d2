import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import { WATCH_ORDER } from './documents.js';

/** One subscription's view: the order it watches and when each change (not the snapshot) arrived. */
export interface Watcher {
  orderId: string;
  /** performance.now() of every change message after the snapshot, with its status. */
  changes: { at: number; status: string }[];
  snapshot: boolean;
}

export interface SubscriberPool {
  watchers: Watcher[];
  /** Resolves once every watcher has its snapshot (its subscription is live). */
  ready(timeoutMs: number): Promise<void>;
  /** Resolves once `count` watchers of these orders have a change (or the time is up). */
  close(): Promise<void>;
}

/**
 * Many graphql-ws subscriptions over a few sockets (graphql-ws multiplexes), spoken directly over
 * `ws` instead of through the graphql-ws client: the harness process must stay cheap per message,
 * so it timestamps a message as it arrives and parses only what it needs.
 */
export async function openSubscribers(options: {
  url: string;
  token: string;
  /** One entry per subscription: the order it watches. */
  orderIds: readonly string[];
  perSocket: number;
}): Promise<SubscriberPool> {
  const watchers: Watcher[] = options.orderIds.map((orderId) => ({ orderId, changes: [], snapshot: false }));
  const sockets: WebSocket[] = [];
  let snapshots = 0;
  const waiters = new Set<() => void>();
  const wsUrl = `${options.url.replace(/^http/, 'ws')}/graphql`;

  for (let first = 0; first < watchers.length; first += options.perSocket) {
    const group = watchers.slice(first, first + options.perSocket);
    const socket = new WebSocket(wsUrl, 'graphql-transport-ws');
    sockets.push(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.once('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: { Authorization: `Bearer ${options.token}` } })));
      socket.on('message', (data: WebSocket.RawData) => {
        const at = performance.now();
        const message = JSON.parse(data.toString()) as { type: string; id?: string; payload?: any };
        if (message.type === 'connection_ack') {
          resolve();
          return;
        }
        if (message.type === 'ping') {
          socket.send(JSON.stringify({ type: 'pong' }));
          return;
        }
        if (message.type === 'error') {
          console.error(`subscription ${message.id} failed: ${JSON.stringify(message.payload)}`);
          return;
        }
        if (message.type !== 'next' || message.id === undefined) return;
        const watcher = group[Number(message.id)];
        const change = message.payload?.data?.orderStatusChanged as { previousStatus: string | null; status: string } | undefined;
        if (!watcher || !change) return;
        if (change.previousStatus === null && !watcher.snapshot) {
          watcher.snapshot = true;
          snapshots++;
          for (const waiter of [...waiters]) waiter();
          return;
        }
        watcher.changes.push({ at, status: change.status });
      });
      socket.once('close', (code, reason) => reject(new Error(`socket closed ${code} ${reason.toString()}`)));
    });
    group.forEach((watcher, index) =>
      socket.send(
        JSON.stringify({ id: String(index), type: 'subscribe', payload: { query: WATCH_ORDER, variables: { orderId: watcher.orderId } } }),
      ),
    );
  }

  return {
    watchers,
    async ready(timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      while (snapshots < watchers.length) {
        if (Date.now() > deadline) throw new Error(`only ${snapshots} of ${watchers.length} subscriptions started within ${timeoutMs} ms`);
        await new Promise<void>((resolve) => {
          const wake = (): void => {
            waiters.delete(wake);
            resolve();
          };
          waiters.add(wake);
          setTimeout(wake, 200);
        });
      }
    },
    async close() {
      await Promise.all(
        sockets.map(
          (socket) =>
            new Promise<void>((resolve) => {
              if (socket.readyState === WebSocket.CLOSED) return resolve();
              socket.once('close', () => resolve());
              socket.close(1000);
            }),
        ),
      );
    },
  };
}

/** Polls until `done()` or the time is up; answers whether it got there. */
export async function until(done: () => boolean, timeoutMs: number, stepMs = 20): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, stepMs));
  }
  return true;
}
