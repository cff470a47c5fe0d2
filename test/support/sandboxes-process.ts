import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { freePort } from './free-port.js';
import { watchUntilReady, type WatchedChild } from './child-process.js';
import { recordSecretsOfEnv } from './test-logs.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** The line src/sandboxes-main.ts ends its banner with, once every sandbox listens. */
const READY_LINE = 'Provider sandboxes ready';

export interface SandboxesProcess extends WatchedChild {
  /** The `NAME=value` lines it printed for the gateway, by name. */
  printed: Record<string, string>;
}


const COMMANDS = {
  /** `npm run sandboxes`'s way. */
  tsx: ['--import', 'tsx', 'src/sandboxes-main.ts'],
  /** The compose service's command (dist/, built first). */
  built: ['--enable-source-maps', 'dist/sandboxes-main.mjs'],
};

/** The provider sandboxes as their own OS process, configured only by `env` (PATH aside). */
export async function startSandboxesProcess(env: Record<string, string>, runner: keyof typeof COMMANDS = 'tsx'): Promise<SandboxesProcess> {
  // The log scan after the suite looks for these values: the process must never print them.
  recordSecretsOfEnv(env);
  const child = spawn(process.execPath, COMMANDS[runner], { cwd: root, env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const watched = await watchUntilReady(child, 'sandboxes', (output) => output.includes(READY_LINE));
  const printed = Object.fromEntries([...watched.output().matchAll(/^([A-Z][A-Z0-9_]*)=(.*)$/gm)].map((match) => [match[1]!, match[2]!]));
  return { ...watched, printed };
}

async function isFree(port: number): Promise<boolean> {
  const server = createServer();
  return new Promise<boolean>((resolve) => {
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** The first of `count` consecutive ports free on 127.0.0.1 right now (the sandboxes want six in a row). */
export async function freePortRun(count: number): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const first = await freePort();
    if (first + count - 1 > 65_535) continue;
    let free = true;
    for (let port = first + 1; free && port < first + count; port++) free = await isFree(port);
    if (free) return first;
  }
  throw new Error(`no ${count} consecutive free ports found`);
}
