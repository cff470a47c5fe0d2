import { spawn, type ChildProcess } from 'node:child_process';
import { Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from './free-port.js';

export interface RedisServer {
  url: string;
  port: number;
  /** Stops the server (SIGTERM, then SIGKILL if it lingers). */
  stop(): Promise<void>;
  /**
   * Stops the server and starts a fresh one on the same port, so clients reconnect to the same
   * URL. The data is gone afterwards unless the server is `persistent`. `whileDown` runs between
   * the stop and the start (the store dropped while something is under way).
   */
  restart(whileDown?: () => Promise<void>): Promise<void>;
}

/** How long a starting server may take to answer PING. */
const READY_TIMEOUT_MS = 10_000;
/** How long a stopping server may take to exit before it is killed. */
const STOP_TIMEOUT_MS = 5_000;

// Servers still running when the test process exits (a crashed or interrupted run) are killed,
// so no redis-server outlives the tests.
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

export interface RedisServerOptions {
  /**
   * Keep the data across `restart()`: an append-only file, fsynced on every write, in a private
   * temp dir (removed by `stop()`), so even a killed server loses nothing acknowledged.
   */
  persistent?: boolean;
  /** Password-protected (requirepass, and an ACL user if given); `url` carries no credentials. */
  auth?: RedisAuth;
}

/**
 * A password-protected server: `requirepass` for Redis' `default` user (also what a replica gives
 * its master, `masterauth`, and what the test helpers connect with) and, with `user`, an ACL user
 * with every right besides it: a gateway connects as that user with REDIS_USERNAME.
 */
export interface RedisAuth {
  password: string;
  user?: { name: string; password: string };
}

/** redis-server arguments that protect a server with `auth` (none without). */
export function authArgs(auth: RedisAuth | undefined): string[] {
  if (!auth) return [];
  const user = auth.user ? ['--user', auth.user.name, 'on', `>${auth.user.password}`, '~*', '&*', '+@all'] : [];
  return ['--requirepass', auth.password, '--masterauth', auth.password, ...user];
}

/** Starts a throwaway `redis-server` on a free local port, without persistence unless asked. */
export async function startRedisServer(options: RedisServerOptions = {}): Promise<RedisServer> {
  const dataDir = options.persistent ? mkdtempSync(join(tmpdir(), 'gateway-redis-')) : undefined;
  // Another process can take the free port between probing and binding; try a few ports.
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    try {
      let child = await spawnServer(port, dataDir, options.auth);
      return {
        url: `redis://127.0.0.1:${port}`,
        port,
        stop: async () => {
          await stopServer(child);
          if (dataDir) rmSync(dataDir, { recursive: true, force: true });
        },
        async restart(whileDown) {
          await stopServer(child);
          try {
            await whileDown?.();
          } finally {
            child = await spawnServer(port, dataDir, options.auth);
          }
        },
      };
    } catch (error) {
      if (error instanceof RedisNotInstalledError) throw error;
      lastError = error;
    }
  }
  throw lastError;
}

class RedisNotInstalledError extends Error {
  constructor() {
    super('redis-server not found: apt-get install -y redis-server');
    this.name = 'RedisNotInstalledError';
  }
}

async function spawnServer(port: number, dataDir?: string, auth?: RedisAuth): Promise<ChildProcess> {
  const persistence = dataDir
    ? ['--save', '', '--appendonly', 'yes', '--appendfsync', 'always', '--dir', dataDir]
    : // No RDB/AOF files, and any file Redis insists on writing goes to the temp dir, not the repo.
      ['--save', '', '--appendonly', 'no', '--dir', tmpdir()];
  return spawnRedis(port, ['--port', String(port), '--bind', '127.0.0.1', ...persistence, ...authArgs(auth)]);
}

/**
 * Starts `redis-server` with `args` (a config file first for a sentinel) and resolves once it
 * answers PING on `port`; killed when the test process exits. For the cluster and Sentinel
 * helpers (redis-cluster.ts, redis-sentinel.ts).
 */
export async function spawnRedis(port: number, args: string[], options: { tlsCa?: string } = {}): Promise<ChildProcess> {
  const child = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);

  // Set from the child's events while the loop below polls.
  const start: { failure: Error | null } = { failure: null };
  child.once('error', (error: NodeJS.ErrnoException) => {
    start.failure = error.code === 'ENOENT' ? new RedisNotInstalledError() : error;
  });
  child.once('exit', (code, signal) => {
    running.delete(child);
    start.failure ??= new Error(`redis-server on port ${port} exited (${signal ?? code}) during start:\n${output}`);
  });
  running.add(child);

  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (start.failure) throw start.failure;
    if (await answersPing(port, options.tlsCa)) return child;
    if (Date.now() > deadline) {
      await stopServer(child);
      throw new Error(`redis-server on port ${port} did not answer PING within ${READY_TIMEOUT_MS} ms:\n${output}`);
    }
    await sleep(20);
  }
}

/**
 * One PING over a raw socket (TLS trusting `tlsCa` when given): true on +PONG, or -NOAUTH from a
 * protected server; false on anything else (not up yet).
 */
function answersPing(port: number, tlsCa?: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = tlsCa ? tlsConnect({ port, host: '127.0.0.1', ca: tlsCa }, () => socket.write('PING\r\n')) : new Socket();
    let reply = '';
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.once('error', () => done(false));
    socket.on('data', (chunk) => {
      reply += chunk.toString();
      if (reply.includes('\r\n')) done(reply.startsWith('+PONG') || reply.startsWith('-NOAUTH'));
    });
    if (!tlsCa) socket.connect(port, '127.0.0.1', () => socket.write('PING\r\n'));
  });
}

/** SIGTERM (SIGKILL with `kill`, as a crash), then SIGKILL if it lingers; resolves once it exited. */
export async function stopServer(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
  running.delete(child);
}
