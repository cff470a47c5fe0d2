import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface BareProcess {
  url: string;
  stop(): Promise<void>;
}

const script = fileURLToPath(new URL('./bare-server.ts', import.meta.url));

/** Starts bare-server.ts as its own process (like the gateway), answering `body`. */
export async function startBareServer(body: string): Promise<BareProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    env: { PATH: process.env.PATH ?? '', BARE_BODY: body },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`bare server exited (${code})`)));
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
