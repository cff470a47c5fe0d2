import { createServer } from 'node:http';
import { Redis } from 'ioredis';
import { WebSocketServer, type WebSocket } from 'ws';
import { listenAndPrintPort } from './listen-and-print-port.js';

/**
 * The floor for fan-out: a bare node:http + ws process doing only the I/O of a webhook that
 * reaches every subscriber of an order, and nothing else (no JWT check, no GraphQL, no domain):
 *
 * - graphql-ws' handshake as the harness speaks it (`connection_ack`; each `subscribe` gets a
 *   snapshot `next` at once, `previousStatus: null`);
 * - `POST /webhooks/intergiro` (a signed Intergiro order, read, not verified): one Redis write of
 *   the body and a PUBLISH of the order's id, then 200 once the write is acknowledged;
 * - every PUBLISH that comes back over the Redis subscription (as it would to every instance) is
 *   sent to each subscriber of that order as one `next` frame.
 *
 * The subscriptions' `orderId` is the Intergiro order id here. FLOOR_REDIS_URL configures it.
 * Prints its port on stdout.
 */
const redisUrl = process.env.FLOOR_REDIS_URL ?? 'redis://127.0.0.1:6379';
const redis = new Redis(redisUrl, { enableAutoPipelining: true });
const subscriber = new Redis(redisUrl);
const CHANNEL = 'floor:changes';
const watchers = new Map<string, { socket: WebSocket; id: string }[]>();

const frame = (id: string, previousStatus: string | null, status: string): string =>
  JSON.stringify({ id, type: 'next', payload: { data: { orderStatusChanged: { eventId: `${id}-${status}`, previousStatus, status, source: 'WEBHOOK', final: false } } } });

subscriber.on('message', (_channel: string, orderId: string) => {
  for (const { socket, id } of watchers.get(orderId) ?? []) socket.send(frame(id, 'PENDING', 'PAID'));
});

const server = createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    const body = Buffer.concat(chunks).toString();
    let orderId = '';
    try {
      orderId = String((JSON.parse(Buffer.from(body.split('.')[1] ?? '', 'base64url').toString()) as { id?: unknown }).id ?? '');
    } catch {
      // Not a JWT: answered 400 below.
    }
    if (request.method !== 'POST' || request.url !== '/webhooks/intergiro' || !orderId) {
      response.writeHead(400);
      response.end();
      return;
    }
    redis
      .multi()
      .set(`floor:order:${orderId}`, body)
      .publish(CHANNEL, orderId)
      .exec()
      .then(
        () => {
          response.writeHead(200, { 'content-type': 'application/json' });
          response.end('{"received":true}');
        },
        () => {
          response.writeHead(503);
          response.end();
        },
      );
  });
});

const sockets = new WebSocketServer({ server, path: '/graphql' });
sockets.on('connection', (socket) => {
  socket.on('message', (data: Buffer) => {
    const message = JSON.parse(data.toString()) as { type: string; id?: string; payload?: { variables?: { orderId?: string } } };
    if (message.type === 'connection_init') socket.send(JSON.stringify({ type: 'connection_ack' }));
    const orderId = message.payload?.variables?.orderId;
    if (message.type !== 'subscribe' || message.id === undefined || !orderId) return;
    let list = watchers.get(orderId);
    if (!list) watchers.set(orderId, (list = []));
    list.push({ socket, id: message.id });
    socket.send(frame(message.id, null, 'PENDING'));
  });
  socket.on('close', () => {
    for (const [orderId, list] of watchers) watchers.set(orderId, list.filter((watcher) => watcher.socket !== socket));
  });
});

void subscriber.subscribe(CHANNEL).then(() => listenAndPrintPort(server));
process.once('SIGTERM', () => {
  redis.disconnect();
  subscriber.disconnect();
  sockets.close();
  server.close(() => process.exit(0));
  server.closeAllConnections();
});
