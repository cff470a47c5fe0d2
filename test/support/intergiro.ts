import { INTERGIRO_API_KEY, type IntergiroSandbox } from './gateway.js';

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
