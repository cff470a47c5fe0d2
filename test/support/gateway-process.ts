import { spawn, type ChildProcess } from 'node:child_process';
import { get } from 'node:http';
import { freePort } from './free-port.js';
import { fileURLToPath } from 'node:url';
import { watchUntilReady, type WatchedChild } from './child-process.js';
import { keepChildOutput, recordSecretsOfEnv } from './test-logs.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

export interface GatewayProcess extends WatchedChild {
  url: string;
}

/** How the process runs the gateway: `npm start`'s way (tsx) or `npm run start:built`'s (dist/, built first). */
export type GatewayRunner = 'tsx' | 'built';

const COMMANDS: Record<GatewayRunner, string[]> = {
  tsx: ['--import', 'tsx', 'src/main.ts'],
  built: ['--enable-source-maps', 'dist/main.mjs'],
};

/** The gateway with only PATH from this environment, logging at debug level unless told. */
function spawnGateway(env: Record<string, string>, runner: GatewayRunner = 'tsx'): ChildProcess {
  recordSecretsOfEnv(env);
  // GATEWAY_BUNDLE (in this process): another build than dist/ for 'built', to compare two side by side.
  const command = runner === 'built' && process.env.GATEWAY_BUNDLE ? ['--enable-source-maps', process.env.GATEWAY_BUNDLE] : COMMANDS[runner];
  return spawn(process.execPath, command, {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'debug', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Runs `src/main.ts` with `env` until it exits on its own (a start that must fail); bounded. */
export async function runGatewayProcess(env: Record<string, string>, timeoutMs = 20_000): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawnGateway(env);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const code = await new Promise<number | null>((resolve) => child.once('close', (exitCode) => resolve(exitCode)));
  clearTimeout(timer);
  keepChildOutput(child.pid, `${stdout}${stderr}`);
  return { code, stdout, stderr };
}

/**
 * A second gateway as its own OS process (`tsx src/main.ts`), configured only by environment;
 * resolved once `/health/ready` answers 200, or with `until: 'live'` once it answers at all
 * (a gateway whose store cannot take writes is meant never to be ready).
 */
export async function startGatewayProcess(env: Record<string, string>, runner: GatewayRunner = 'tsx', until: 'ready' | 'live' = 'ready'): Promise<GatewayProcess> {
  // A PORT in `env` is kept (a peer started first was told where the gateway will be).
  const port = env.PORT ? Number(env.PORT) : await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawnGateway({ PORT: String(port), PUBLIC_URL: url, ...env }, runner);
  const watched = await watchUntilReady(child, 'gateway', () => answersOk(`${url}/health/${until}`));
  return { url, ...watched };
}

/**
 * Whether a GET answers 2xx, on a connection of its own that is closed after it: fetch would keep
 * the probe's socket, and the test's next request, seconds later on a busy machine, could be sent
 * on it just as the gateway closes it for idleness ("other side closed").
 */
function answersOk(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    get(url, { agent: false }, (response) => {
      response.resume();
      resolve(response.statusCode !== undefined && response.statusCode >= 200 && response.statusCode < 300);
    }).on('error', () => resolve(false)); // not listening yet
  });
}
