import type { PeiSandbox } from '../../src/sandboxes/pei/index.js';

/** An access token from the sandbox's token endpoint, asked as Pei's docs describe (Basic client auth). */
export async function peiAccessToken(sandbox: PeiSandbox): Promise<string> {
  const { tokenUrl, clientId, clientSecret } = sandbox.config;
  const response = await fetch(tokenUrl, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: 'grant_type=client_credentials',
  });
  if (!response.ok) throw new Error(`token endpoint answered ${response.status}`);
  return ((await response.json()) as { access_token: string }).access_token;
}

export interface PeiAnswer<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

/**
 * One call to the sandbox's REST API as a merchant system would make it (bearer token; JSON).
 * `token: null` sends none.
 */
export async function peiRest<T = any>(
  sandbox: PeiSandbox,
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
  token?: string | null,
): Promise<PeiAnswer<T>> {
  const bearer = token === undefined ? await peiAccessToken(sandbox) : token;
  const response = await fetch(`${sandbox.url}${path}`, {
    method,
    headers: {
      accept: 'application/json',
      ...(bearer === null ? {} : { authorization: `Bearer ${bearer}` }),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: (text ? JSON.parse(text) : undefined) as T };
}

/**
 * The buyer on Pei's checkout page: opens it (it must offer the button) and presses Confirm or
 * Cancel, over real HTTP, as a browser posts the form. Answers the form post's response.
 */
export async function buyerOnPei(checkoutUrl: string, decision: 'confirm' | 'cancel'): Promise<Response> {
  const page = await fetch(checkoutUrl);
  const html = await page.text();
  if (!page.ok) throw new Error(`the checkout page answered ${page.status}`);
  const action = new URL(checkoutUrl).pathname + `/${decision}`;
  if (!html.includes(`action="${action}"`)) throw new Error(`the checkout page offers no ${decision} button`);
  return fetch(new URL(action, checkoutUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: '',
    redirect: 'manual',
  });
}

/** POSTs a body to the gateway's Pei postback route, as Pei (or a forger) would. */
export async function postPeiPostback(gatewayUrl: string, body: unknown): Promise<{ status: number; text: string }> {
  const response = await fetch(`${gatewayUrl}/webhooks/pei`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, text: await response.text() };
}
