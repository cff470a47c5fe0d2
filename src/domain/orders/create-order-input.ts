import { compact } from '../compact.js';
import { badInput } from '../errors.js';
import { choiceField, hasChoice, inDefaultSelection } from '../line-choices.js';
import { exponentOf, formatMoney, parseMoney, parsePositiveMoney, sum, type Money } from '../money.js';
import type { LineItem, Provider } from '../order.js';
import { PROVIDER_OPTIONS_FIELDS, type ProviderCapabilities } from '../provider-capabilities.js';
import type { Buyer, CreateOrderCommand, ReturnUrls } from '../provider-port.js';

/**
 * CreateOrderInput as GraphQL hands it over (nullable fields arrive as null): the one declaration
 * of its shape; schema/inputs.ts implements the GraphQL input against it.
 */
export interface CreateOrderInput {
  provider: Provider;
  reference?: string | null;
  currency?: string | null;
  items?: LineItemInput[] | null;
  amount?: string | null;
  buyer?: { [K in keyof Buyer]?: string | null } | null;
  returnUrls?: { [K in keyof ReturnUrls]?: string | null } | null;
  expiresAt?: Date | string | null;
  /** Each provider's own options: the adapter reads its own (`capabilities.optionsField`) with its own schema. */
  intergiro?: object | null;
  pei?: object | null;
  intershop?: object | null;
  dintero?: object | null;
  idempotencyKey?: string | null;
}

export interface LineItemInput {
  lineId?: string | null;
  code?: string | null;
  name: string;
  quantity?: number | null;
  unit?: string | null;
  unitPrice?: string | null;
  amount: string;
  taxRate?: number | null;
  group?: string | null;
  optional?: boolean | null;
  selected?: boolean | null;
}

/**
 * Turns the client's input into a provider-neutral command: exact money, items whose sum is
 * the total, absolute URLs. What differs per provider comes from its `capabilities` (which
 * options field is its own, whether the client or a basket sets the contents); the rest of a
 * provider's rules are the adapter's `validateCreate`.
 */
export function parseCreateOrder(input: CreateOrderInput, orderId: string, capabilities: ProviderCapabilities): CreateOrderCommand {
  const optionsField = capabilities.optionsField;
  for (const field of PROVIDER_OPTIONS_FIELDS) {
    if (field !== optionsField && input[field] != null) {
      throw badInput(`input.${field}`, `${field} options do not apply to a ${input.provider} order`);
    }
  }

  const currency = input.currency ?? undefined;
  if (currency !== undefined) exponentOf(currency, 'input.currency');
  if (capabilities.contents === 'input' && !currency) throw badInput('input.currency', 'A currency is required');
  if (capabilities.contents === 'basket') {
    const fromBasket = (what: string) => `${input.provider} orders take their ${what} from the basket`;
    if (currency) throw badInput('input.currency', fromBasket('currency'));
    if (input.items?.length) throw badInput('input.items', fromBasket('lines'));
    if (input.amount != null) throw badInput('input.amount', fromBasket('total'));
  }

  const items = currency ? (input.items ?? []).map((item, index) => parseLineItem(item, currency, `input.items.${index}`, index)) : [];
  items.forEach((item, index) => {
    if (items.findIndex((other) => other.lineId === item.lineId) !== index) {
      throw badInput(`input.items.${index}.lineId`, `lineId "${item.lineId}" is used by another line`);
    }
  });
  items.forEach((item, index) => {
    if (!capabilities.lineChoices && hasChoice(item)) {
      const field = choiceField(item);
      throw badInput(`input.items.${index}.${field}`, `${input.provider} orders have no grouped or optional lines: every line is charged`);
    }
  });
  let total: Money | undefined;
  if (currency) {
    // The purchase as created: alternatives and extras the buyer has not chosen yet do not count.
    const counted = items.filter(inDefaultSelection);
    const itemsTotal = items.length ? sum(currency, counted.map((item) => item.amount)) : undefined;
    const amount = input.amount != null ? parsePositiveMoney(input.amount, currency, 'input.amount') : undefined;
    if (amount && itemsTotal && amount.minor !== itemsTotal.minor) {
      const whose = counted.length === items.length ? "the items' sum" : 'the sum of the lines selected by default';
      throw badInput('input.amount', `The amount ${formatMoney(amount)} is not ${whose} ${formatMoney(itemsTotal)}`);
    }
    total = amount ?? itemsTotal;
    if (total && total.minor <= 0) throw badInput('input.items', 'The order total must be greater than zero');
  }

  const expiresAt = input.expiresAt == null ? undefined : new Date(input.expiresAt).toISOString();
  return {
    provider: input.provider,
    orderId,
    items,
    options: optionsField ? (input[optionsField] ?? undefined) : undefined,
    ...(input.reference ? { reference: input.reference } : {}),
    ...(currency ? { currency } : {}),
    ...(total ? { total } : {}),
    ...(input.buyer ? { buyer: compact(input.buyer) } : {}),
    ...(input.returnUrls ? { returnUrls: compact(input.returnUrls) } : {}),
    ...(expiresAt ? { expiresAt } : {}),
  };
}

/** Lines without a lineId are numbered "1", "2"... so captures and refunds can name them. */
function parseLineItem(input: LineItemInput, currency: string, field: string, index: number): LineItem {
  const defaultLineId = String(index + 1);
  const amount = parsePositiveMoney(input.amount, currency, `${field}.amount`);
  const unitPrice = input.unitPrice != null ? parseMoney(input.unitPrice, currency, `${field}.unitPrice`) : undefined;
  if (input.quantity != null && !(input.quantity > 0)) throw badInput(`${field}.quantity`, 'The quantity must be greater than zero');
  if (unitPrice && input.quantity != null) {
    const expected = unitPrice.minor * input.quantity;
    if (Math.abs(expected - amount.minor) > 1e-9) {
      throw badInput(`${field}.amount`, `The amount ${formatMoney(amount)} is not unitPrice × quantity`);
    }
  }
  if (input.taxRate != null && (input.taxRate < 0 || input.taxRate > 100)) {
    throw badInput(`${field}.taxRate`, 'The tax rate is a percentage from 0 to 100');
  }
  return compact({
    lineId: input.lineId ?? defaultLineId,
    code: input.code,
    name: input.name,
    quantity: input.quantity,
    unit: input.unit,
    unitPrice,
    amount,
    taxRate: input.taxRate,
    group: input.group,
    optional: input.optional,
    selected: input.selected,
  });
}
