import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { freePort } from './free-port.js';
import { keepChildOutput, recordSecretsOfEnv } from './test-logs.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** The line src/sandboxes-main.ts ends its banner with, once every sandbox listens. */
const READY_LINE = 'Provider sandboxes ready';

export interface SandboxesProcess {
  child: ChildProcess;
  /** The `NAME=value` lines it printed for the gateway, by name. */
  printed: Record<string, string>;
  output(): string;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
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
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.once('close', () => keepChildOutput(child.pid, output));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const deadline = Date.now() + 20_000;
  while (!output.includes(READY_LINE)) {
    if (child.exitCode !== null) throw new Error(`the sandboxes process exited early:\n${output}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the sandboxes process did not become ready:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const printed = Object.fromEntries([...output.matchAll(/^([A-Z][A-Z0-9_]*)=(.*)$/gm)].map((match) => [match[1]!, match[2]!]));
  return {
    child,
    printed,
    output: () => output,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null) child.kill(signal);
      return exited;
    },
  };
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
