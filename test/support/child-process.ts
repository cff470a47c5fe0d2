import type { ChildProcess } from 'node:child_process';
import { keepChildOutput } from './test-logs.js';

/** A child process of the tests, its output kept (and handed to the log scan when it closes). */
export interface WatchedChild {
  child: ChildProcess;
  output(): string;
  /** Signals it (default SIGTERM) unless it has exited; resolves with its exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/**
 * Collects `child`'s output and waits (bounded) until `ready` holds; a child that exits first or
 * takes too long is an error quoting what it printed. 40 s: on a CI machine loaded with other
 * suites a tsx gateway once took over 20 s to print anything at all.
 */
export async function watchUntilReady(child: ChildProcess, name: string, ready: (output: string) => Promise<boolean> | boolean, timeoutMs = 40_000): Promise<WatchedChild> {
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  // Everything it printed goes to the log scan after the suite (test-logs.ts).
  child.once('close', () => keepChildOutput(child.pid, output));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const deadline = Date.now() + timeoutMs;
  while (!(await ready(output))) {
    if (child.exitCode !== null) throw new Error(`the ${name} process exited early:\n${output}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the ${name} process did not become ready:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    child,
    output: () => output,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null) child.kill(signal);
      return exited;
    },
  };
}
