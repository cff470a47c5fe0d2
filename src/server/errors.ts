import { GraphQLError } from 'graphql';
import { GatewayError, type ErrorCode } from '../domain/errors.js';
import type { Logger } from '../log.js';
import { UnacceptableValue } from '../schema/unacceptable-value.js';
import { createTextScrubber, type TextScrubber } from '../scrub.js';
import { isStoreOutage } from '../store/outage.js';
import { coercionRefusal } from './refused-values.js';
import { stripSuggestions, withoutSuggestions } from './no-suggestions.js';

const HTTP_STATUS: Partial<Record<ErrorCode, number>> = { UNAUTHENTICATED: 401, SERVICE_UNAVAILABLE: 503 };
/** The codes whose message may carry a provider's own words (CONTRACT §7: "Payway ... PROVIDER_REJECTED with code, field"). */
const PROVIDER_WORDS: ReadonlySet<ErrorCode> = new Set(['PROVIDER_REJECTED', 'PROVIDER_UNAVAILABLE']);

/**
 * The GatewayError behind a GraphQL error, if any (resolvers' errors arrive wrapped). A store
 * that could not keep a write (StoreUnavailableError: too few replicas acknowledged it) or
 * cannot be reached at all (store/outage.ts) is SERVICE_UNAVAILABLE: the client must not take
 * the answer as done, and retries.
 */
export function gatewayErrorOf(error: unknown): GatewayError | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current; depth++) {
    if (current instanceof GatewayError) return current;
    if (isStoreOutage(current)) {
      return new GatewayError('SERVICE_UNAVAILABLE', 'The gateway cannot store this safely right now; retry (with the same idempotency key)', { cause: current });
    }
    current = current instanceof GraphQLError ? current.originalError : current instanceof Error ? current.cause : undefined;
  }
  return undefined;
}

/**
 * The error's extensions (CONTRACT §3). `providerCode`, `providerField` and `correlationId` are
 * the provider's words: scrubbed like the message (createMaskError).
 */
export function gatewayErrorExtensions(error: GatewayError, scrub: TextScrubber): Record<string, unknown> {
  const { field, providerCode, providerField, correlationId } = error.details;
  const status = HTTP_STATUS[error.code];
  return {
    code: error.code,
    ...(field !== undefined ? { field } : {}),
    ...(providerCode !== undefined ? { providerCode: scrub(providerCode) } : {}),
    ...(providerField !== undefined ? { providerField: scrub(providerField) } : {}),
    ...(correlationId !== undefined ? { correlationId: scrub(correlationId) } : {}),
    ...(status ? { http: { status } } : {}),
  };
}

/**
 * A variable's value that does not fit its type: graphql-js' error
 * (`Variable "$input" got invalid value ... at "input.items[0].amount"; ...`), which keeps its
 * message, location and HTTP 400 (a request error, whatever the Accept header; README "HTTP
 * statuses"), gains `extensions.field`, the input path (`input.items.0.amount`), and loses any
 * "Did you mean" hint and the refused value (refused-values.ts: it may be a whole input object
 * with a national id or card data in it). Without this the masking below answered only the
 * scalar's own error ("Decimal cannot represent 10"): no field, no location, HTTP 200.
 *
 * A string one of the gateway's scalars refuses (a Decimal "NaN", a DateTime "tomorrow") is
 * well-typed but not acceptable, so it is also BAD_USER_INPUT (CONTRACT §3; found by
 * test/gateway/fuzz.test.ts). A value of the wrong type (a number for a Decimal, a missing
 * required field) keeps GraphQL's own error without a contract code, as CONTRACT §2 says.
 */
function coercionFailure(error: GraphQLError): GraphQLError | undefined {
  const refusal = error.path ? undefined : coercionRefusal(withoutSuggestions(error.message));
  if (!refusal) return undefined;
  // A string the gateway's scalars refuse (schema/unacceptable-value.ts); other refusals are type
  // errors. Told by the cause's class: on a subscription the executor marks every variable
  // refusal's cause BAD_USER_INPUT, so over graphql-ws and SSE a wrong type got the code that
  // HTTP rightly leaves off.
  const refused = firstCause(error) instanceof UnacceptableValue;
  const field = refusal.path.replace(/\[(\d+)\]/g, '.$1');
  return new GraphQLError(refusal.message, {
    ...(error.nodes ? { nodes: error.nodes } : {}),
    extensions: { ...(refused ? { code: 'BAD_USER_INPUT' } : {}), field, ...(error.extensions.http ? { http: error.extensions.http } : {}) },
  });
}

/** The innermost GraphQLError an error was made from (itself when it wraps none). */
function firstCause(error: GraphQLError): GraphQLError {
  let cause = error;
  while (cause.originalError instanceof GraphQLError) cause = cause.originalError;
  return cause;
}

/**
 * Yoga's maskError: a GatewayError becomes a GraphQLError with the contract's code and details;
 * a provider's words in it (a PROVIDER_* message, the provider details) scrubbed (`scrub`,
 * src/scrub.ts: a provider's refusal is relayed in its words, which may quote a credential, a card
 * token or a kennitala; default the patterns alone, without configured secrets). The gateway's own
 * messages are its own ("The bearer token is not valid" is no credential);
 * GraphQL's own errors (parse, validation, coercion) pass unchanged; anything else is a bug,
 * logged and answered with a bare "Unexpected error." so no stack or secret leaves the gateway.
 */
export function createMaskError(logger: Logger, scrub: TextScrubber = createTextScrubber()) {
  return (error: unknown, message: string): Error => {
    const gatewayError = gatewayErrorOf(error);
    if (gatewayError) {
      const located = error instanceof GraphQLError ? error : undefined;
      return new GraphQLError(PROVIDER_WORDS.has(gatewayError.code) ? scrub(gatewayError.message) : gatewayError.message, {
        ...(located?.nodes ? { nodes: located.nodes } : {}),
        ...(located?.path ? { path: located.path } : {}),
        extensions: gatewayErrorExtensions(gatewayError, scrub),
      });
    }
    const coercion = error instanceof GraphQLError ? coercionFailure(error) : undefined;
    if (coercion) return coercion;
    if (error instanceof GraphQLError && !error.originalError) return stripSuggestions(error);
    if (error instanceof GraphQLError && error.originalError instanceof GraphQLError) return stripSuggestions(error.originalError);
    logger.log('error', 'unexpected error', {
      error: error instanceof GraphQLError ? (error.originalError ?? error) : error,
      path: error instanceof GraphQLError ? error.path : undefined,
    });
    return new GraphQLError(message, {
      ...(error instanceof GraphQLError && error.path ? { path: error.path } : {}),
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
  };
}
