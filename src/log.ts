import { pino, type DestinationStream, type Logger as PinoLogger } from 'pino';
import { currentRequestContext } from './observability/request-context.js';
import { scrubCredentials } from './scrub.js';

/**
 * Structured one-line JSON logs on pino. Values under keys that can hold secrets are replaced, and
 * strings are scrubbed of bearer tokens, JWTs, card tokens and secret API keys (src/scrub.ts), so
 * no credential, card token or national id reaches a log line even when an error message quotes one. Every line written while handling a
 * request (or a graphql-ws operation, or a reconciliation pass) carries its `requestId`.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error'];

const SECRET_KEY = /authorization|token|secret|password|api[-_]?key|card|ssn|national|cookie/i;

/**
 * pino's `redact` takes fixed paths, and a secret can sit under any key at any depth (a provider's
 * error body, a header map), so the scrubbing is a log formatter matching key names instead.
 */
function scrub(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return scrubCredentials(value);
  // Name and message only: a stack trace says where the code is, and a cause may quote a request.
  if (value instanceof Error) return { name: value.name, message: scrub(value.message) };
  if (depth > 4 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => scrub(item, depth + 1));
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).map(([key, item]) => [key, SECRET_KEY.test(key) ? '[redacted]' : scrub(item, depth + 1)]),
  );
}

export interface Logger {
  log(level: LogLevel, message: string, fields?: Record<string, unknown>): void;
  /** Whether lines of `level` are written (a caller may then skip gathering them); default yes. */
  writes?(level: LogLevel): boolean;
}

export interface LoggerOptions {
  /** The least severe level written. Default `info` (LOG_LEVEL). */
  level?: LogLevel;
  /** Receives each line without its newline (tests collect them). Default: stderr. */
  write?: (line: string) => void;
  /** Where lines go when `write` is not given, e.g. `pino.destination(path)`. Default: stderr. */
  destination?: DestinationStream;
}

/** The request id (and trace id, when tracing) of the work in flight, on every line. */
function requestFields(): Record<string, string> {
  const context = currentRequestContext();
  if (!context) return {};
  const traceId = context.span?.spanContext().traceId;
  return traceId ? { requestId: context.requestId, traceId } : { requestId: context.requestId };
}

function destinationOf(options: LoggerOptions): DestinationStream {
  const { write } = options;
  if (write) return { write: (line: string) => write(line.endsWith('\n') ? line.slice(0, -1) : line) };
  // Synchronous: the process may exit right after a line (a failed start), and order with
  // console output matters more than the microseconds an asynchronous stream would save.
  return options.destination ?? pino.destination({ dest: 2, sync: true });
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const logger: PinoLogger = pino(
    {
      level: options.level ?? 'info',
      messageKey: 'message',
      base: undefined,
      timestamp: pino.stdTimeFunctions.isoTime,
      mixin: requestFields,
      // pino's own `err` serializer would add a type and a stack: the formatter below has already
      // made any error its name and message.
      serializers: { err: (value: unknown) => value },
      formatters: {
        level: (label) => ({ level: label }),
        log: (fields) => scrub(fields) as Record<string, unknown>,
      },
    },
    destinationOf(options),
  );
  return {
    log(level, message, fields) {
      // A level that is off costs nothing: not even scrubbing the message (a debug line per request).
      if (!logger.isLevelEnabled(level)) return;
      logger[level](fields ?? {}, scrub(message) as string);
    },
    writes: (level) => logger.isLevelEnabled(level),
  };
}

export const silentLogger: Logger = { log: () => undefined, writes: () => false };
