import type { Caller } from '../domain/caller.js';

/**
 * Operation names come from clients: a label per distinct name would let any client grow the
 * registry without bound. Plain names are kept up to this many per gateway, the rest are `other`.
 */
export const MAX_OPERATION_NAMES = 200;
/**
 * Of those, how many a caller without a verified token may introduce (security probe 5): before,
 * 200 anonymous `query JunkN { __typename }` requests took every slot, and from then on the
 * gateway's own clients' operations (CreateOrder, GetOrder...) all counted as `other`, so a
 * dashboard or alert on them went blind. Names already held keep their label for anyone.
 */
export const MAX_UNVERIFIED_OPERATION_NAMES = 50;
/**
 * How many names one browser-grade `sub` may introduce (security probe 7). A client's documents
 * have a handful of names (the repo's own: eleven); before, one valid token of any scope (a
 * browser's `orders:create` one, which a shop hands to every visitor) took all 150 slots kept for
 * verified callers with made-up names, and the back office's `RefundOrder` then counted as
 * `other`. A server token (`orders:read`, `orders:manage`) has no such cap: a back office's one
 * service account may well send more than 25 names, and a holder of such a token is trusted with
 * refunds already.
 */
export const MAX_OPERATION_NAMES_PER_CALLER = 25;
/**
 * How many names callers holding no scope beyond `orders:create` (the scope a shop hands to
 * browsers, each visitor possibly a `sub` of its own) may introduce together (security probe 7):
 * the rest of the verified slots stay for server tokens (`orders:read`, `orders:manage`), whose
 * operations (refunds, captures, listings) are what a dashboard watches.
 */
export const MAX_BROWSER_OPERATION_NAMES = 50;

const PLAIN_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

/** A caller whose scopes go no further than creating orders (a browser's token). */
function browserGrade(caller: Caller): boolean {
  return [...caller.scopes].every((scope) => scope === 'orders:create' || !scope.startsWith('orders:'));
}

/**
 * The operation-name label slots of one gateway instance, first come first served within each
 * share: anonymous callers, browser-grade tokens, and any one browser-grade `sub` each introduce at
 * most a share of them. Names already held keep their label for anyone.
 */
export class OperationNameSlots {
  private readonly names = new Set<string>();
  private unverified = 0;
  private browser = 0;
  /** Names introduced per browser-grade `sub`: at most one entry per held name, so bounded too. */
  private readonly perCaller = new Map<string, number>();

  /** `caller`: the operation's verified caller (true: verified, caller unknown); false or undefined: none. */
  label(name: string | null | undefined, caller?: Caller | boolean): string {
    if (!name) return 'anonymous';
    if (!PLAIN_NAME.test(name)) return 'other';
    if (this.names.has(name)) return name;
    if (this.names.size >= MAX_OPERATION_NAMES) return 'other';
    if (!caller) {
      if (this.unverified >= MAX_UNVERIFIED_OPERATION_NAMES) return 'other';
      this.unverified += 1;
    } else if (caller !== true && browserGrade(caller)) {
      const introduced = this.perCaller.get(caller.sub) ?? 0;
      if (introduced >= MAX_OPERATION_NAMES_PER_CALLER || this.browser >= MAX_BROWSER_OPERATION_NAMES) return 'other';
      this.browser += 1;
      this.perCaller.set(caller.sub, introduced + 1);
    }
    this.names.add(name);
    return name;
  }
}
