import { expect } from 'vitest';
import { eventually } from '../gateway.js';

/** The statuses that say money was captured. */
export const CHARGED: ReadonlySet<string> = new Set(['PARTIALLY_CAPTURED', 'CAPTURED', 'PARTIALLY_REFUNDED', 'REFUNDED']);

/** An amount the gateway shows (a decimal string of a two-decimal currency), in minor units. */
export const minorOf = (amount: string | undefined): number => Math.round(Number(amount ?? 0) * 100);

/**
 * The closing check of the independent-provider suites: whatever a suite did, the gateway never
 * shows money its provider did not move, so a test that checks only the gateway's answer cannot
 * pass while the provider moved nothing. `overstated` names the orders that show more captured or
 * refunded (or a captured status) than the provider moved; it is asked until it names none for up
 * to two seconds (a provider may record a change a moment after answering it). `close` runs
 * whatever the outcome, before the assertion.
 */
export async function closeCheckingMoney(provider: string, overstated: () => Promise<string[]>, close: () => Promise<void>): Promise<void> {
  let found: string[] = [];
  try {
    await eventually(async () => {
      found = await overstated();
      return found.length === 0;
    }, 2000).catch(() => undefined);
  } finally {
    await close();
  }
  expect(found, `orders showing more captured or refunded than ${provider} moved`).toEqual([]);
}
