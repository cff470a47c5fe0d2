import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { usePersistedOperations } from '@graphql-yoga/plugin-persisted-operations';
import type { GraphQLError } from 'graphql';
import { createGraphQLError, type GraphQLParams, type Plugin } from 'graphql-yoga';

/**
 * Persisted operations ("trusted documents") for production frontends: codegen writes every
 * operation of the repo into a manifest (hash -> document), and the gateway can be told to run
 * only those. A client sends `{"extensions": {"persistedQuery": {"version": 1, "sha256Hash": "<hash>"}}}`
 * (Apollo's wire format, which Yoga's plugin reads) instead of the document text.
 *
 * - `off` (default): any document runs; hashes are not looked at.
 * - `allow`: a known hash runs its document; a document sent as text runs too.
 * - `require`: only documents from the manifest run; text and unknown hashes are refused
 *   before parsing, so nothing executes.
 */
export type PersistedOperationsMode = 'off' | 'allow' | 'require';

export interface PersistedOperationsConfig {
  mode: PersistedOperationsMode;
  /** The manifest; default the one codegen writes (DEFAULT_MANIFEST). */
  file?: string;
}

/** `npm run codegen` writes it (client preset, `persistedDocuments`). */
export const DEFAULT_MANIFEST = fileURLToPath(new URL('../client/generated/persisted-documents.json', import.meta.url));

/** What a graphql-ws subscribe message carries (graphql-ws insists on a query string: '' with a hash). */
interface SubscribePayload {
  query: string;
  extensions?: Record<string, unknown> | null;
}

export interface PersistedOperations {
  mode: Exclude<PersistedOperationsMode, 'off'>;
  /** HTTP and SSE: Yoga's persisted-operations plugin over the manifest. */
  plugin: Plugin;
  /** graphql-ws: the document text to run for a subscribe message, or the error to answer instead. */
  resolve(payload: SubscribePayload): { query: string } | { error: GraphQLError };
}

export class PersistedOperationsError extends Error {
  override name = 'PersistedOperationsError';
}

/** Codegen names sha256 hashes `sha256:<hex>`; a bare hex hash means the same document. */
function manifestKey(hash: string): string {
  return /^[0-9a-f]{64}$/i.test(hash) ? `sha256:${hash.toLowerCase()}` : hash;
}

/** Reads the manifest once at start; a missing or malformed one stops the gateway (when not off). */
function readManifest(file: string): Map<string, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new PersistedOperationsError(`PERSISTED_OPERATIONS_FILE: cannot read ${file} (${(error as Error).message}); run npm run codegen`);
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new PersistedOperationsError(`PERSISTED_OPERATIONS_FILE: ${file} is not a JSON object of hash -> document`);
  }
  const manifest = new Map<string, string>();
  for (const [hash, document] of Object.entries(parsed)) {
    if (typeof document !== 'string') throw new PersistedOperationsError(`PERSISTED_OPERATIONS_FILE: ${file}: "${hash}" is not a document`);
    manifest.set(manifestKey(hash), document);
  }
  return manifest;
}

/** Errors with the contract's BAD_USER_INPUT; `reason` is the word Yoga's and Apollo's clients know. */
const refusal = (message: string, reason: string, field: string): GraphQLError =>
  createGraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', reason, field, http: { status: 400 } } });

const ONLY_PERSISTED = (): GraphQLError =>
  refusal(
    'This gateway runs only persisted documents: send extensions.persistedQuery.sha256Hash from the generated manifest instead of a query',
    'PERSISTED_QUERY_ONLY',
    'query',
  );
const HASH_REQUIRED = (): GraphQLError =>
  refusal('Send a query, or extensions.persistedQuery {version: 1, sha256Hash}', 'PERSISTED_QUERY_ID_REQUIRED', 'extensions.persistedQuery');
const UNKNOWN_HASH = (): GraphQLError =>
  refusal('Unknown persisted document: its hash is not in this gateway’s manifest', 'PERSISTED_QUERY_NOT_FOUND', 'extensions.persistedQuery.sha256Hash');

/** The hash a request names, from Apollo's `extensions.persistedQuery` (version 1). */
function hashOf(extensions: unknown): string | null {
  const persisted = (extensions as { persistedQuery?: { version?: unknown; sha256Hash?: unknown } } | null | undefined)?.persistedQuery;
  return persisted?.version === 1 && typeof persisted.sha256Hash === 'string' ? persisted.sha256Hash : null;
}

/** Null when off: the gateway then takes any document and ignores hashes. */
export function createPersistedOperations(config: PersistedOperationsConfig): PersistedOperations | null {
  if (config.mode === 'off') return null;
  const manifest = readManifest(config.file ?? DEFAULT_MANIFEST);
  const lookup = (hash: string): string | null => manifest.get(manifestKey(hash)) ?? null;
  const allowText = config.mode === 'allow';

  return {
    mode: config.mode,
    plugin: usePersistedOperations({
      getPersistedOperation: (hash) => lookup(hash),
      allowArbitraryOperations: allowText,
      extractPersistedOperationId: (params: GraphQLParams) => hashOf(params.extensions),
      customErrors: { persistedQueryOnly: ONLY_PERSISTED, keyNotFound: HASH_REQUIRED, notFound: UNKNOWN_HASH },
    }),
    resolve: (payload) => {
      if (payload.query) return allowText ? { query: payload.query } : { error: ONLY_PERSISTED() };
      const hash = hashOf(payload.extensions);
      if (hash === null) return { error: HASH_REQUIRED() };
      const query = lookup(hash);
      return query === null ? { error: UNKNOWN_HASH() } : { query };
    },
  };
}
