import type { z } from 'zod';
import { providerUnavailable } from '../domain/errors.js';
import { startProviderCall } from './call-observers.js';

export interface ProviderResponse {
  status: number;
  contentType: string;
  text: string;
}

export interface ProviderRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  headers?: Record<string, string>;
  body?: string;
  /** Upper bound for the whole call, body included. */
  timeoutMs: number;
}

/**
 * One HTTP call to a provider. Every way it can go wrong below the provider's own words — a
 * timeout, a refused or reset connection, a 5xx — is PROVIDER_UNAVAILABLE within `timeoutMs`;
 * 2xx-4xx answers are returned for the adapter to read (a 4xx is the provider talking).
 */
export async function callProvider(provider: string, url: string, request: ProviderRequest): Promise<ProviderResponse> {
  let response: Response;
  let text: string;
  const signal = AbortSignal.timeout(request.timeoutMs);
  const headers = { ...request.headers };
  const span = startProviderCall({ provider, method: request.method, url }, headers);
  try {
    response = await fetch(url, {
      method: request.method,
      headers,
      ...(request.body !== undefined ? { body: request.body } : {}),
      signal,
      redirect: 'manual',
    });
    text = await response.text();
  } catch (error) {
    span.end({ error });
    throw providerUnavailable(provider, error);
  }
  if (response.status >= 500) {
    const error = new Error(`HTTP ${response.status}`);
    span.end({ status: response.status, error });
    throw providerUnavailable(provider, error);
  }
  span.end({ status: response.status });
  return { status: response.status, contentType: response.headers.get('content-type') ?? '', text };
}

/** Parses a provider body against its wire schema; anything else is PROVIDER_UNAVAILABLE. */
export function parseWire<T>(provider: string, schema: z.ZodType<T>, text: string): T {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw providerUnavailable(provider, error);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw providerUnavailable(provider, parsed.error);
  return parsed.data;
}
