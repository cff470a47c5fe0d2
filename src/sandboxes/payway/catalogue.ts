/**
 * The sandbox's products (packages/campaigns) and their payment periods with prices: what
 * `payment_methods` prices and `place_order` checks `product_code` / `period_id` against.
 */
import { notFound, PaywayFailure } from './errors.js';

export interface PaywaySandboxPeriod {
  /** 24 hex digits, like Payway's ids. */
  id: string;
  /** Price in minor units of `currency`. */
  price: number;
  currency: string;
}

export interface PaywaySandboxProduct {
  code: string;
  periods: PaywaySandboxPeriod[];
}

/** The seed's and Payway's documentation examples, priced in SEK. */
export const DEFAULT_PRODUCTS: PaywaySandboxProduct[] = [
  {
    code: 'package_code',
    periods: [
      { id: '5e4beac909c04c404a46c730', price: 19_900, currency: 'SEK' },
      { id: '5e4bbd0e09c04c1f6498c57f', price: 21_000, currency: 'SEK' },
    ],
  },
  { code: 'adeprimo_digital', periods: [{ id: '585a4768edce2c5e6f000001', price: 9_900, currency: 'SEK' }] },
];

/** The default discount codes: code -> percent off the period's price. */
export const DEFAULT_DISCOUNT_CODES: Readonly<Record<string, number>> = { WELCOME: 20 };

export class Catalogue {
  constructor(
    private readonly products: PaywaySandboxProduct[],
    private readonly discountCodes: Readonly<Record<string, number>> = DEFAULT_DISCOUNT_CODES,
  ) {}

  /**
   * The period as the purchase is priced: after the discount code, when one is given (percent
   * off, rounded down to a whole minor unit). An unknown code is 400 `invalid_discount_code`.
   */
  pricedPeriod(productCode: string, periodId: string, discountCode: string | undefined): PaywaySandboxPeriod {
    const period = this.period(productCode, periodId);
    if (discountCode === undefined) return period;
    const percentOff = Object.hasOwn(this.discountCodes, discountCode) ? this.discountCodes[discountCode] : undefined;
    if (percentOff === undefined) {
      throw new PaywayFailure(400, { code: 'invalid_discount_code', field: 'discount_code', message: 'The discount code is not valid for this product', correlation_id: null });
    }
    return { ...period, price: Math.floor((period.price * (100 - percentOff)) / 100) };
  }

  period(productCode: string, periodId: string): PaywaySandboxPeriod {
    const product = this.products.find((candidate) => candidate.code === productCode);
    if (!product) throw notFound('product_not_found', 'product_code', `No package or campaign with code ${productCode}`);
    const period = product.periods.find((candidate) => candidate.id.toLowerCase() === periodId.toLowerCase());
    if (!period) throw notFound('period_not_found', 'period_id', `The product has no payment period ${periodId}`);
    return period;
  }
}

/** The Adyen /paymentMethods answer Payway hands the drop-in, with the period's price when one is asked for. */
export function paymentMethodsAnswer(period?: PaywaySandboxPeriod): unknown {
  return {
    item: {
      ...(period ? { amount: { currency: period.currency, value: period.price } } : {}),
      payment_methods: {
        paymentMethods: [
          { name: 'Credit Card', type: 'scheme', brands: ['visa', 'mc', 'amex'] },
          { name: 'Swish', type: 'swish' },
        ],
      },
    },
  };
}
