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
