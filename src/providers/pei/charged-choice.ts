import type { LineItem } from '../../domain/order.js';

/**
 * What Pei charged for the buyer's choice among the order's lines, where its postback writes it as
 * a single group of `000` (round twenty-five): is-IS's `decimal.ToString("N0")` of 5000 kr. is
 * `5.000`, which the invariant culture reads as 5 kr. Both are whole krónur, so the figure alone
 * does not say (numeric.ts leaves it unread), and nothing else in a postback of the amount alone
 * does. The order's lines do: Pei charges a choice among them (the seed's GroupName, IsOptional,
 * IsDefaultSelected), so a reading that is no total any choice makes is no charge of Pei's. Where
 * exactly one of the two readings is such a total it is the charge; where both are, or neither,
 * the figure stays unread (never a guess: the default selection's total is shown, as before).
 * Before, every such postback was unread: the buyer choosing the cheaper vehicle was shown
 * CAPTURED for the default selection's 4000 kr. where Pei charged 3000 (more than Pei moved).
 */
export function chargedOfChoice(readings: readonly [number, number], items: readonly LineItem[]): number | undefined {
  const totals = choosableTotals(items);
  if (totals === undefined) return undefined;
  const possible = readings.filter((reading) => totals.has(reading));
  return possible.length === 1 ? possible[0] : undefined;
}

/** More totals than this and the choice is not worked out (an order of many optional lines): the figure stays unread. */
const MOST_TOTALS = 4096;

/**
 * Every total (minor units) a buyer's choice among `items` can make: each plain line always; each
 * optional extra in or out; of each group one alternative, or none (the seed says "only one of
 * them selected"; none is counted too, so that a total is ruled out only where no reading of the
 * seed allows it). Undefined where there are more than MOST_TOTALS.
 */
export function choosableTotals(items: readonly LineItem[]): Set<number> | undefined {
  let totals = new Set<number>([0]);
  const add = (choices: readonly number[]): boolean => {
    const next = new Set<number>();
    for (const total of totals) for (const choice of choices) next.add(total + choice);
    totals = next;
    return totals.size <= MOST_TOTALS;
  };
  const groups = new Map<string, number[]>();
  for (const item of items) {
    if (item.group !== undefined) groups.set(item.group, [...(groups.get(item.group) ?? [0]), item.amount.minor]);
    else if (!add(item.optional === true ? [0, item.amount.minor] : [item.amount.minor])) return undefined;
  }
  for (const choices of groups.values()) if (!add(choices)) return undefined;
  return totals;
}
