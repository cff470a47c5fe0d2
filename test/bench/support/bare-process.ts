import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface BareProcess {
  url: string;
  stop(): Promise<void>;
}

const bareServer = fileURLToPath(new URL('./bare-server.ts', import.meta.url));
const floorCreateServer = fileURLToPath(new URL('./floor-create-server.ts', import.meta.url));
const floorFanOutServer = fileURLToPath(new URL('./floor-fan-out-server.ts', import.meta.url));

/**
 * Starts bare-server.ts as its own process (like the gateway), answering `body`; with `redisUrl`,
 * after one Redis read per request (the floor of a never-stale cached read).
 */
export function startBareServer(body: string, options: { redisUrl?: string } = {}): Promise<BareProcess> {
  return startScript(bareServer, { BARE_BODY: body, ...(options.redisUrl ? { BARE_REDIS_URL: options.redisUrl } : {}) });
}

/** Starts floor-create-server.ts as its own process: the I/O of a money-once creation, nothing else. */
export function startFloorCreateServer(options: { redisUrl: string; providerUrl: string; providerAuthorization: string }): Promise<BareProcess> {
  return startScript(floorCreateServer, {
    FLOOR_REDIS_URL: options.redisUrl,
    FLOOR_PROVIDER_URL: options.providerUrl,
    FLOOR_PROVIDER_AUTHORIZATION: options.providerAuthorization,
  });
}

/** Starts floor-fan-out-server.ts as its own process: a webhook's store write and publish, then one frame per subscriber. */
export function startFloorFanOutServer(options: { redisUrl: string }): Promise<BareProcess> {
  return startScript(floorFanOutServer, { FLOOR_REDIS_URL: options.redisUrl });
}

async function startScript(script: string, env: Record<string, string>): Promise<BareProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${script} exited (${code})`)));
    child.stdout.once('data', (chunk: Buffer) => resolve(Number(chunk.toString().trim())));
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    url: `http://127.0.0.1:${port}`,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
