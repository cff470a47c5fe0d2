import { rmSync } from 'node:fs';
import { TEST_LOG_DIR } from './test-logs.js';

/** vitest globalSetup: each run starts with no logs from the last one, so the scan reads this run's only. */
export default function setup(): void {
  rmSync(TEST_LOG_DIR, { recursive: true, force: true });
}
