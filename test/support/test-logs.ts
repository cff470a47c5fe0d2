import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { providerSecrets, type ProviderConfigs } from '../../src/config.js';
import { createLogger, type Logger } from '../../src/log.js';

/**
 * Everything the gateways of a test run log, kept for `scripts/scan-test-logs.ts` (issue 7: the
 * suite's logs hold no secret, card token or national id). Cleared at the start of each run by
 * test/support/global-setup.ts; gitignored. `TEST_LOG_DIR` puts it elsewhere (runs side by side
 * in one checkout would otherwise clear each other's logs).
 *
 *   <pid>.ndjson         the debug-level log of every in-process gateway of one vitest worker
 *   child-<pid>.log      stdout and stderr of one gateway child process (gateway-process.ts)
 *   <pid>.secrets        the secrets that worker's test setup used, one per line, for the scan
 */
export const TEST_LOG_DIR = process.env.TEST_LOG_DIR ?? fileURLToPath(new URL('../.logs/', import.meta.url));

let shared: Logger | undefined;

/**
 * The test gateways' default logger: everything at debug level, to one file per worker. Written
 * synchronously: a worker may be ended without a chance to flush a buffer, and a lost line would be
 * a line the scan never saw.
 */
export function testLogger(): Logger {
  shared ??= createLogger({
    level: 'debug',
    destination: pino.destination({ dest: join(TEST_LOG_DIR, `${process.pid}.ndjson`), sync: true, mkdir: true }),
  });
  return shared;
}

/** Tells the scan about secrets this worker's setup chose (random sandbox credentials included). */
export function recordSecrets(values: Iterable<string | undefined>): void {
  const lines = [...values].filter((value): value is string => typeof value === 'string' && value.length >= 6);
  if (!lines.length) return;
  mkdirSync(TEST_LOG_DIR, { recursive: true });
  appendFileSync(join(TEST_LOG_DIR, `${process.pid}.secrets`), `${lines.join('\n')}\n`);
}

/** Environment variables holding a credential (REDIS_PASSWORD, REDIS_SENTINEL_PASSWORD too); a URL is an address, even PEI_TOKEN_URL's. */
const SECRET_NAME = /SECRET|TOKEN|KEY|PASSWORD/;

/** The credentials in an environment: the secret-named variables, and the password a URL carries (`redis://:<it>@host`). */
export function secretsOfEnv(env: Record<string, string>): string[] {
  return Object.entries(env).flatMap(([name, value]) => {
    if (!name.endsWith('_URL')) return SECRET_NAME.test(name) ? [value] : [];
    const password = URL.canParse(value) ? new URL(value).password : '';
    return password ? [decodeURIComponent(password)] : [];
  });
}

/** Tells the scan about the credentials in a child process's environment. */
export function recordSecretsOfEnv(env: Record<string, string>): void {
  recordSecrets(secretsOfEnv(env));
}

/** The credentials in provider configs (the sandboxes' own, random per start unless given). */
export function secretsOf(configs: ProviderConfigs): string[] {
  return providerSecrets(configs);
}

/** A line that is only a JWT, or `export TOKEN=<JWT>`: the dev token `npm start` prints for people, on purpose. */
const DEV_TOKEN_LINE = /^(export TOKEN=)?eyJ[\w-]+\.[\w-]+\.[\w-]+$/gm;

/** Keeps a gateway child process's whole output (its dev-token banner lines masked). */
export function keepChildOutput(childPid: number | undefined, output: string): void {
  mkdirSync(TEST_LOG_DIR, { recursive: true });
  appendFileSync(join(TEST_LOG_DIR, `child-${childPid ?? 'unknown'}.log`), output.replace(DEV_TOKEN_LINE, '$1[dev token, printed on purpose]'));
}
