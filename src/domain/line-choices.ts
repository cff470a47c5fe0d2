import type { LineItem } from './order.js';

/**
 * Lines the buyer chooses among on the provider's own page (Pei's Items: GroupName, IsOptional,
 * IsDefaultSelected): a grouped line is one alternative of its group, an optional one an extra.
 * Only the default selection is the purchase as created, so only it counts toward the order's
 * total: counting every alternative asked Pei to charge the buyer for both vehicles of a "choose
 * one" group (the seed: "only one of them selected by the buyer"). What the buyer then chooses is
 * what the provider charges and reports.
 */
export function hasChoice(item: LineItem): boolean {
  return item.group !== undefined || item.optional !== undefined || item.selected !== undefined;
}

/**
 * Whether a line is in the purchase as created: a plain line always; a grouped one (the seed:
 * IsOptional "has no effect on items with group names") or an optional one only when selected by
 * default.
 */
export function inDefaultSelection(item: LineItem): boolean {
  if (item.group !== undefined || item.optional === true) return item.selected === true;
  return true;
}

/** The field naming a line's choice, for a refusal that points at it. */
export function choiceField(item: LineItem): 'group' | 'optional' | 'selected' {
  return item.group !== undefined ? 'group' : item.optional !== undefined ? 'optional' : 'selected';
}

/**
 * The most a buyer can choose on the provider's page (minor units): every plain line, every
 * optional extra, and the dearest alternative of each group. A charge the provider reports above
 * it is no choice of the buyer's, so it is not believed.
 */
export function mostChoosable(items: readonly LineItem[]): number {
  const dearestOfGroup = new Map<string, number>();
  let rest = 0;
  for (const item of items) {
    if (item.group === undefined) rest += item.amount.minor;
    else dearestOfGroup.set(item.group, Math.max(dearestOfGroup.get(item.group) ?? 0, item.amount.minor));
  }
  return [...dearestOfGroup.values()].reduce((sum, amount) => sum + amount, rest);
}
