import { forbidden, notFound, unauthenticated } from './errors.js';
import type { Order } from './order.js';

/** CONTRACT §4 scopes. */
export type Scope = 'orders:create' | 'orders:read' | 'orders:manage';

/** Who is calling, from a verified bearer token. */
export interface Caller {
  sub: string;
  scopes: ReadonlySet<string>;
}

export function requireCaller(caller: Caller | null): Caller {
  if (!caller) throw unauthenticated('A valid bearer token is required');
  return caller;
}

export function requireScope(caller: Caller | null, scope: Scope): Caller {
  const known = requireCaller(caller);
  if (!known.scopes.has(scope)) throw forbidden(`The token lacks the ${scope} scope`);
  return known;
}

/** Readers of orders: a back office (orders:read) or the browser that created them (orders:create). */
export function requireOrderReader(caller: Caller | null): Caller {
  const known = requireCaller(caller);
  if (!known.scopes.has('orders:read') && !known.scopes.has('orders:create')) {
    throw forbidden('The token needs the orders:read or orders:create scope');
  }
  return known;
}

/**
 * `orders:read` sees every order; `orders:create` sees the orders its own `sub` created
 * (a browser watching its checkout). Everyone else sees nothing.
 */
export function canSee(caller: Caller, order: Order): boolean {
  if (caller.scopes.has('orders:read')) return true;
  return caller.scopes.has('orders:create') && order.owner !== null && order.owner === caller.sub;
}

/**
 * For an existing order a caller acts on or watches: one it may not see is NOT_FOUND, exactly as
 * an unknown id is (same code, same message), so a caller cannot learn which ids exist by trying
 * them (`order(id)` answers null for both, CONTRACT §2).
 */
export function requireOwnOrder(caller: Caller, order: Order): void {
  if (!canSee(caller, order)) throw notFound();
}

/**
 * For a step of an order's creation (continueOrderCreation): only the caller whose `sub` created
 * it. `orders:read` is for reading every order, not for taking the next step of another caller's
 * checkout: before, a shop server holding `orders:create orders:read` continued another shop's
 * stopped Intershop order with its own return URLs (the buyer came back from the PSP to that
 * server's page) or sent its own 3-D Secure result for another shop's card order (security
 * probe 3). An order it may not see stays NOT_FOUND, as an unknown id; one it may read but did not
 * create is FORBIDDEN (CONTRACT §3: "the order is not the caller's"). An order with no owner (made
 * outside the gateway, adopted from a provider's listing) is no caller's checkout: it keeps the
 * rule of reading, so a back office may still finish one.
 */
export function requireOwnCreation(caller: Caller, order: Order): void {
  requireOwnOrder(caller, order);
  if (order.owner !== null && order.owner !== caller.sub) throw forbidden("The order is not the caller's: only the caller that created it may continue its creation");
}
