import { callProvider, type ProviderRequest } from '../../src/providers/http.js';

/** What a provider call that must fail threw (a call that succeeds fails the test). */
export async function callFailure(provider: string, url: string, request: ProviderRequest): Promise<unknown> {
  try {
    await callProvider(provider, url, request);
  } catch (error) {
    return error;
  }
  throw new Error('the call succeeded');
}
