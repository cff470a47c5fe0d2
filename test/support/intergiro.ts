import { randomUUID } from 'node:crypto';
import type { CreateOrderInput } from '../../src/client/generated/graphql.js';
import type { IntergiroSandboxOrder } from '../../src/sandboxes/intergiro/index.js';
import { INTERGIRO_API_KEY, type IntergiroSandbox } from './gateway.js';
import type { RecordingProxy } from './recording-proxy.js';

/** How many orders the Intergiro sandbox holds, asked over its own REST API. */
export async function intergiroOrderCount(sandbox: IntergiroSandbox): Promise<number> {
  const response = await fetch(`${sandbox.url}/v1/order`, { headers: { authorization: `Bearer ${INTERGIRO_API_KEY}`, accept: 'application/json' } });
  if (!response.ok) throw new Error(`sandbox list failed: ${response.status}`);
  return ((await response.json()) as unknown[]).length;
}

/** The buyer opens the payment link and clicks Pay / Fail / Cancel, over real HTTP. */
export async function buyerUsesLink(link: string, outcome: 'pay' | 'fail' | 'cancel', form: Record<string, string> = {}): Promise<Response> {
  const page = await fetch(link);
  if (!page.ok) throw new Error(`link page answered ${page.status}`);
  const url = new URL(link);
  return fetch(`${url.origin}${url.pathname}/${outcome}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form).toString(),
    redirect: 'manual',
  });
}

/**
 * Another merchant system talking to Intergiro directly (not through the gateway): one call to
 * the sandbox's REST API with the API key. Throws unless it answers 2xx.
 */
export async function intergiroRest<T = unknown>(sandbox: IntergiroSandbox, method: 'POST' | 'PATCH' | 'GET', path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${sandbox.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${INTERGIRO_API_KEY}`,
      accept: 'application/json',
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`sandbox ${method} ${path} answered ${response.status}: ${text}`);
  return JSON.parse(text) as T;
}

/** Creates an order straight at the sandbox (POST /v1/order), as a system other than the gateway would. */
export function createOrderAtIntergiro(sandbox: IntergiroSandbox, creatable: Record<string, unknown>): Promise<IntergiroSandboxOrder> {
  return intergiroRest<IntergiroSandboxOrder>(sandbox, 'POST', '/v1/order', creatable);
}

/** POSTs a body to the gateway's Intergiro callback route, as Intergiro (or a forger) would. */
export async function postIntergiroCallback(gatewayUrl: string, body: string, contentType = 'application/jwt'): Promise<{ status: number; text: string }> {
  const response = await fetch(`${gatewayUrl}/webhooks/intergiro`, { method: 'POST', headers: { 'content-type': contentType }, body });
  return { status: response.status, text: await response.text() };
}

/** What a shop's page collects for Intergiro's 3-D Secure (the `browser` of a card order). */
export const INTERGIRO_TEST_BROWSER = {
  colorDepth: 24,
  java: false,
  javascript: true,
  language: 'en-GB',
  resolution: [1920, 1080],
  timezone: -60,
  parent: 'https://shop.example',
  ip: '203.0.113.7',
  userAgent: 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0',
};

/**
 * The order most gateway tests create: an Intergiro payment link for `amount` EUR (the provider
 * is incidental to them). `extra` adds or replaces fields, e.g. returnUrls or an idempotencyKey.
 */
export function intergiroLinkOrder(amount = '10.00', extra: Partial<CreateOrderInput> = {}): CreateOrderInput {
  return { provider: 'INTERGIRO', currency: 'EUR', amount, intergiro: { paymentType: 'LINK' }, ...extra };
}

/** An Intergiro card order the sandbox authorizes at once (a fresh "visa" token, no 3-D Secure). */
export function intergiroCardOrder(amount: string): Record<string, unknown> {
  return {
    provider: 'INTERGIRO',
    currency: 'EUR',
    amount,
    intergiro: { paymentType: 'CARD', cardToken: `tok_visa_${randomUUID().replaceAll('-', '')}`, browser: INTERGIRO_TEST_BROWSER },
  };
}

/** Intergiro's order answers: a create, a read of one order, the listing. */
const ORDER_ANSWERS = /^(POST \/v1\/order|GET \/v1\/order(\/[^/?]+)?(\?.*)?)$/;

/**
 * Every successful order answer that passes `proxy` (a create, a read of one order, the listing)
 * with each order in it changed by `edit`: an Intergiro that answers with less than the sandbox
 * (what the seed shows and no more).
 */
export function editIntergiroOrders(proxy: RecordingProxy, edit: (order: Record<string, unknown>) => void): void {
  proxy.beforeAnswer = async (request, answer) => {
    if (!ORDER_ANSWERS.test(`${request.method} ${request.path}`) || answer.status >= 300) return;
    const json: unknown = JSON.parse(answer.body);
    for (const order of Array.isArray(json) ? json : [json]) edit(order as Record<string, unknown>);
    answer.body = JSON.stringify(json);
  };
}
