import { execFile, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { freePort } from './free-port.js';
import { authArgs, spawnRedis, stopServer, type RedisAuth } from './redis-server.js';
import { TLS_CA, TLS_FILES, tlsServerArgs } from './redis-tls.js';

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

export interface RedisClusterOptions {
  /** Every node password-protected (and with an ACL user, if given): the gateway must AUTH. */
  auth?: RedisAuth;
  /** TLS only (redis-tls.ts), the cluster bus too: a client must speak TLS and trust the test CA. */
  tls?: boolean;
}

/**
 * A real Redis Cluster of `masters` redis-server processes (no replicas) on free local ports,
 * joined with `redis-cli --cluster create`, resolved once every node reports cluster_state:ok.
 */
export async function startRedisCluster(masters = 3, options: RedisClusterOptions = {}): Promise<RedisCluster> {
  const { auth, tls = false } = options;
  const dir = mkdtempSync(join(tmpdir(), 'gateway-redis-cluster-'));
  const children: ChildProcess[] = [];
  const nodes: { host: string; port: number }[] = [];
  try {
    for (let index = 0; index < masters; index++) {
      const { child, port } = await spawnNode(dir, { auth, tls });
      children.push(child);
      nodes.push({ host: '127.0.0.1', port });
    }
    await promisify(execFile)('redis-cli', [
      '--cluster', 'create', ...nodes.map(({ host, port }) => `${host}:${port}`),
      '--cluster-replicas', '0', '--cluster-yes',
      ...(tls ? ['--tls', '--cacert', TLS_FILES.ca] : []),
      // The password through the environment: `-a` would make redis-cli warn about it on stderr.
    ], { env: { ...process.env, ...(auth ? { REDISCLI_AUTH: auth.password } : {}) } });
    await untilEveryNode(nodes, { auth, tls }, (info) => info.includes('cluster_state:ok'));
  } catch (error) {
    await Promise.all(children.map((child) => stopServer(child)));
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    nodes,
    seeds: nodes.map(({ host, port }) => `${host}:${port}`).join(','),
    keysPerMaster: (prefix) => Promise.all(nodes.map((node) => withNode(node, { auth, tls }, (redis) => countKeys(redis, prefix)))),
    async stop() {
      await Promise.all(children.map((child) => stopServer(child)));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

type NodeAccess = { auth: RedisAuth | undefined; tls: boolean };

/**
 * One cluster node on two free ports, its own and its bus's (set, not port + 10000, which may be
 * past 65535 for an ephemeral port), never one port for both. Two probes can draw the same port,
 * and another process can take a probed one before redis-server binds it: a full run once saw a
 * node's bus fail on the node's own port ("Address already in use"), so a few pairs are tried.
 */
async function spawnNode(dir: string, { auth, tls }: NodeAccess): Promise<{ child: ChildProcess; port: number }> {
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    let busPort = await freePort();
    while (busPort === port) busPort = await freePort();
    try {
      const child = await spawnRedis(port, [
        ...(tls ? [...tlsServerArgs(port), '--tls-cluster', 'yes'] : ['--port', String(port)]),
        '--bind', '127.0.0.1',
        '--cluster-enabled', 'yes',
        '--cluster-port', String(busPort),
        '--cluster-config-file', join(dir, `nodes-${port}.conf`),
        '--cluster-node-timeout', '2000',
        '--save', '',
        '--appendonly', 'no',
        '--dir', dir,
        ...authArgs(auth),
      ], tls ? { tlsCa: TLS_CA } : {});
      return { child, port };
    } catch (error) {
      lastError = error;
      if (!String(error).includes('Address already in use')) throw error;
    }
  }
  throw lastError;
}

async function withNode<T>(node: { host: string; port: number }, { auth, tls }: NodeAccess, use: (redis: Redis) => Promise<T>): Promise<T> {
  const redis = new Redis(node.port, node.host, {
    maxRetriesPerRequest: 1,
    lazyConnect: true,
    ...(auth ? { password: auth.password } : {}),
    ...(tls ? { tls: { ca: TLS_CA } } : {}),
  });
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

async function untilEveryNode(nodes: { host: string; port: number }[], access: NodeAccess, ok: (clusterInfo: string) => boolean): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    const infos = await Promise.all(nodes.map((node) => withNode(node, access, (redis) => redis.cluster('INFO') as Promise<string>)));
    if (infos.every(ok)) return;
    if (Date.now() > deadline) throw new Error(`the Redis Cluster did not become ready:\n${infos.join('\n')}`);
    await sleep(100);
  }
}
