import { createHash } from 'node:crypto';
import { storeKeys } from '../store/keys.js';
import type { Store } from '../store/types.js';
import type { Provider } from './order.js';
import type { WebhookHint } from './provider-port.js';

/**
 * The lease that bounds how often one order is re-read upstream on behalf of someone who asked
 * (an `order(id)` read-through, an unsigned webhook hint): at most once per reconciliation
 * interval however many ask, shared by every instance through the store. Its value is the moment
 * it expires (epoch ms), so whoever is turned away knows when the order can be read again.
 *
 * Takes the lease (a key of storeKeys) for `ms`; true when this call took it.
 */
export function takeRefreshLease(store: Store, key: string, ms: number, now = Date.now()): Promise<boolean> {
  return store.kv.setIfAbsent(key, String(now + ms), ms);
}

/**
 * `admitted`: read the provider now. `unread`: a hint naming an order the gateway does not know,
 * past its own answer lease while the provider's read of unknown ids is taken: answered as such a
 * read answers, without the read (see admit). `admitted: false`: 429 until `retryAfterMs`.
 */
export type HintAdmission = { admitted: true; unread?: false } | { admitted: true; unread: true } | { admitted: false; retryAfterMs: number };

/**
 * Unsigned webhooks (Pei's postback, Dintero's callback) are only hints: each makes the gateway
 * re-read the provider before believing anything, so a forger could make it call the provider
 * once per request. A hint is admitted only if it takes the refresh lease of the order it names,
 * the very lease `order(id)` read-through takes: at most one re-read per order per interval,
 * from hints and reads together. A hint that names no order the gateway knows takes one lease
 * per provider instead, so made-up ids cost at most one provider read per interval altogether.
 *
 * A turned-away hint loses nothing: the order is scheduled for the reconciliation poller at the
 * lease's end at the latest (a fixed moment, so a burst of hints cannot keep pushing it back; and
 * a re-read already due sooner, such as the one the first of two copies of a callback asked for,
 * is kept: before, the copy moved it to the lease's end), and the poller re-reads it then,
 * whatever the hint said. The hint is answered 429 with Retry-After, so a
 * provider that retries its callbacks tries again after the lease too. A genuine callback that
 * arrives during a forged burst therefore takes effect at the latest one interval later.
 */
export class WebhookHintThrottle {
  constructor(
    private readonly store: Store,
    private readonly intervalMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  async admit(provider: Provider, hint: WebhookHint): Promise<HintAdmission> {
    const order = hint.providerOrderId ? await this.store.orders.findByProviderOrderId(provider, hint.providerOrderId) : null;
    // A hint to a URL the gateway signed for its order is the provider's own callback: a
    // read-through of the order (a frontend polling order(id)) or a forged burst must not turn
    // it away, since a provider that does not retry (Pei's seed promises no retry) would lose it,
    // and for a Pei whose order read cannot say "confirmed" it is the only word there is. It has
    // a lease of its own: a leaked URL still costs one provider read per interval at most, per
    // word the adapter tells apart (vouchedWord: a Declined and the Confirmed after it are two).
    // A hint naming an id the gateway does not know gets a lease of its own too, for its answer:
    // before, such hints shared the provider's one lease, so the second of two quick hints for a
    // new id was 429 or not as the id was unknown or known, which told a forger which provider
    // order ids the gateway holds (security probe 4). The provider is still read for unknown ids
    // once per interval altogether (unknownAdmission): a forger's made-up ids buy no more reads.
    const unknownId = !hint.vouchedFor && !order && hint.providerOrderId ? hint.providerOrderId : undefined;
    const key = hint.vouchedFor
      ? storeKeys.refreshLeaseOfVouchedHint(hint.vouchedFor, hint.vouchedWord)
      : order
        ? storeKeys.refreshLease(order.id)
        : unknownId !== undefined
          ? storeKeys.answerLeaseOfUnknownHint(provider, createHash('sha256').update(unknownId).digest('base64url'))
          : storeKeys.refreshLeaseOfUnknownHints(provider);
    const now = this.now();
    if (await takeRefreshLease(this.store, key, this.intervalMs, now)) return unknownId === undefined ? { admitted: true } : this.unknownAdmission(provider, now);
    const held = Number(await this.store.kv.get(key));
    // A lease taken before its value was the expiry ('1') counts as a whole interval.
    const until = Number.isFinite(held) && held > now ? Math.min(held, now + this.intervalMs) : now + this.intervalMs;
    if (order) await this.store.schedule.ask(order.id, until);
    return { admitted: false, retryAfterMs: until - now };
  }

  /**
   * The first hint for an unknown id within the interval: the provider's read of unknown ids, or,
   * while another unknown id holds it, `unread` (the hint is answered as a read of an unknown id
   * is; its id is no order of the gateway's, and a creation it may race is reconciled anyway).
   */
  private async unknownAdmission(provider: Provider, now: number): Promise<HintAdmission> {
    const read = await takeRefreshLease(this.store, storeKeys.refreshLeaseOfUnknownHints(provider), this.intervalMs, now);
    return read ? { admitted: true } : { admitted: true, unread: true };
  }
}
