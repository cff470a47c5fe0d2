/**
 * Whether an error from the store means "the store cannot be reached" (CONTRACT §3
 * SERVICE_UNAVAILABLE, HTTP 503) rather than a bug (INTERNAL_SERVER_ERROR): the store refused to
 * keep a write (StoreUnavailableError), or ioredis gave up on a command because Redis is down,
 * unreachable or failing over. Read by name and code, not by class: ioredis builds some of these
 * errors in modules it does not export, and a Cluster wraps its own.
 */
import { StoreUnavailableError } from './types.js';

/** ioredis' error names for a command it could not deliver. */
const OUTAGE_NAMES = new Set(['MaxRetriesPerRequestError', 'ClusterAllFailedError']);
/** Node's socket error codes for a server that is not there (any more). */
const OUTAGE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND', 'EPIPE']);
/**
 * ioredis' messages for a connection it closed or a command it timed out (a Cluster none of whose
 * nodes let it in says "None of startup nodes is available"), Redis' own "not now"
 * replies, and its refusals of a connection without (or with wrong) credentials: to a client the
 * store is out of reach until the gateway's REDIS_USERNAME / REDIS_PASSWORD match the server's.
 */
const OUTAGE_MESSAGES =
  /^(Connection is closed\.|Stream isn't writeable|Command timed out|None of startup nodes is available|LOADING |MASTERDOWN |CLUSTERDOWN |TRYAGAIN |READONLY |NOAUTH |WRONGPASS )/;

export function isStoreOutage(error: unknown): boolean {
  if (error instanceof StoreUnavailableError) return true;
  if (!(error instanceof Error)) return false;
  const code = (error as Error & { code?: unknown }).code;
  return OUTAGE_NAMES.has(error.name) || (typeof code === 'string' && OUTAGE_CODES.has(code)) || OUTAGE_MESSAGES.test(error.message);
}
