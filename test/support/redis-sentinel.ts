import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { startOnFreePort } from './free-port.js';
import { authArgs, spawnRedis, stopServer, type RedisAuth } from './redis-server.js';
import { TLS_CA, TLS_FILES, tlsServerArgs } from './redis-tls.js';

export interface SentinelGroup {
  /** REDIS_SENTINELS as an operator writes it, and the master's name (REDIS_SENTINEL_NAME). */
  sentinels: string;
  name: string;
  /** The port of the server Sentinel calls master now. */
  masterPort(): Promise<number>;
  /**
   * SIGSTOPs the replica (SIGCONT with `false`): it holds its connection but takes nothing from
   * the master, as a replica stuck on a slow disk or network would, so writes acknowledged by the
   * master alone are on no other machine.
   */
  freezeReplica(frozen: boolean): Promise<void>;
  /** SIGKILLs the current master (a crash: nothing flushed, no goodbye to the replica). */
  killMaster(): Promise<number>;
  /** Resolves once Sentinel names another master than `oldPort` (bounded). */
  failedOver(oldPort: number): Promise<number>;
  /** Starts a server on `port` again, as a replica of the current master (a repaired machine). */
  rejoinAsReplica(port: number): Promise<void>;
  /** Resolves once the master has `count` replicas online (bounded). */
  replicasOnline(count: number): Promise<void>;
  stop(): Promise<void>;
}

const NAME = 'gateway';
const TIMEOUT_MS = 30_000;

export interface SentinelGroupOptions {
  /**
   * The master and the replica password-protected (and with an ACL user, if given); the replica
   * and Sentinel reach the master with `auth.password` (masterauth, `sentinel auth-pass`).
   */
  auth?: RedisAuth;
  /** The Sentinel's own `requirepass`: a client must AUTH to ask it for the master. */
  sentinelPassword?: string;
  /** Without the replica (default with): a group that only names its master starts seconds sooner. */
  replica?: boolean;
  /**
   * TLS only, every server and the Sentinel (redis-tls.ts), replication and Sentinel's own
   * connections to them too: a client must speak TLS to both and trust the test CA.
   */
  tls?: boolean;
}

/**
 * One master, one replica and one Sentinel, all real redis-server processes on free local
 * ports (Sentinel is `redis-server <conf> --sentinel`: Debian ships no separate binary we need).
 * Sentinel calls the master down after 1 s without an answer and fails over on its own (quorum 1).
 */
export async function startSentinelGroup(options: SentinelGroupOptions = {}): Promise<SentinelGroup> {
  const { auth, sentinelPassword, replica = true, tls = false } = options;
  const tlsCa = tls ? TLS_CA : undefined;
  const dir = mkdtempSync(join(tmpdir(), 'gateway-redis-sentinel-'));
  const servers = new Map<number, ChildProcess>();
  let sentinel: ChildProcess | undefined;
  const data = ['--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, ...authArgs(auth), ...(tls ? ['--tls-replication', 'yes'] : [])];
  const startData = async (port: number, replicaOf?: number) => {
    const listen = tls ? tlsServerArgs(port) : ['--port', String(port)];
    servers.set(port, await spawnRedis(port, [...listen, ...data, ...(replicaOf ? ['--replicaof', '127.0.0.1', String(replicaOf)] : [])], { tlsCa }));
  };
  const stop = async () => {
    await Promise.all([...servers.values(), ...(sentinel ? [sentinel] : [])].map((child) => stopServer(child)));
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const masterPort = await startOnFreePort((port) => startData(port));
    if (replica) await startOnFreePort((port) => startData(port, masterPort));
    const sentinelConfig = (sentinelPort: number) =>
      [
        ...(tls
          ? [
              'port 0',
              `tls-port ${sentinelPort}`,
              `tls-cert-file ${TLS_FILES.cert}`,
              `tls-key-file ${TLS_FILES.key}`,
              `tls-ca-cert-file ${TLS_FILES.ca}`,
              'tls-auth-clients no',
              'tls-replication yes',
            ]
          : [`port ${sentinelPort}`]),
        'bind 127.0.0.1',
        `dir ${dir}`,
        `sentinel monitor ${NAME} 127.0.0.1 ${masterPort} 1`,
        `sentinel down-after-milliseconds ${NAME} 1000`,
        `sentinel failover-timeout ${NAME} 10000`,
        `sentinel parallel-syncs ${NAME} 1`,
        ...(auth ? [`sentinel auth-pass ${NAME} ${auth.password}`] : []),
        ...(sentinelPassword ? [`requirepass ${sentinelPassword}`] : []),
        '',
      ].join('\n');
    const config = join(dir, 'sentinel.conf');
    const sentinelPort = await startOnFreePort(async (port) => {
      // Sentinel rewrites its config file as it learns: a writable one of its own.
      writeFileSync(config, sentinelConfig(port));
      sentinel = await spawnRedis(port, [config, '--sentinel'], { tlsCa });
    });
    const withSentinel = <T>(use: (redis: Redis) => Promise<T>) => withNode(sentinelPort, sentinelPassword, tlsCa, use);
    const ask = () => withSentinel((redis) => redis.call('sentinel', 'get-master-addr-by-name', NAME) as Promise<[string, string]>);
    const group: SentinelGroup = {
      sentinels: `127.0.0.1:${sentinelPort}`,
      name: NAME,
      masterPort: async () => Number((await ask())[1]),
      async killMaster() {
        const port = await group.masterPort();
        const child = servers.get(port);
        if (!child) throw new Error(`no server of ours on port ${port}`);
        await stopServer(child, 'SIGKILL');
        servers.delete(port);
        return port;
      },
      async freezeReplica(frozen) {
        const master = await group.masterPort();
        const replicas = [...servers].filter(([port]) => port !== master);
        for (const [, child] of replicas) child.kill(frozen ? 'SIGSTOP' : 'SIGCONT');
      },
      failedOver: (oldPort) => until(async () => (await group.masterPort()) !== oldPort, 'Sentinel did not fail over').then(() => group.masterPort()),
      async rejoinAsReplica(port) {
        await startData(port, await group.masterPort());
      },
      replicasOnline: async (count) => {
        const master = await group.masterPort();
        await until(async () => {
          const info = await withNode(master, auth?.password, tlsCa, (redis) => redis.info('replication'));
          const online = info.split('\n').filter((line) => /^slave\d+:.*state=online/.test(line)).length;
          return online >= count;
        }, `the master did not get ${count} replica(s) online`);
      },
      stop,
    };
    if (!replica) {
      await until(async () => (await group.masterPort()) === masterPort, 'Sentinel does not name the master');
      return group;
    }
    await group.replicasOnline(1);
    // Sentinel must know the replica before it can promote it.
    await until(async () => {
      const replicas = (await withSentinel((redis) => redis.call('sentinel', 'replicas', NAME))) as unknown[];
      return replicas.length >= 1;
    }, 'Sentinel did not discover the replica');
    return group;
  } catch (error) {
    await stop();
    throw error;
  }
}

async function withNode<T>(port: number, password: string | undefined, tlsCa: string | undefined, use: (redis: Redis) => Promise<T>): Promise<T> {
  const redis = new Redis(port, '127.0.0.1', {
    maxRetriesPerRequest: 1,
    lazyConnect: true,
    retryStrategy: () => null,
    ...(password ? { password } : {}),
    ...(tlsCa ? { tls: { ca: tlsCa } } : {}),
  });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    return await use(redis);
  } finally {
    redis.disconnect();
  }
}

async function until(check: () => Promise<boolean>, failure: string): Promise<void> {
  const deadline = Date.now() + TIMEOUT_MS;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(failure);
    await sleep(100);
  }
}
