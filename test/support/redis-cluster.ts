import { execFile, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { freePort } from './free-port.js';
import { spawnRedis, stopServer } from './redis-server.js';

export interface RedisCluster {
  /** The masters' addresses (REDIS_CLUSTER_NODES takes any of them as seeds). */
  nodes: { host: string; port: number }[];
  /** REDIS_CLUSTER_NODES as an operator writes it. */
  seeds: string;
  /** How many keys starting with `prefix` each master holds, in `nodes` order. */
  keysPerMaster(prefix: string): Promise<number[]>;
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 20_000;

/**
 * A real Redis Cluster of `masters` redis-server processes (no replicas) on free local ports,
 * joined with `redis-cli --cluster create`, resolved once every node reports cluster_state:ok.
 */
export async function startRedisCluster(masters = 3): Promise<RedisCluster> {
  const dir = mkdtempSync(join(tmpdir(), 'gateway-redis-cluster-'));
  const children: ChildProcess[] = [];
  const nodes: { host: string; port: number }[] = [];
  try {
    for (let index = 0; index < masters; index++) {
      const port = await freePort();
      // The bus port is set, not port + 10000, which may be past 65535 for an ephemeral port.
      const busPort = await freePort();
      children.push(
        await spawnRedis(port, [
          '--port', String(port),
          '--bind', '127.0.0.1',
          '--cluster-enabled', 'yes',
          '--cluster-port', String(busPort),
          '--cluster-config-file', join(dir, `nodes-${port}.conf`),
          '--cluster-node-timeout', '2000',
          '--save', '',
          '--appendonly', 'no',
          '--dir', dir,
        ]),
      );
      nodes.push({ host: '127.0.0.1', port });
    }
    await promisify(execFile)('redis-cli', [
      '--cluster', 'create', ...nodes.map(({ host, port }) => `${host}:${port}`),
      '--cluster-replicas', '0', '--cluster-yes',
    ]);
    await untilEveryNode(nodes, (info) => info.includes('cluster_state:ok'));
  } catch (error) {
    await Promise.all(children.map((child) => stopServer(child)));
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    nodes,
    seeds: nodes.map(({ host, port }) => `${host}:${port}`).join(','),
    keysPerMaster: (prefix) => Promise.all(nodes.map((node) => withNode(node, (redis) => countKeys(redis, prefix)))),
    async stop() {
      await Promise.all(children.map((child) => stopServer(child)));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function withNode<T>(node: { host: string; port: number }, use: (redis: Redis) => Promise<T>): Promise<T> {
  const redis = new Redis(node.port, node.host, { maxRetriesPerRequest: 1, lazyConnect: true });
  try {
    await redis.connect();
    return await use(redis);
  } finally {
    redis.disconnect();
  }
}

async function countKeys(redis: Redis, prefix: string): Promise<number> {
  let count = 0;
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    cursor = next;
    count += keys.length;
  } while (cursor !== '0');
  return count;
}

async function untilEveryNode(nodes: { host: string; port: number }[], ok: (clusterInfo: string) => boolean): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    const infos = await Promise.all(nodes.map((node) => withNode(node, (redis) => redis.cluster('INFO') as Promise<string>)));
    if (infos.every(ok)) return;
    if (Date.now() > deadline) throw new Error(`the Redis Cluster did not become ready:\n${infos.join('\n')}`);
    await sleep(100);
  }
}
