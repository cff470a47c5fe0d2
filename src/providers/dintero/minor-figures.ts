import type { DinteroTransactionRead } from './wire.js';

/*
 * A transaction read's figures (wire.ts readFigure keeps a fraction as written) as whole minor
 * units. The seed writes every amount as an integer in minor units; no seed shows a read, so a
 * Dintero may write its reads in major units with a fraction (`99.5` for 99.50 NOK). binding.ts
 * tells the units against the order's total; whatever is then not a whole number of minor units
 * is no amount at all (read as none, as an amount of another form is): never rounded into money.
 */

/**
 * `figure` times `factor` where that is a whole number, else undefined. Within a millionth of one:
 * a double cannot hold most decimal fractions (4.98 * 100 is 498.00000000000006), and a figure
 * written with two decimals is whole in minor units however its double rounds.
 */
export function wholeMinor(figure: number, factor: number): number | undefined {
  const scaled = figure * factor;
  const whole = Math.round(scaled);
  return Number.isSafeInteger(whole) && Math.abs(scaled - whole) < 1e-6 ? whole : undefined;
}

/** The read with each amount that is not a whole number of minor units as none (items: the whole list, as an unreadable one). */
export function wholeMinorOnly(read: DinteroTransactionRead, factor = 1): DinteroTransactionRead {
  const whole: DinteroTransactionRead = { ...read, events: read.events.map((event) => withAmount({ ...event }, event.amount, factor)) };
  withAmount(whole, read.amount, factor);
  const items = read.items?.map((item) => ({ ...item, amount: wholeMinor(item.amount, factor) }));
  if (items?.every((item): item is typeof item & { amount: number } => item.amount !== undefined)) whole.items = items;
  else delete whole.items;
  return whole;
}

/** `holder` with its `amount` as `figure` in whole minor units, or without one. */
function withAmount<T extends { amount?: number }>(holder: T, figure: number | undefined, factor: number): T {
  const minor = figure === undefined ? undefined : wholeMinor(figure, factor);
  if (minor === undefined) delete holder.amount;
  else holder.amount = minor;
  return holder;
}
