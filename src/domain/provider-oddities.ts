import type { ProviderObservation } from './observation.js';
import type { Info, OrderCreation } from './order.js';

/**
 * What the gateway does when a provider says something its adapter does not know (CONTRACT §7,
 * "a status word the gateway does not know"; STYLE "Exhaustive mappings", "Tolerant reader"):
 * never guess and never fail. An unknown status word leaves the order's status as it is, shows
 * the raw word in `providerStatus` and adds the Info below; a listing entry the adapter cannot
 * read is left out of the page. Both are reported here, and whoever observes (the gateway's
 * logs and metrics, see observability/provider-oddities.ts) logs and counts them.
 */

/** CONTRACT §7: the Info an order carries once its provider said a status word the gateway does not know. */
export const UNKNOWN_STATUS_INFO = 'provider.unknown_status';

export type ProviderOddity =
  /** A status word outside the adapter's exhaustive mapping; `order` is the provider's id for it, when known. */
  | { kind: 'unknown_status'; provider: string; word: string; order?: string }
  /** A listing entry the adapter could not read (skipped); `reason` says what was wrong, never its content. */
  | { kind: 'unreadable_entry'; provider: string; reason: string };

const observers = new Set<(oddity: ProviderOddity) => void>();

/** Registers an observer of provider oddities; the returned function unregisters it. */
export function observeProviderOddities(observer: (oddity: ProviderOddity) => void): () => void {
  observers.add(observer);
  return () => observers.delete(observer);
}

/** Tells every observer; an observer that throws never fails the read that met the oddity. */
export function reportProviderOddity(oddity: ProviderOddity): void {
  for (const observer of observers) {
    try {
      observer(oddity);
    } catch {
      // Logging and counting are best effort.
    }
  }
}

/** The Info for an unknown word; the word is the provider's, shown as given (it names a state, never a person). */
export function unknownStatusInfo(provider: string, word: string): Info {
  return { code: UNKNOWN_STATUS_INFO, message: `${provider} reported the status "${word}", which the gateway does not know; the order keeps its status` };
}

/** `creation` with the unknown word's Info added once (a later read of the same word adds nothing). */
export function withUnknownStatusInfo(creation: OrderCreation, info: Info): OrderCreation {
  if (creation.infos.some((existing) => existing.code === info.code && existing.message === info.message)) return creation;
  return { ...creation, infos: [...creation.infos, info] };
}

/**
 * The longest status word kept as given: a provider's word is a short token, and anything longer
 * is cut so one odd answer cannot grow every stored order and log line.
 */
const MAX_WORD = 64;

/** A provider's word as it may be stored and shown: trimmed, control characters removed, bounded. */
export function cleanWord(word: string): string {
  // eslint-disable-next-line no-control-regex
  const clean = word.replace(/[\u0000-\u001f\u007f]/g, '').trim();
  return (clean || '(empty)').slice(0, MAX_WORD);
}

/**
 * The fact an adapter records for a status word outside its mapping: the order keeps its status,
 * shows the word, gains the Info; reported (logged and counted) as it is read. One fact per order
 * and word, so reading the same word again changes nothing.
 */
export function unknownStatusFact(provider: string, word: string, providerOrderId?: string): ProviderObservation {
  const shown = cleanWord(word);
  reportProviderOddity({ kind: 'unknown_status', provider, word: shown, ...(providerOrderId ? { order: providerOrderId } : {}) });
  return {
    key: `${provider.toLowerCase()}:${providerOrderId ?? ''}:unknown_status:${shown}`,
    type: 'unknown_status',
    status: null,
    provider,
    providerStatus: shown,
    ...(providerOrderId ? { providerOrderId } : {}),
  };
}

/** Reports a listing entry the adapter skipped; `reason` names what was wrong (a field, a shape), never the entry's content. */
export function skipUnreadableEntry(provider: string, reason: string): void {
  reportProviderOddity({ kind: 'unreadable_entry', provider, reason });
}

/** What was wrong with an entry, by the paths of the fields at fault (never their values). */
function reasonOf(error: unknown): string {
  const issues = (error as { issues?: { path?: PropertyKey[] }[] } | null)?.issues;
  if (Array.isArray(issues)) return `unreadable ${issues.map((issue) => (issue.path ?? []).map(String).join('.') || 'entry').join(', ')}`;
  return error instanceof Error ? `${error.name}` : 'unreadable';
}

/**
 * Reads each entry of a provider's listing with `read`; an entry it cannot read (it throws) is
 * left out and reported, so one odd entry never fails the page (CONTRACT §7).
 */
export function readEachEntry<T, R>(provider: string, entries: readonly T[], read: (entry: T) => R): R[] {
  const results: R[] = [];
  for (const entry of entries) {
    try {
      results.push(read(entry));
    } catch (error) {
      skipUnreadableEntry(provider, reasonOf(error));
    }
  }
  return results;
}
