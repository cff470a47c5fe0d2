import type { Provider } from '../order.js';
import type { ListedOrder, ProviderAdapter, ProviderListFilter } from '../provider-port.js';

/**
 * Why listings are shared: every `orders` field without `after` asks each listing provider for its
 * range (Pei once per day of it), and nothing bounded how often. One request of 15 aliased
 * `orders(filter: {from, to: 30 days later})` made ~495 provider calls in 0.7 s, and a back office
 * polling the same range from several tabs asked the providers again each time.
 */

/** One listing's key: the provider and the range it is asked for, as the adapter sees it. */
function keyOf(provider: Provider, range: ProviderListFilter): string {
  return `${provider}\u0000${range.from ?? ''}\u0000${range.to ?? ''}`;
}

interface SharedEntry {
  listed: Promise<ListedOrder[]>;
  /** When the listing answered (epoch ms); unset while it is under way. */
  doneAt?: number;
}

/**
 * Listings kept apart at most, whatever their age: each may hold a month of a busy merchant's
 * orders, and a caller varying its ranges must not grow this without bound. Past it the oldest is
 * forgotten (a later identical listing asks the provider again; nothing else changes).
 */
const MAX_SHARED_LISTINGS = 200;

/**
 * One gateway instance's provider listings, shared between requests: a listing under way is
 * joined by every request that asks for the same (provider, range) meanwhile (single flight), and
 * a finished one is handed out again for `shareMs`. A listing that failed is not kept: the next
 * request asks again.
 *
 * Staleness, stated: within `shareMs` a request may be answered from a listing taken up to that
 * long before it, and another instance keeps its own listings (nothing is shared through the
 * store). That is acceptable because a listing only *adopts* orders made outside the gateway and
 * brings known ones up to date as a reconciliation read would; orders the gateway makes, and every
 * callback and read, reach the store at once whatever the listing says, and the next listing after
 * `shareMs` shows what changed meanwhile.
 */
export class SharedListings {
  private readonly entries = new Map<string, SharedEntry>();

  /**
   * @param shareMs How long a finished listing is handed out again, ms; 0 shares only listings
   *   under way.
   * @param now The clock (the order use cases'), so tests move time instead of waiting.
   */
  constructor(
    private readonly shareMs: number,
    private readonly now: () => Date,
  ) {}

  /** The adapter's listing of `range`: one under way or fresh enough, else a new one. */
  list(adapter: ProviderAdapter, range: ProviderListFilter): Promise<ListedOrder[]> {
    const key = keyOf(adapter.provider, range);
    const at = this.now().getTime();
    this.forgetStale(at);
    const kept = this.entries.get(key);
    if (kept && (kept.doneAt === undefined || at - kept.doneAt < this.shareMs)) return kept.listed;
    const entry: SharedEntry = { listed: (async () => adapter.listOrders?.(range) ?? [])() };
    this.entries.delete(key);
    this.entries.set(key, entry);
    entry.listed.then(
      () => {
        entry.doneAt = this.now().getTime();
        if (this.shareMs <= 0) this.forget(key, entry);
      },
      () => this.forget(key, entry),
    );
    return entry.listed;
  }

  private forget(key: string, entry: SharedEntry): void {
    if (this.entries.get(key) === entry) this.entries.delete(key);
  }

  /** Drops finished listings past `shareMs`, oldest first, and the oldest of all past MAX_SHARED_LISTINGS. */
  private forgetStale(at: number): void {
    for (const [key, entry] of this.entries) {
      const stale = entry.doneAt !== undefined && at - entry.doneAt >= this.shareMs;
      if (!stale && this.entries.size < MAX_SHARED_LISTINGS) break;
      this.entries.delete(key);
    }
  }
}

/**
 * Distinct ranges one operation lists per provider, at most. Past them, an `orders` field answers
 * from the gateway's own orders without asking that provider (as a later page does): 15 aliases
 * each a day apart would otherwise still list Pei 15 times over. Three lets a dashboard ask
 * today, this week and this month in one operation.
 */
export const MAX_RANGES_PER_OPERATION = 3;

/**
 * One operation's listings (a GraphQL request, or one graphql-ws operation): every `orders` field
 * of it that asks a provider for the same range shares one listing and one adoption of it, and a
 * provider is asked for at most MAX_RANGES_PER_OPERATION ranges.
 */
export class OperationListings {
  private readonly adoptions = new Map<string, Promise<void>>();
  private readonly rangesOf = new Map<Provider, number>();

  /**
   * `adopt` (list, then adopt what is listed) run once for this provider and range; the same
   * promise for every later field that asks again, failures included (each field decides what a
   * failure means to it). Resolves without running it past the operation's ranges for the provider.
   */
  once(provider: Provider, range: ProviderListFilter, adopt: () => Promise<void>): Promise<void> {
    const key = keyOf(provider, range);
    const known = this.adoptions.get(key);
    if (known) return known;
    const ranges = this.rangesOf.get(provider) ?? 0;
    if (ranges >= MAX_RANGES_PER_OPERATION) return Promise.resolve();
    this.rangesOf.set(provider, ranges + 1);
    const adoption = adopt();
    this.adoptions.set(key, adoption);
    return adoption;
  }
}
