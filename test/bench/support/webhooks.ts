import { performance } from 'node:perf_hooks';
import type { IntergiroSandbox } from '../../../src/sandboxes/intergiro/index.js';

/**
 * The buyer pays an Intergiro payment link and Intergiro's signed callback reaches the gateway,
 * with the harness as the courier so it knows the moment the gateway got it. The sandbox's own
 * callbacks are paused for the whole run (environment.ts); the harness signs the order exactly as
 * the sandbox does and POSTs it. Answers when it was sent (performance.now(), the latency clock's
 * start) and how long the gateway took to answer it.
 */
export async function payAndCallBack(
  sandbox: IntergiroSandbox,
  gatewayUrl: string,
  providerOrderId: string,
): Promise<{ sentAt: number; roundTripMs: number }> {
  const paid = sandbox.payLink(providerOrderId, 'pay');
  const jwt = await sandbox.signOrder(paid);
  const sentAt = performance.now();
  const response = await fetch(`${gatewayUrl}/webhooks/intergiro`, {
    method: 'POST',
    headers: { 'content-type': 'application/jwt; charset=utf-8' },
    body: jwt,
  });
  const roundTripMs = performance.now() - sentAt;
  await response.arrayBuffer();
  if (!response.ok) throw new Error(`the gateway refused the callback: ${response.status}`);
  return { sentAt, roundTripMs };
}
