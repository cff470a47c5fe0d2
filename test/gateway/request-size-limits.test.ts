import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { MAX_FRAME_AFTER_INIT_BYTES, MAX_FRAME_BEFORE_INIT_BYTES } from '../../src/server/graphql-ws.js';
import { MAX_REQUEST_BODY_BYTES } from '../../src/server/request-body-limit.js';
import { memoryGatewaySuite } from '../support/gateway.js';
import { openRawSocket } from '../support/ws-raw.js';

/*
 * Memory before authentication (issue 16): a client that has shown no token must not make the
 * gateway hold more than a few KB. Before connection_init a graphql-ws frame over 16 KiB closes the
 * socket with 1009 from its header alone; after it, frames up to an operation's size pass. A
 * `/graphql` body is bounded by real operations (256 KiB), and one declared bigger is refused
 * before it is read, its connection closed.
 */

const FRAME_BYTES = 64 * 1024 * 1024;

/** Opens a raw WebSocket (graphql-transport-ws) by hand, so a frame can be streamed without holding it. */
async function upgradedSocket(port: number): Promise<{ socket: Socket; received: Buffer[] }> {
  const socket = connect(port, '127.0.0.1');
  const received: Buffer[] = [];
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.once('connect', () => {
      socket.write(
        [
          'GET /graphql HTTP/1.1',
          `Host: 127.0.0.1:${port}`,
          'Upgrade: websocket',
          'Connection: Upgrade',
          `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}`,
          'Sec-WebSocket-Version: 13',
          'Sec-WebSocket-Protocol: graphql-transport-ws',
          '',
          '',
        ].join('\r\n'),
      );
    });
    socket.on('data', (chunk: Buffer) => {
      received.push(chunk);
      if (Buffer.concat(received).includes('\r\n\r\n')) resolve();
    });
  });
  socket.on('error', () => undefined); // the server cutting us off mid-frame is the point
  return { socket, received };
}

/** A masked text frame's header (client to server) declaring `length` bytes of payload. */
function frameHeader(length: number): Buffer {
  const header = Buffer.alloc(14);
  header[0] = 0x81; // FIN, text
  header[1] = 0x80 | 127; // masked, 64-bit length
  header.writeBigUInt64BE(BigInt(length), 2);
  randomBytes(4).copy(header, 10);
  return header;
}

/** The close code in the server's close frame (unmasked), if one arrived after the handshake. */
function closeCodeOf(received: Buffer[]): number | undefined {
  const all = Buffer.concat(received);
  const frames = all.subarray(all.indexOf('\r\n\r\n') + 4);
  const at = frames.indexOf(0x88);
  return at >= 0 && frames.length >= at + 4 ? frames.readUInt16BE(at + 2) : undefined;
}

/** Streams `total` bytes of payload in 1 MiB writes of one reused buffer until the server stops reading. */
async function stream(socket: Socket, total: number): Promise<number> {
  const chunk = Buffer.alloc(1024 * 1024, 0x61);
  let sent = 0;
  while (sent < total && !socket.destroyed && socket.writable) {
    const flushed = socket.write(chunk);
    sent += chunk.length;
    if (!flushed) {
      await new Promise<void>((resolve) => {
        socket.once('drain', resolve);
        socket.once('close', resolve);
      });
    }
  }
  return sent;
}

describe('request size limits', () => {
  const suite = memoryGatewaySuite('orders:read', 'size-limits');

  it('closes an unauthenticated socket sending a huge frame with 1009, without buffering it', async () => {
    global.gc?.();
    const before = process.memoryUsage().rss;
    const { socket, received } = await upgradedSocket(suite.gateway.port);
    socket.write(frameHeader(FRAME_BYTES));
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    void stream(socket, FRAME_BYTES);
    await closed;
    expect(closeCodeOf(received)).toBe(1009);
    // Nothing near the frame's size was held (the gateway runs in this process).
    expect(process.memoryUsage().rss - before).toBeLessThan(FRAME_BYTES / 2);
  });

  it('closes with 1009 a pre-init frame just over the small limit; after connection_init an operation-sized frame passes', async () => {
    const big = 'x'.repeat(MAX_FRAME_BEFORE_INIT_BYTES * 4);
    expect(big.length).toBeLessThan(MAX_FRAME_AFTER_INIT_BYTES);

    // Before init: a connection_init padded past the small limit.
    const padded = await upgradedSocket(suite.gateway.port);
    const init = Buffer.from(JSON.stringify({ type: 'connection_init', payload: { Authorization: `Bearer ${suite.token}`, pad: big } }));
    const mask = Buffer.alloc(4); // a zero mask leaves the payload as it is
    const header = frameHeader(init.length);
    mask.copy(header, 10);
    const closed = new Promise<void>((resolve) => padded.socket.once('close', () => resolve()));
    padded.socket.write(Buffer.concat([header, init]));
    await closed;
    expect(closeCodeOf(padded.received)).toBe(1009);

    // After init: the same size passes (unused variables are ignored), and one over the operation limit does not.
    const socket = openRawSocket(suite.gateway.url, suite.token);
    await socket.acked;
    socket.send({ type: 'subscribe', id: 'padded', payload: { query: '{ __typename }', variables: { pad: big } } });
    expect((await socket.waitFor('padded', 'next')).payload).toEqual({ data: { __typename: 'Query' } });
    socket.send({ type: 'subscribe', id: 'huge', payload: { query: '{ __typename }', variables: { pad: 'x'.repeat(MAX_FRAME_AFTER_INIT_BYTES) } } });
    expect((await socket.closed).code).toBe(1009);
  });

  it('refuses a /graphql body declared over the limit before reading it, and closes the connection', async () => {
    const socket = connect(suite.gateway.port, '127.0.0.1');
    const received: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => received.push(chunk));
    const ended = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    socket.on('error', () => undefined);
    socket.write(
      ['POST /graphql HTTP/1.1', 'Host: gateway', 'Content-Type: application/json', `Content-Length: ${20_000_000}`, '', '{"query":"{ __typename'].join('\r\n'),
    );
    // The rest of the 20 MB never comes: the answer and the close must not wait for it.
    await ended;
    const answer = Buffer.concat(received).toString('utf8');
    expect(answer).toMatch(/^HTTP\/1\.1 413 /);
    expect(answer.toLowerCase()).toContain('connection: close');
    expect(answer).toContain('REQUEST_ENTITY_TOO_LARGE');
  });

  it('answers a body of an operation within the limit, and refuses one just over it', async () => {
    const post = (pad: string) =>
      fetch(`${suite.gateway.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${suite.token}` },
        body: JSON.stringify({ query: '{ __typename }', variables: { pad } }),
      });
    expect(await (await post('x'.repeat(100_000))).json()).toEqual({ data: { __typename: 'Query' } });
    expect((await post('x'.repeat(MAX_REQUEST_BODY_BYTES))).status).toBe(413);
  });
});
