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

async function issuePeiToken(options: PeiTokenOptions): Promise<IssuedToken> {
  const basic = Buffer.from(`${encodeURIComponent(options.clientId)}:${encodeURIComponent(options.clientSecret)}`).toString('base64');
  const response = await callProvider(PROVIDER, options.tokenUrl, {
    method: 'POST',
    timeoutMs: options.timeoutMs,
    headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: new URLSearchParams({ grant_type: 'client_credentials' }).toString(),
  });
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
