import type { ProviderObservation } from '../../domain/observation.js';
import type { KeyValueStore } from '../../store/types.js';
import { orderStatusWord } from './chain.js';
import type { IntershopListedOrderData } from './wire.js';

/**
 * How long the gateway remembers that it sent an order to the PSP's page (see sentToPsp): a
 * listing without the chain cannot tell that stop from the one before the URLs.
 */
const SENT_TO_PSP_MS = 7 * 24 * 60 * 60 * 1000;

/**
 * Seed §2.3 shows no list entry: one without `orderCreation`, its payment still "Unprocessed"
 * (the word §2.2 shows before the URLs; an ICM may keep it until the PSP answers), reads as
 * waiting for the URLs. For an order the gateway itself sent to the PSP's page that is no way
 * back: such orders are noted (shared by every instance) when an answer stops at the Redirect,
 * and a listing reads them as past the URLs (chain.ts). Best effort: a note that cannot be
 * written or read leaves the listing as it was.
 */
const sentToPspKey = (providerOrderId: string) => `intershop:sent-to-psp:${providerOrderId}`;

/** Notes the order when the observation stops at the PSP's page (its Redirect); best effort. */
export async function noteSentToPsp(kv: KeyValueStore, observation: ProviderObservation): Promise<void> {
  if (observation.creation?.stopAction?.type !== 'REDIRECT' || !observation.providerOrderId) return;
  await kv.set(sentToPspKey(observation.providerOrderId), '1', SENT_TO_PSP_MS).catch(() => undefined);
}

/** The observation, once noted (noteSentToPsp). */
export async function noted(kv: KeyValueStore, observation: ProviderObservation): Promise<ProviderObservation> {
  await noteSentToPsp(kv, observation);
  return observation;
}

/** Whether a list entry is an order the gateway noted as sent to the PSP's page (noteSentToPsp). */
export async function sentToPsp(kv: KeyValueStore, data: IntershopListedOrderData): Promise<boolean> {
  // Only a chainless PENDING entry is read by its payment words (chain.ts); nothing else is looked up.
  if (data.orderCreation || orderStatusWord(data)?.trim().toUpperCase() !== 'PENDING') return false;
  return (await kv.get(sentToPspKey(data.id)).catch(() => null)) !== null;
}
