/**
 * Found by the chaos suite: while redis-server restarted, a fresh createOrder / applyOrderEvents
 * sometimes hung for two minutes and then succeeded. Its idempotency claim (SET NX) had been
 * written, the reply was lost with the connection, ioredis re-sent the command after reconnecting,
 * and the copy found the key "taken": the request then waited out its own claim
 * (IN_PROGRESS_TTL_MS). Reproduced here exactly: a real redis-server behind a TCP relay that drops
 * the connection in place of the SET NX reply.
 */
import { createServer, connect, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fingerprintOf, IdempotencyKeys } from '../../src/domain/idempotency.js';
import { createRedisStore } from '../../src/store/redis.js';
import type { Store } from '../../src/store/types.js';
import { startRedisServer, type RedisServer } from '../support/redis-server.js';

/** A TCP relay to Redis that, when armed, swallows the reply to the next SET ... NX and drops that connection. */
async function startReplyDropper(target: number): Promise<{ url: string; armed: boolean; dropped: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const relay = {
    url: '',
    armed: false,
    dropped: 0,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
  const server: Server = createServer((client) => {
    const upstream = connect(target, '127.0.0.1');
    sockets.add(client).add(upstream);
    let dropNextReply = false;
    client.on('data', (chunk: Buffer) => {
      const text = chunk.toString('latin1');
      if (relay.armed && /\bSET\b/i.test(text) && /\bNX\b/i.test(text)) {
        relay.armed = false;
        dropNextReply = true;
      }
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      if (!dropNextReply) return void client.write(chunk);
      // Redis has carried the command out; its answer is lost on the way back.
      relay.dropped += 1;
      client.destroy();
      upstream.destroy();
    });
    const end = (): void => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  relay.url = `redis://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return relay;
}

describe('an idempotency claim whose SET NX reply was lost (ioredis re-sends it)', () => {
  let redis: RedisServer;
  let dropper: Awaited<ReturnType<typeof startReplyDropper>>;
  let store: Store;

  beforeAll(async () => {
    redis = await startRedisServer();
    dropper = await startReplyDropper(redis.port);
    store = createRedisStore({ url: dropper.url, onError: () => undefined });
    await store.kv.set('warm-up', '1'); // connected before the relay is armed
  });
  afterAll(async () => {
    await store?.close();
    await dropper?.close();
    await redis?.stop();
  });

  it('is recognised as the request\'s own claim at once, not waited out as another request\'s', async () => {
    let waits = 0;
    const keys = new IdempotencyKeys(store.kv, async () => {
      waits += 1;
      throw new Error('the claim waited for a request in progress: its own');
    });
    const scope = { caller: 'shop', operation: 'createOrder', key: 'lost-reply', field: 'input.idempotencyKey' };
    dropper.armed = true;
    const claim = await keys.claim(scope, fingerprintOf({ amount: '1.00' }));
    expect(dropper.dropped).toBe(1);
    expect(waits).toBe(0);
    expect(claim.state).toBe('claimed');
    if (claim.state !== 'claimed') return;
    await claim.complete('"first result"');
    // A repeat of the request gets the first result; a second claim never ran the work twice.
    expect(await keys.claim(scope, fingerprintOf({ amount: '1.00' }))).toEqual({ state: 'done', result: '"first result"' });
  });

  it("another request's claim in progress is still waited for", async () => {
    const scope = { caller: 'shop', operation: 'createOrder', key: 'in-progress', field: 'input.idempotencyKey' };
    const first = await new IdempotencyKeys(store.kv).claim(scope, fingerprintOf({ amount: '2.00' }));
    if (first.state !== 'claimed') throw new Error('the first request could not claim its key');
    let waits = 0;
    const second = new IdempotencyKeys(store.kv, async () => {
      waits += 1;
      await first.complete('"done by the first"');
    });
    expect(await second.claim(scope, fingerprintOf({ amount: '2.00' }))).toEqual({ state: 'done', result: '"done by the first"' });
    expect(waits).toBe(1);
  });
});
