import { createServer, type IncomingMessage } from 'node:http';
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { Agent, request } from 'undici';
import { listenAndPrintPort } from './listen-and-print-port.js';

/**
 * The floor for createOrder: a bare node:http server in its own process doing only the I/O a
 * creation that moves money once cannot skip, the way the gateway does it, and nothing else (no
 * GraphQL, no auth, no validation, no mapping):
 *
 * 1. one Redis write before the provider call (the creation's intent, SET NX with a lifetime);
 * 2. the provider call (undici `request` on a keep-alive pool, the body the harness gives it);
 * 3. one Redis script after it (writes the order, deletes the intent);
 * 4. a JSON answer.
 *
 * The harness POSTs `{"path": ..., "body": ...}` (the request the gateway sent upstream for the
 * same kind of order). FLOOR_REDIS_URL, FLOOR_PROVIDER_URL and FLOOR_PROVIDER_AUTHORIZATION
 * configure it. Prints its port on stdout.
 */
const redis = new Redis(process.env.FLOOR_REDIS_URL ?? 'redis://127.0.0.1:6379', { enableAutoPipelining: true });
const providerUrl = process.env.FLOOR_PROVIDER_URL ?? 'http://127.0.0.1:4001';
const authorization = process.env.FLOOR_PROVIDER_AUTHORIZATION ?? '';
const agent = new Agent({ keepAliveTimeout: 30_000 });
const STORE = "redis.call('HSET', KEYS[1], 'data', ARGV[1]); redis.call('DEL', KEYS[2]); return 1";

async function create(incoming: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of incoming) chunks.push(chunk as Buffer);
  const { path, body } = JSON.parse(Buffer.concat(chunks).toString()) as { path: string; body: string };
  const id = randomUUID();
  await redis.set(`floor:intent:${id}`, body, 'PX', 60_000, 'NX');
  const upstream = await request(`${providerUrl}${path}`, {
    method: 'POST',
    dispatcher: agent,
    headers: { authorization, accept: 'application/json', 'content-type': 'application/json' },
    body,
  });
  const order = (await upstream.body.json()) as { id?: string };
  if (upstream.statusCode >= 300) throw new Error(`provider answered ${upstream.statusCode}`);
  await redis.eval(STORE, 2, `floor:order:${id}`, `floor:intent:${id}`, JSON.stringify(order));
  return JSON.stringify({ data: { createOrder: { id, status: 'PENDING', providerOrderId: order.id ?? null } } });
}

const server = createServer((incoming, response) => {
  create(incoming).then(
    (answer) => {
      response.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
      response.end(answer);
    },
    (error: unknown) => {
      response.writeHead(502, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ error: error instanceof Error ? error.message : String(error) }));
    },
  );
});
listenAndPrintPort(server);
process.once('SIGTERM', () => {
  redis.disconnect();
  void agent.close();
  server.close(() => process.exit(0));
});
