import { createHash } from 'node:crypto';
import { GatewayError, providerUnavailable } from '../../domain/errors.js';
import type { KeyValueStore } from '../../store/types.js';
import { callProvider, parseWire } from '../http.js';
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
/** A token is dropped this long before Pei says it expires (at most; a tenth of a short lifetime). */
const EXPIRY_MARGIN_MS = 60_000;

/**
 * Pei's bearer tokens (OAuth2 client credentials, CONTRACT §8): fetched from PEI_TOKEN_URL, kept
 * in the shared store until shortly before they expire, so every gateway instance uses the same
 * one. A 401 from the API means the token died early: `invalidate` drops it (only if no other
 * instance has replaced it meanwhile) and the next `get` fetches a new one.
 */
export class PeiAccessTokens {
  private readonly key: string;

  constructor(private readonly options: PeiTokenOptions) {
    // One entry per token endpoint and client; the key names no secret.
    const digest = createHash('sha256').update(`${options.tokenUrl}\n${options.clientId}`).digest('base64url').slice(0, 16);
    this.key = `provider-token:PEI:${digest}`;
  }

  async get(): Promise<string> {
    const cached = await this.options.kv.get(this.key);
    if (cached) return cached;
    const token = await this.fetchToken();
    const lifetimeMs = token.expires_in * 1000;
    const ttlMs = lifetimeMs - Math.min(EXPIRY_MARGIN_MS, lifetimeMs / 10);
    if (ttlMs >= 1) await this.options.kv.set(this.key, token.access_token, Math.floor(ttlMs));
    return token.access_token;
  }

  async invalidate(token: string): Promise<void> {
    await this.options.kv.deleteIfEquals(this.key, token);
  }

  private async fetchToken(): Promise<PeiToken> {
    const basic = Buffer.from(`${encodeURIComponent(this.options.clientId)}:${encodeURIComponent(this.options.clientSecret)}`).toString('base64');
    const response = await callProvider(PROVIDER, this.options.tokenUrl, {
      method: 'POST',
      timeoutMs: this.options.timeoutMs,
      headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams({ grant_type: 'client_credentials' }).toString(),
    });
    if (response.status !== 200) {
      // Wrong credentials are the gateway's configuration, not the client's request: the provider
      // cannot be used. The answer's words (e.g. invalid_client) go to the log, never to the client.
      throw new GatewayError('PROVIDER_UNAVAILABLE', 'Pei is unavailable or answered something unexpected', {
        cause: new Error(`token endpoint answered HTTP ${response.status}: ${oauthError(response.text)}`),
      });
    }
    try {
      return parseWire(PROVIDER, PeiToken, response.text);
    } catch (error) {
      throw providerUnavailable(PROVIDER, error);
    }
  }
}

function oauthError(text: string): string {
  try {
    const parsed = JSON.parse(text) as { error?: unknown };
    return typeof parsed.error === 'string' ? parsed.error : 'no error code';
  } catch {
    return 'no JSON body';
  }
}
