import { formatMoney, type Money } from '../domain/money.js';
import { builder } from './builder.js';

export const MoneyRef = builder.objectRef<Money>('Money').implement({
  description: 'An exact amount. `amount` is a decimal string in major units; `minorUnits` the same in ISO 4217 minor units.',
  fields: (t) => ({
    amount: t.field({ type: 'Decimal', resolve: (money) => formatMoney(money) }),
    currency: t.exposeString('currency'),
    minorUnits: t.field({ type: 'SafeInt', resolve: (money) => money.minor }),
  }),
});
