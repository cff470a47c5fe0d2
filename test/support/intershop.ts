import type { IntershopSandbox, IntershopSandboxPspOutcome } from '../../src/sandboxes/intershop/index.js';

/** Seed §2.1: the Accept header of the v1 order API. */
export const ICM_V1 = 'application/vnd.intershop.order.v1+json';

export interface IcmAnswer {
  status: number;
  contentType: string;
  text: string;
  json: any;
}

/**
 * One call to the sandbox's REST API as any ICM client would make it: v1 Accept and the sandbox's
 * token unless told otherwise (`accept: null` / `token: null` leave the header out).
 */
export async function icmRest(
  sandbox: IntershopSandbox,
  method: 'GET' | 'POST' | 'PATCH',
  path: string,
  body?: unknown,
  headers: { accept?: string | null; token?: string | null } = {},
): Promise<IcmAnswer> {
  const accept = headers.accept === undefined ? ICM_V1 : headers.accept;
  const token = headers.token === undefined ? sandbox.config.authToken : headers.token;
  const response = await fetch(`${sandbox.url}${path}`, {
    method,
    headers: {
      ...(accept ? { accept } : {}),
      ...(token ? { 'authentication-token': token } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, contentType: response.headers.get('content-type') ?? '', text, json };
}

/** A fresh open basket of `lines` (or one line worth `total`), over the sandbox-only HTTP route. */
export async function newBasket(
  sandbox: IntershopSandbox,
  total: string,
  options: { currency?: string; paymentMethod?: 'ISH_ONLINEPAY' | 'ISH_ONLINEPAY_SALE'; lines?: { product: string; quantity: number; price: string }[] } = {},
): Promise<string> {
  const response = await fetch(`${sandbox.origin}/sandbox/baskets`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      currency: options.currency ?? 'USD',
      lines: options.lines ?? [{ product: 'SKU-1000', quantity: 1, price: total }],
      ...(options.paymentMethod ? { paymentMethod: options.paymentMethod } : {}),
    }),
  });
  if (response.status !== 201) throw new Error(`basket creation answered ${response.status}: ${await response.text()}`);
  return ((await response.json()) as { id: string }).id;
}

/**
 * The buyer at the PSP page, as a browser does it: opens the `redirectUrl`, reads the form and
 * presses the button for `outcome`. Answers the PSP's response (303 back to the shop).
 */
export async function buyerAtPsp(redirectUrl: string, outcome: IntershopSandboxPspOutcome): Promise<Response> {
  const page = await fetch(redirectUrl);
  if (!page.ok) throw new Error(`the PSP page answered ${page.status}`);
  const html = await page.text();
  const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1];
  const transaction = /name="PaymentTransactionUUID" value="([^"]+)"/.exec(html)?.[1];
  if (!action || !transaction) throw new Error('the PSP page has no payment form');
  if (!html.includes(`value="${outcome}"`)) throw new Error(`the PSP page has no ${outcome} button`);
  return fetch(action.replaceAll('&amp;', '&'), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ PaymentTransactionUUID: transaction, outcome }).toString(),
    redirect: 'manual',
  });
}

/** What the shop found on its return URL: the PSP's parameters, as ICM wants them back. */
export function returnedParameters(response: Response): { name: string; value: string }[] {
  const location = response.headers.get('location');
  if (response.status !== 303 || !location) throw new Error(`the PSP answered ${response.status} without a redirect`);
  return [...new URL(location).searchParams].map(([name, value]) => ({ name, value }));
}
