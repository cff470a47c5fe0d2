import { createServer, type ServerResponse } from 'node:http';
import { Redis } from 'ioredis';
import { listenAndPrintPort } from './listen-and-print-port.js';

/**
 * The yardstick for the read benchmark: a bare node:http server in its own process that reads
 * the request body and answers the gateway's exact response body (BARE_BODY), as fast as Node
 * can. Prints its port on stdout.
 *
 * With BARE_REDIS_URL it first reads one field from Redis per request (auto-pipelined, as the
 * gateway's client): the one thing a never-stale answer cache cannot skip (the order's version
 * as the store has it now). That is the floor for a cached read, not a gateway.
 */
const body = Buffer.from(process.env.BARE_BODY ?? '{}');
const redis = process.env.BARE_REDIS_URL ? new Redis(process.env.BARE_REDIS_URL, { enableAutoPipelining: true }) : undefined;

function answer(response: ServerResponse): void {
  response.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': body.length });
  response.end(body);
}

const server = createServer((request, response) => {
  request.on('data', () => undefined);
  request.on('end', () => {
    if (!redis) return answer(response);
    redis.hget('bare:order', 'version').then(
      () => answer(response),
      () => {
        response.writeHead(503);
        response.end();
      },
    );
  });
});
listenAndPrintPort(server);
process.once('SIGTERM', () => {
  redis?.disconnect();
  server.close(() => process.exit(0));
});
