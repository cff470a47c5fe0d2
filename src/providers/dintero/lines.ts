import { invalidState } from '../../domain/errors.js';
import { formatMoney } from '../../domain/money.js';
import type { LineItem, Order } from '../../domain/order.js';
import type { OrderChange } from '../../domain/order-events.js';
import type { RecordingLine } from './provider-data.js';
import type { DinteroTransaction } from './wire.js';

/*
 * Dintero numbers an order's lines twice: the Orders API with integers (the seed's `line_id: 1`),
 * Checkout with strings (`line_id: "1"`). The gateway numbers the Orders API lines 1, 2, ... in
 * the order's line order, and gives Checkout the client's own line id where there is one. This
 * file is the one place that translates between the two.
 */

/** The Orders API's integer line_id of the order's line at `index`. */
export const orderLineNumber = (index: number): number => index + 1;

/** The Checkout line_id of the order's line at `index`: the client's lineId, else the number. */
export const checkoutLineId = (item: Pick<LineItem, 'lineId'>, index: number): string => item.lineId ?? String(orderLineNumber(index));

/** Checkout line_id -> Orders API line_id, for an order's lines. */
export function lineTable(items: Pick<LineItem, 'lineId'>[]): Record<string, number> {
  return Object.fromEntries(items.map((item, index) => [checkoutLineId(item, index), orderLineNumber(index)]));
}

/** Every line of the order with its gross amount, as the authorization and cancel recordings carry them. */
export function orderLines(order: Pick<Order, 'items'>): RecordingLine[] {
  return order.items.map((item, index) => ({ line_id: orderLineNumber(index), amount: item.amount.minor })).filter((line) => line.amount > 0);
}

/**
 * Authorization lines from the transaction itself (a callback does not see the gateway's order):
 * each transaction item is matched by its Checkout `line_id` through the order's line table.
 * Undefined when a line is unknown or the lines do not add up to the transaction's amount (the
 * recording is then left to reconciliation, which knows the order).
 */
export function transactionLines(transaction: DinteroTransaction, table: Record<string, number>): RecordingLine[] | undefined {
  const lines: RecordingLine[] = [];
  for (const item of transaction.items ?? []) {
    const number = table[item.line_id];
    if (number === undefined) return undefined;
    if (item.amount > 0) lines.push({ line_id: number, amount: item.amount });
  }
  const sum = lines.reduce((total, line) => total + line.amount, 0);
  return lines.length && sum === transaction.amount ? lines : undefined;
}

/** Money moved (or possibly moved) per Orders API line, by whatever recorded or is about to. */
export interface LineMovement {
  kind: 'captures' | 'refunds';
  items: RecordingLine[];
}

function perLine(movements: LineMovement[], kind: LineMovement['kind']): Map<number, number> {
  const totals = new Map<number, number>();
  for (const movement of movements) {
    if (movement.kind !== kind) continue;
    for (const item of movement.items) totals.set(item.line_id, (totals.get(item.line_id) ?? 0) + item.amount);
  }
  return totals;
}

/**
 * Money the order shows as captured (refunded) that no movement of the gateway's accounts for:
 * taken at Dintero itself (a profile that captures at once, Dintero's back office). It is put on
 * the lines in their order, each up to what it has room for, so that it can be refunded (before,
 * its refund was INVALID_STATE: no line had anything captured). Movements of unknown outcome that
 * the order does not show yet make the difference negative: nothing is added then.
 */
function withUnaccounted(totals: Map<number, number>, unaccounted: number, roomOf: (number: number) => number, numbers: number[]): void {
  let left = unaccounted;
  for (const number of numbers) {
    if (left <= 0) return;
    const take = Math.min(Math.max(0, roomOf(number)), left);
    if (take > 0) totals.set(number, (totals.get(number) ?? 0) + take);
    left -= take;
  }
}

const sumOf = (totals: Map<number, number>): number => [...totals.values()].reduce((total, amount) => total + amount, 0);

/**
 * Where money the order shows captured (`capturedMinor`) and no capture of the gateway's accounts
 * for (`movements`) sits on the lines: spread as linesFor spreads it (withUnaccounted), so a refund
 * of it names the same lines the capture mark for it does. Empty when nothing is unaccounted.
 */
export function unaccountedCaptureLines(order: Pick<Order, 'items'>, movements: LineMovement[], capturedMinor: number): RecordingLine[] {
  const captured = perLine(movements, 'captures');
  const spread = new Map<number, number>();
  const numbers = order.items.map((_, index) => orderLineNumber(index));
  withUnaccounted(spread, capturedMinor - sumOf(captured), (number) => (order.items[number - 1]?.amount.minor ?? 0) - (captured.get(number) ?? 0), numbers);
  return numbers.filter((number) => (spread.get(number) ?? 0) > 0).map((number) => ({ line_id: number, amount: spread.get(number)! }));
}

/**
 * The lines a capture or refund is about, in both numberings. Lines named by the client are checked
 * against what each line has left; an amount alone is spread over the lines in order. Per-line
 * bounds are Dintero's (the domain checks only the order's totals), so a breach is INVALID_STATE
 * before any call. `movements` must include every capture / refund that may have happened,
 * recorded or not, so that two changes never both count on the same room. `shown` is what the
 * order shows captured and refunded on the transaction (see withUnaccounted).
 */
export function linesFor(
  order: Pick<Order, 'items'>,
  movements: LineMovement[],
  change: OrderChange,
  shown?: { capturedMinor: number; refundedMinor: number },
): { checkout: { line_id: string; amount: number }[]; orders: RecordingLine[] } {
  if (change.type === 'CANCEL' || !change.amount) throw new Error('only captures and refunds have lines');
  const captured = perLine(movements, 'captures');
  const refunded = perLine(movements, 'refunds');
  if (shown) {
    const numbers = order.items.map((_, index) => orderLineNumber(index));
    const grossOf = (number: number): number => order.items[number - 1]?.amount.minor ?? 0;
    withUnaccounted(captured, shown.capturedMinor - sumOf(captured), (number) => grossOf(number) - (captured.get(number) ?? 0), numbers);
    withUnaccounted(refunded, shown.refundedMinor - sumOf(refunded), (number) => (captured.get(number) ?? 0) - (refunded.get(number) ?? 0), numbers);
  }
  const lines = order.items.map((item, index) => {
    const number = orderLineNumber(index);
    const room =
      change.type === 'CAPTURE'
        ? item.amount.minor - (captured.get(number) ?? 0)
        : (captured.get(number) ?? 0) - (refunded.get(number) ?? 0);
    return { lineId: checkoutLineId(item, index), number, room };
  });
  const verb = change.type === 'CAPTURE' ? 'capture' : 'refund';
  let chosen: { lineId: string; number: number; amount: number }[];
  if (change.items) {
    chosen = change.items.map((item) => {
      const line = lines.find((candidate) => candidate.lineId === item.lineId);
      if (!line) throw new Error('the domain checks the line ids');
      if (item.amount.minor > line.room) throw invalidState(`Line "${item.lineId}" has ${Math.max(0, line.room)} minor units left to ${verb}`);
      line.room -= item.amount.minor; // the same line named twice in one change
      return { lineId: line.lineId, number: line.number, amount: item.amount.minor };
    });
  } else {
    let left = change.amount.minor;
    chosen = [];
    for (const line of lines) {
      const take = Math.min(Math.max(0, line.room), left);
      if (take > 0) chosen.push({ lineId: line.lineId, number: line.number, amount: take });
      left -= take;
    }
    if (left > 0) throw invalidState(`The order's lines have less than ${formatMoney(change.amount)} left to ${verb}`);
  }
  return {
    checkout: chosen.map((line) => ({ line_id: line.lineId, amount: line.amount })),
    orders: chosen.map((line) => ({ line_id: line.number, amount: line.amount })),
  };
}
