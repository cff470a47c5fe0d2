import type { DinteroSandbox, DinteroSandboxCallbackTiming } from '../../src/sandboxes/dintero/index.js';

/** A DINTERO CreateOrderInput: two lines (one taxed at 25 %), returning to the shop. */
export function dinteroOrderInput(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    provider: 'DINTERO',
    currency: 'NOK',
    reference: `shop-${Date.now()}`,
    items: [
      { lineId: 'chair', code: '175938', name: 'Stablestol for utendørsbruk', quantity: 2, unitPrice: '199.00', amount: '398.00', taxRate: 25 },
      { lineId: 'shipping', name: 'Frakt', amount: '100.00' },
    ],
    returnUrls: { success: 'https://shop.example/dintero/return?cart=42' },
    dintero: { generateOrderId: 'ALPHANUMERIC_9' },
    ...overrides,
  };
}

export interface CheckoutAnswer {
  status: number;
  /** Where the buyer's browser is sent next (Dintero's redirect to return_url). */
  location: string | null;
}

/**
 * The buyer on Dintero's checkout page, over HTTP: opens it, picks the race knobs, and clicks Pay /
 * Decline / Cancel. The redirect to the shop is not followed (the gateway never sees it).
 */
export async function buyerOnCheckout(
  pageUrl: string,
  action: 'pay' | 'decline' | 'cancel',
  knobs: { callback?: DinteroSandboxCallbackTiming; copies?: number } = {},
): Promise<CheckoutAnswer> {
  const page = await fetch(pageUrl);
  const html = await page.text();
  if (page.status !== 200 || !html.includes('name="action"')) throw new Error(`the checkout page answered ${page.status}`);
  const form = new URLSearchParams({ action, callback: knobs.callback ?? 'after', copies: String(knobs.copies ?? 1) });
  const answer = await fetch(pageUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: form.toString(),
    redirect: 'manual',
  });
  await answer.arrayBuffer();
  return { status: answer.status, location: answer.headers.get('location') };
}

/** A bearer token straight from the sandbox, as a system other than the gateway would get one. */
export async function dinteroToken(sandbox: DinteroSandbox): Promise<string> {
  const { config } = sandbox;
  const response = await fetch(`${config.apiUrl}/v1/accounts/${config.accountId}/auth/token`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${config.clientId}:${config.clientSecret}`).toString('base64')}`,
      'content-type': 'application/json',
    },
    body: JSON.stringify({ grant_type: 'client_credentials', audience: `${config.apiUrl}/v1/accounts/${config.accountId}` }),
  });
  if (response.status !== 200) throw new Error(`token endpoint answered ${response.status}`);
  return ((await response.json()) as { access_token: string }).access_token;
}

/** One call to the sandbox's REST API ('api' = Orders API host, 'checkout' = Checkout host). */
export async function dinteroRest<T = any>(
  sandbox: DinteroSandbox,
  host: 'api' | 'checkout',
  method: 'GET' | 'POST' | 'PUT',
  path: string,
  body?: unknown,
  token?: string,
): Promise<{ status: number; body: T }> {
  const base = host === 'api' ? sandbox.config.apiUrl : sandbox.config.checkoutUrl;
  const response = await fetch(`${base}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token ?? (await dinteroToken(sandbox))}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
}

/** Calls the gateway's Dintero callback route as Dintero (or a forger) would. */
export async function dinteroCallback(gatewayUrl: string, params: Record<string, string>, method: 'GET' | 'POST' = 'GET'): Promise<number> {
  const query = new URLSearchParams(params).toString();
  const response =
    method === 'GET'
      ? await fetch(`${gatewayUrl}/webhooks/dintero?${query}`)
      : await fetch(`${gatewayUrl}/webhooks/dintero`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(params) });
  await response.arrayBuffer();
  return response.status;
}

/** The session id inside a checkout page URL (`.../v1/view/<session id>`). */
export const sessionIdOf = (pageUrl: string): string => decodeURIComponent(new URL(pageUrl).pathname.split('/').pop() ?? '');
