import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../src/domain/errors.js';
import { mostChoosable } from '../../src/domain/line-choices.js';
import { parseCreateOrder, type CreateOrderInput } from '../../src/domain/orders/create-order-input.js';
import { dinteroCapabilities } from '../../src/providers/dintero/capabilities.js';
import { intergiroCapabilities } from '../../src/providers/intergiro/capabilities.js';
import { peiCapabilities } from '../../src/providers/pei/capabilities.js';

/** A Pei order with a group of two sizes (the small one by default) and two optional extras. */
const CHOICES: CreateOrderInput['items'] = [
  { name: 'Small box', amount: '1000', group: 'Size', selected: true },
  { name: 'Large box', amount: '1500', group: 'Size' },
  { name: 'Gift wrap', amount: '300', optional: true },
  { name: 'Card', amount: '200', optional: true, selected: true },
  { name: 'Delivery', amount: '700' },
];

const refusal = (run: () => unknown): { code: string; field: unknown; message: string } => {
  try {
    run();
  } catch (error) {
    if (error instanceof GatewayError) return { code: error.code, field: error.details.field, message: error.message };
    throw error;
  }
  throw new Error('not refused');
};

describe('an order whose lines the buyer chooses among (domain/line-choices.ts)', () => {
  it('Pei: the total is the default selection (plain lines, the group\'s selected line, selected extras)', () => {
    const command = parseCreateOrder({ provider: 'PEI', currency: 'ISK', items: CHOICES }, 'o-1', peiCapabilities);
    expect(command.total).toMatchObject({ minor: 1000 + 200 + 700, currency: 'ISK' });
    // Every line still goes to Pei, with its choice, for the buyer's page.
    expect(command.items.map((item) => [item.name, item.group, item.optional, item.selected])).toEqual([
      ['Small box', 'Size', undefined, true],
      ['Large box', 'Size', undefined, undefined],
      ['Gift wrap', undefined, true, undefined],
      ['Card', undefined, true, true],
      ['Delivery', undefined, undefined, undefined],
    ]);
  });

  it('a grouped line marked optional but not selected does not count (the seed: IsOptional has no effect on grouped items)', () => {
    const items = [
      { name: 'A', amount: '100', group: 'G', optional: false },
      { name: 'B', amount: '50' },
    ];
    expect(parseCreateOrder({ provider: 'PEI', currency: 'ISK', items }, 'o-2', peiCapabilities).total?.minor).toBe(50);
  });

  it('Pei: a client\'s amount must be the default selection\'s sum, and the refusal says which sum', () => {
    expect(parseCreateOrder({ provider: 'PEI', currency: 'ISK', items: CHOICES, amount: '1900' }, 'o-3', peiCapabilities).total?.minor).toBe(1900);
    const refused = refusal(() => parseCreateOrder({ provider: 'PEI', currency: 'ISK', items: CHOICES, amount: '4400' }, 'o-4', peiCapabilities));
    expect(refused).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.amount' });
    expect(refused.message).toContain('selected by default');
  });

  it('Pei: nothing selected by default is a total of zero, refused', () => {
    const items = [{ name: 'Extra', amount: '300', optional: true }];
    expect(refusal(() => parseCreateOrder({ provider: 'PEI', currency: 'ISK', items }, 'o-5', peiCapabilities))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.items' });
  });

  it.each([
    ['INTERGIRO', intergiroCapabilities, { group: 'Size' }, 'group'],
    ['DINTERO', dinteroCapabilities, { optional: true }, 'optional'],
    ['DINTERO', dinteroCapabilities, { selected: false }, 'selected'],
  ] as const)('%s has no choices: a line with %j is refused at its field, not charged in full', (provider, capabilities, choice, field) => {
    const items = [{ name: 'Plain', amount: '10.00' }, { name: 'Chosen', amount: '5.00', ...choice }];
    const refused = refusal(() => parseCreateOrder({ provider, currency: 'EUR', items }, 'o-6', capabilities));
    expect(refused).toMatchObject({ code: 'BAD_USER_INPUT', field: `input.items.1.${field}` });
  });

  it('the most a buyer can choose: plain lines, every extra, the dearest line of each group', () => {
    const command = parseCreateOrder({ provider: 'PEI', currency: 'ISK', items: CHOICES }, 'o-8', peiCapabilities);
    expect(mostChoosable(command.items)).toBe(1500 + 300 + 200 + 700);
    expect(mostChoosable([])).toBe(0);
  });

  it('plain lines are summed as before, for every provider', () => {
    const items = [{ name: 'A', amount: '10.00' }, { name: 'B', amount: '2.50' }];
    expect(parseCreateOrder({ provider: 'INTERGIRO', currency: 'EUR', items }, 'o-7', intergiroCapabilities).total?.minor).toBe(1250);
  });
});
