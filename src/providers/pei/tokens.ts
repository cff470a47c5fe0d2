import { createHash } from 'node:crypto';
import { GatewayError, providerUnavailable } from '../../domain/errors.js';
import type { KeyValueStore } from '../../store/types.js';
import { callProvider, parseWire } from '../http.js';
import { SharedToken, UNSTATED_TOKEN_LIFETIME_S, type IssuedToken } from '../shared-token.js';
import { PeiToken } from './wire.js';

export interface PeiTokenOptions {
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  timeoutMs: number;
  /** Shared by every gateway instance on the store, so they all use one token. */
  kv: KeyValueStore;
}

const PROVIDER = 'Pei';

/**
 * Pei's bearer tokens (OAuth2 client credentials, CONTRACT §8): issued by PEI_TOKEN_URL and
 * shared by every gateway instance through the store (see SharedToken).
 */
export function createPeiAccessTokens(options: PeiTokenOptions): SharedToken {
  // One entry per token endpoint and client; the key names no secret.
  const digest = createHash('sha256').update(`${options.tokenUrl}\n${options.clientId}`).digest('base64url').slice(0, 16);
  return new SharedToken({ kv: options.kv, key: `provider-token:PEI:${digest}`, issue: () => issuePeiToken(options) });
}

/**
 * How the client authenticates at the token endpoint. The contract says only "form-encoded
 * `grant_type=client_credentials` with the client id and secret": HTTP Basic (RFC 6749's
 * preference) or `client_id` / `client_secret` form fields, and a server may take just one
 * (RFC 6749 forbids sending both). Basic first; a refused client (400 / 401) is asked once more
 * the other way, and the way that worked is kept for this endpoint and client.
 */
type ClientAuthentication = 'basic' | 'form';
const workingWay = new Map<string, ClientAuthentication>();

function tokenRequest(options: PeiTokenOptions, way: ClientAuthentication) {
  const form = new URLSearchParams({ grant_type: 'client_credentials' });
  if (way === 'form') {
    form.set('client_id', options.clientId);
    form.set('client_secret', options.clientSecret);
  }
  const basic = Buffer.from(`${encodeURIComponent(options.clientId)}:${encodeURIComponent(options.clientSecret)}`).toString('base64');
  return callProvider(PROVIDER, options.tokenUrl, {
    method: 'POST',
    timeoutMs: options.timeoutMs,
    headers: {
      ...(way === 'basic' ? { authorization: `Basic ${basic}` } : {}),
      'content-type': 'application/x-www-form-urlencoded',
      accept: 'application/json',
    },
    body: form.toString(),
  });
}

async function issuePeiToken(options: PeiTokenOptions): Promise<IssuedToken> {
  const client = `${options.tokenUrl}\n${options.clientId}`;
  const first = workingWay.get(client) ?? 'basic';
  let response = await tokenRequest(options, first);
  if (response.status === 400 || response.status === 401) {
    const other = first === 'basic' ? 'form' : 'basic';
    const retried = await tokenRequest(options, other);
    if (retried.status >= 200 && retried.status < 300) {
      workingWay.set(client, other);
      response = retried;
    }
  }
  // RFC 6749 answers a token with 200; no seed shows the endpoint, and any 2xx carrying a token is as good.
  if (response.status < 200 || response.status >= 300) {
    // Wrong credentials are the gateway's configuration, not the client's request: the provider
    // cannot be used. The answer's words (e.g. invalid_client) go to the log, never to the client.
    throw new GatewayError('PROVIDER_UNAVAILABLE', 'Pei is unavailable or answered something unexpected', {
      cause: new Error(`token endpoint answered HTTP ${response.status}: ${oauthError(response.text)}`),
    });
  }
  let token: PeiToken;
  try {
    token = parseWire(PROVIDER, PeiToken, response.text);
  } catch (error) {
    throw providerUnavailable(PROVIDER, error);
  }
  return { accessToken: token.access_token, expiresIn: token.expires_in ?? UNSTATED_TOKEN_LIFETIME_S };
}

function oauthError(text: string): string {
  try {
    const parsed = JSON.parse(text) as { error?: unknown };
    return typeof parsed.error === 'string' ? parsed.error : 'no error code';
  } catch {
    return 'no JSON body';
  }
}
