import { randomUUID } from 'node:crypto';
import { GatewayError, invalidState } from '../errors.js';
import { formatMoney, type Money } from '../money.js';
import { paymentTotals, rememberKeys } from '../observation.js';
import { projectOrderChange, type OrderChange, type OrderEventType } from '../order-events.js';
import type { Info, Order } from '../order.js';
import { isFinal } from '../status.js';

/**
 * Intent before call: a capture, refund or cancel is written on the order (`pendingOperations`)
 * under its change lease before the provider is asked, and counts against the bounds from then
 * on. The provider's answer settles it (removed in the write that records the effect). An answer
 * that never came (a timeout, a reset, a crash, the store down after the call) leaves it pending:
 * it is then resolved by reading the provider (reconciliation, see `resolvePending`), never by
 * sending it again.
 */
export interface PendingOperation {
  id: string;
  type: OrderEventType;
  amount?: Money;
  items?: { lineId: string; amount: Money }[];
  /** The change's request key (from its idempotency key): a retry with it waits for the resolution. */
  requestKey?: string;
  /** When it was written (ISO): past `PENDING_OPERATION_BOUND_MS` without a sign of it, it is dropped as not done. */
  since: string;
  /** The order's figure once it took effect (minor units), to recognise it in a provider's read-back. */
  expect: { captured?: number; refunded?: number; cancelled?: true };
}

/**
 * How long an operation the provider's figures do not show stays pending before it counts as
 * never done. Long enough for a provider that records late (Dintero's own bound is the same).
 */
export const PENDING_OPERATION_BOUND_MS = 10 * 60_000;

/** The intents of one element's changes; `before` is the order they are checked against (pending ones projected). */
export function intentsOf(before: Order, changes: OrderChange[], now: Date): PendingOperation[] {
  let projected = before;
  return changes.map((change) => {
    projected = projectOrderChange(projected, change);
    const totals = paymentTotals(projected);
    const expect = change.type === 'CANCEL' ? { cancelled: true as const } : change.type === 'CAPTURE' ? { captured: totals.captured.minor } : { refunded: totals.refunded.minor };
    return {
      id: randomUUID(),
      type: change.type,
      ...(change.amount ? { amount: change.amount } : {}),
      ...(change.items ? { items: change.items } : {}),
      ...(change.requestKey ? { requestKey: change.requestKey } : {}),
      since: now.toISOString(),
      expect,
    };
  });
}

/** The order as its pending operations will leave it: what a new change is checked against. */
export function withPending(order: Order): Order {
  return (order.pendingOperations ?? []).reduce((projected, operation) => projectOrderChange(projected, operation), order);
}

/**
 * A retry of a change whose first attempt is still pending is answered this, never sent again;
 * one whose outcome the provider's reads cannot show (`unshownOperations`) is refused for good.
 */
export function refuseWhilePending(order: Order, requestKey: string): void {
  if (order.pendingOperations?.some((operation) => operation.requestKey === requestKey)) {
    throw invalidState('This change was sent and its outcome is still being resolved with the provider; retry with the same idempotency key later');
  }
  const unshown = order.unshownOperations?.find((operation) => operation.requestKey === requestKey);
  if (unshown) throw unshownRetryRefusal(order.provider, unshown.type);
}

/**
 * The answer to a retry of a capture or refund sent before whose outcome the provider's answers
 * cannot show: nothing is sent (the money may have moved). Also for adapters that keep such
 * operations themselves (Dintero's transaction bookkeeping).
 */
export function unshownRetryRefusal(provider: string, type: OrderEventType): GatewayError {
  const what = type === 'CAPTURE' ? 'capture' : 'refund';
  return new GatewayError(
    'PROVIDER_UNAVAILABLE',
    `This ${what} was sent to ${provider} before under this idempotency key, and ${provider}'s answers cannot show whether it happened; it is not sent again. Check the order at ${provider}, and send the ${what} with a new idempotency key if it did not happen`,
    { notSent: true },
  );
}

/**
 * Whether the provider's reads of the order, as last recorded, would show the operation had it
 * happened (ProviderAdapter.showsOperation); absent: they would.
 */
export type ShowsOperation = (order: Order, operation: PendingOperation) => boolean;

/** The Info an order carries for each capture / refund whose outcome its provider's reads cannot show. */
export const OUTCOME_UNSHOWN_INFO = 'provider.outcome_unshown';

function unshownInfo(order: Order, operation: PendingOperation): Info {
  const what = operation.type === 'CAPTURE' ? 'capture' : 'refund';
  const amount = operation.amount ? ` of ${formatMoney(operation.amount)} ${operation.amount.currency}` : '';
  return {
    code: OUTCOME_UNSHOWN_INFO,
    message: `The answer to a ${what}${amount} sent at ${operation.since} was lost, and ${order.provider}'s answers cannot show whether it happened; it is not counted here: check it at ${order.provider}`,
  };
}

/**
 * The order with the Info of each unshown operation (a provider fact may have replaced the
 * order's infos with its own); null when nothing is missing.
 */
export function withUnshownInfos(order: Order): Order | null {
  const wanted = (order.unshownOperations ?? []).map((operation) => unshownInfo(order, operation));
  const infos = order.creation.infos;
  const missing = wanted.filter((info) => !infos.some((existing) => existing.code === info.code && existing.message === info.message));
  if (!missing.length) return null;
  return { ...order, creation: { ...order.creation, infos: [...infos, ...missing] } };
}

/**
 * Removes the named intents (settled by the provider's answer); null when none of them is there.
 * Those in `done` took effect: a capture or refund still pending that was written before one of
 * them expects a figure that does not count it (the later intent counted the earlier one, not the
 * other way round), so its expectation is raised by the done one's own amount. Before, two refunds
 * of 5.00, the first's answer lost: the second's 5.00 reached the first's expected 5.00, the first
 * was settled as done though it never reached the provider, and its retry under its key was
 * answered from the order, nothing sent (the merchant told of a refund that did not happen).
 */
export function withoutIntents(order: Order, ids: readonly string[], done: readonly string[] = []): Order | null {
  const pending = order.pendingOperations ?? [];
  const left = pending.filter((operation) => !ids.includes(operation.id));
  if (left.length === pending.length) return null;
  return { ...order, pendingOperations: left.map((operation) => raisedPast(operation, pending, done)) };
}

/** The figure a capture expects, or a refund; a cancel none. */
const FIGURE = { CAPTURE: 'captured', REFUND: 'refunded' } as const;

/** `operation` with its expectation raised by the own amount of every later operation of its kind in `done` (withoutIntents). */
function raisedPast(operation: PendingOperation, pending: readonly PendingOperation[], done: readonly string[]): PendingOperation {
  const figure = operation.type === 'CAPTURE' || operation.type === 'REFUND' ? FIGURE[operation.type] : undefined;
  const expected = figure ? operation.expect[figure] : undefined;
  if (!figure || expected === undefined || !done.length) return operation;
  const at = pending.indexOf(operation);
  let raised = expected;
  for (let index = at + 1; index < pending.length; index++) {
    if (done.includes(pending[index]!.id)) raised += ownAmount(pending, index, figure);
  }
  return raised === expected ? operation : { ...operation, expect: { ...operation.expect, [figure]: raised } };
}

/**
 * What the operation at `index` adds to `figure` on its own: its expectation less that of the
 * latest operation before it expecting the same figure (which its projection counted); 0 for none.
 */
function ownAmount(pending: readonly PendingOperation[], index: number, figure: 'captured' | 'refunded'): number {
  const value = pending[index]!.expect[figure];
  if (value === undefined) return 0;
  for (let before = index - 1; before >= 0; before--) {
    const earlier = pending[before]!.expect[figure];
    if (earlier !== undefined) return Math.max(0, value - earlier);
  }
  return 0;
}

/** Whether an order's figures (or a provider's read of them) show an operation's expected effect. */
export function showsExpected(state: { status: Order['status'] | null; total: Money; payments: Order['payments'] }, expect: PendingOperation['expect']): boolean {
  const totals = paymentTotals(state);
  return (
    (expect.captured !== undefined && totals.captured.minor >= expect.captured) ||
    (expect.refunded !== undefined && totals.refunded.minor >= expect.refunded) ||
    (expect.cancelled === true && state.status === 'CANCELLED')
  );
}

/**
 * Resolves pending operations against the order's figures as the provider last reported them:
 * one the figures show is settled as done (its request key remembered, so a retry answers the
 * order); one they do not show after `PENDING_OPERATION_BOUND_MS`, or on an order that is final
 * otherwise, is dropped as not done, unless `shows` says the provider's reads could not show it
 * (a later partial refund where only a status word says money moved): that one may have moved
 * money, so it is kept in `unshownOperations` for good instead: not counted, never sent again
 * under its key, named by an Info. Null when nothing changes.
 */
export function resolvePending(order: Order, now: Date, shows?: ShowsOperation): Order | null {
  const pending = order.pendingOperations ?? [];
  if (!pending.length) return null;
  const done: PendingOperation[] = [];
  const left: PendingOperation[] = [];
  const unshown: PendingOperation[] = [];
  for (const operation of pending) {
    const shown = showsExpected(order, operation.expect);
    const hopeless = now.getTime() - Date.parse(operation.since) > PENDING_OPERATION_BOUND_MS || (isFinal(order.status) && !shown);
    if (shown) done.push(operation);
    else if (!hopeless) left.push(operation);
    else if (operation.type !== 'CANCEL' && shows && !shows(order, operation)) unshown.push(operation);
  }
  if (left.length === pending.length) return null;
  const resolved: Order = {
    ...order,
    pendingOperations: left,
    ...(unshown.length ? { unshownOperations: [...(order.unshownOperations ?? []), ...unshown] } : {}),
  };
  const keys = done.flatMap((operation) => (operation.requestKey ? [operation.requestKey] : []));
  return rememberKeys(resolved, resolved, keys) ?? resolved;
}
