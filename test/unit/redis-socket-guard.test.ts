/**
 * A socket that errors twice must not end the process (src/store/redis-socket-guard.ts). ioredis
 * listens to a connection's socket with `once('error')`: a TLS socket that got a certificate
 * failure and then the server's alert threw the second as an unhandled 'error' event, and a
 * gateway pointed at a TLS-only cluster without the CA exited (seen in CI, redis-tls.test.ts).
 * Here two errors are emitted on the live socket of a real connection: a URL client's, a cluster
 * node's, and behind Sentinel the master's and a sentinel's (the failover detector's subscriber);
 * each client then reconnects and answers again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Cluster, Redis } from 'ioredis';
import { connectRedis } from '../../src/store/redis-client.js';
import { startRedisCluster, type RedisCluster } from '../support/redis-cluster.js';
import { startRedisServer, type RedisServer } from '../support/redis-server.js';
import { startSentinelGroup, type SentinelGroup } from '../support/redis-sentinel.js';
import { eventually } from '../support/gateway.js';

/** Two errors on the connection's socket, as a TLS socket may emit them; whether emitting threw. */
function twoSocketErrors(connection: Redis): boolean {
  const stream = (connection as unknown as { stream: NodeJS.EventEmitter }).stream;
  try {
    stream.emit('error', new Error('certificate verify failed'));
    stream.emit('error', new Error('tlsv1 alert decode error'));
    return false;
  } catch {
    return true;
  }
}

describe('a Redis connection whose socket errors twice', () => {
  let server: RedisServer;
  let cluster: RedisCluster;
  let sentinel: SentinelGroup;
  beforeAll(async () => {
    [server, cluster, sentinel] = await Promise.all([startRedisServer(), startRedisCluster(3), startSentinelGroup({ replica: false })]);
  }, 60_000);
  afterAll(async () => {
    await Promise.all([server?.stop(), cluster?.stop(), sentinel?.stop()]);
  });

  it('a URL client: nothing is thrown, and it answers again after reconnecting', async () => {
    const { client } = connectRedis({ url: server.url }, false);
    const errors: unknown[] = [];
    client.on('error', (error) => errors.push(error));
    try {
      expect(await client.ping()).toBe('PONG');
      expect(twoSocketErrors(client as Redis)).toBe(false);
      expect(errors.length).toBeGreaterThan(0); // the first reached ioredis' own handler
      await eventually(async () => (await client.ping().catch(() => null)) === 'PONG', 10_000);
    } finally {
      client.disconnect();
    }
  });

  it('a cluster node: nothing is thrown, and the cluster answers again', async () => {
    const { client } = connectRedis({ clusterNodes: cluster.nodes }, false);
    client.on('error', () => undefined);
    try {
      await client.set('guard:key', '1');
      const node = (client as Cluster).nodes('master').find((candidate) => (candidate as unknown as { stream?: unknown }).stream);
      expect(node).toBeDefined();
      expect(twoSocketErrors(node!)).toBe(false);
      await eventually(async () => (await client.get('guard:key').catch(() => null)) === '1', 10_000);
    } finally {
      client.disconnect();
    }
  });

  it('behind Sentinel, the master\'s and a sentinel\'s: nothing is thrown, and the client answers again', async () => {
    const sentinels = sentinel.sentinels.split(',').map((entry) => ({ host: entry.split(':')[0]!, port: Number(entry.split(':')[1]) }));
    const { client } = connectRedis({ sentinels, sentinelName: sentinel.name }, false);
    client.on('error', () => undefined);
    const subscribed = new Promise((resolve) => client.once('failoverSubscribed', resolve));
    try {
      expect(await client.ping()).toBe('PONG');
      await subscribed;
      const detector = (client as unknown as { connector: { failoverDetector: { sentinels: { client: Redis }[] } } }).connector.failoverDetector;
      const watcher = detector.sentinels[0]!.client;
      watcher.on('error', () => undefined);
      expect(twoSocketErrors(watcher)).toBe(false);
      expect(twoSocketErrors(client as Redis)).toBe(false);
      await eventually(async () => (await client.ping().catch(() => null)) === 'PONG', 10_000);
    } finally {
      client.disconnect();
    }
  });
});
