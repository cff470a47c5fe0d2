/**
 * Structured one-line JSON logs. Values under keys that can hold secrets are replaced, and
 * strings are scrubbed of bearer tokens and JWTs, so no credential, card token or national id
 * reaches a log line even when an error message quotes one.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

const SECRET_KEY = /authorization|token|secret|password|api[-_]?key|card|ssn|national|cookie/i;
const JWT = /\beyJ[\w-]+\.[\w-]+\.[\w-]*/g;
const BEARER = /Bearer\s+\S+/gi;

function scrub(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return value.replace(BEARER, 'Bearer [redacted]').replace(JWT, '[jwt]');
  if (value instanceof Error) return { name: value.name, message: scrub(value.message) };
  if (depth > 4 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => scrub(item, depth + 1));
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).map(([key, item]) => [key, SECRET_KEY.test(key) ? '[redacted]' : scrub(item, depth + 1)]),
  );
}

export interface Logger {
  log(level: LogLevel, message: string, fields?: Record<string, unknown>): void;
}

export function createLogger(options: { level?: LogLevel; write?: (line: string) => void } = {}): Logger {
  const order: LogLevel[] = ['debug', 'info', 'warn', 'error'];
  const min = order.indexOf(options.level ?? 'info');
  const write = options.write ?? ((line: string) => process.stderr.write(`${line}\n`));
  return {
    log(level, message, fields) {
      if (order.indexOf(level) < min) return;
      write(JSON.stringify({ time: new Date().toISOString(), level, message: scrub(message), ...(scrub(fields ?? {}) as object) }));
    },
  };
}

export const silentLogger: Logger = { log: () => undefined };
