/**
 * What an order is made from in the Intershop sandbox: the PSP payment methods it offers and the
 * open baskets (ICM's Basket REST API is out of scope; baskets are seeded, or made with
 * `createBasket` / `POST /sandbox/baskets`).
 */
import { randomBytes } from 'node:crypto';
import { exponentOf, parseDecimal } from './money.js';
import type { IntershopSandboxPaymentMethod } from './wire.js';

/** The sandbox's PSP methods: both redirect after checkout; one authorizes, one captures at once. */
export type SandboxPaymentMethodId = 'ISH_ONLINEPAY' | 'ISH_ONLINEPAY_SALE';

export interface SandboxPaymentMethod {
  method: IntershopSandboxPaymentMethod;
  /** What a successful payment leaves: an authorization, or money taken (a "sale"). */
  captures: boolean;
}

export const PAYMENT_METHODS: Record<SandboxPaymentMethodId, SandboxPaymentMethod> = {
  ISH_ONLINEPAY: {
    captures: false,
    method: {
      capabilities: ['RedirectAfterCheckout'],
      description: 'You will be redirected to the ISH Online Pay page after you submit your order.',
      displayName: 'ISH Demo Online Pay',
      id: 'ISH_ONLINEPAY',
      paymentInstruments: ['ISH_ONLINEPAY'],
      saveAllowed: true,
      serviceID: 'ISH_ONLINEPAY',
    },
  },
  ISH_ONLINEPAY_SALE: {
    captures: true,
    method: {
      capabilities: ['RedirectAfterCheckout'],
      description: 'You will be redirected to the ISH Online Pay page; the amount is charged at once.',
      displayName: 'ISH Demo Online Pay (immediate charge)',
      id: 'ISH_ONLINEPAY_SALE',
      paymentInstruments: ['ISH_ONLINEPAY_SALE'],
      saveAllowed: false,
      serviceID: 'ISH_ONLINEPAY',
    },
  },
};

export interface BasketLine {
  /** The product SKU. */
  product: string;
  quantity: number;
  /** Single price in minor units. */
  priceMinor: number;
}

export interface Basket {
  id: string;
  currency: string;
  lines: BasketLine[];
  paymentMethod: SandboxPaymentMethodId;
  user: string;
  customer: string;
}

/** What a test or a person asks for; prices are decimal strings ("24.99"). */
export interface IntershopSandboxBasketSpec {
  /** Default: a random id in ICM's style. */
  id?: string;
  currency: string;
  lines: { product: string; quantity: number; price: string }[];
  /** Default ISH_ONLINEPAY. */
  paymentMethod?: SandboxPaymentMethodId;
}

/** The baskets every sandbox starts with (documented in the sandbox header). */
export const SEEDED_BASKETS: IntershopSandboxBasketSpec[] = [
  {
    // The seed's own basket: 25 products, 628.34 USD, ISH Demo Online Pay.
    id: 'nNQKAB2_tMYAAAFuc9BdhmPm',
    currency: 'USD',
    lines: [
      { product: '201807171', quantity: 24, price: '25.00' },
      { product: '201807195', quantity: 1, price: '28.34' },
    ],
  },
  { id: 'sandbox-basket-eur', currency: 'EUR', lines: [{ product: '1000042', quantity: 2, price: '19.95' }] },
  {
    id: 'sandbox-basket-sale',
    currency: 'EUR',
    lines: [{ product: '1000043', quantity: 1, price: '49.90' }],
    paymentMethod: 'ISH_ONLINEPAY_SALE',
  },
];

/** ICM-looking ids: 24 characters of base64url. */
export function icmId(): string {
  return randomBytes(18).toString('base64url');
}

export class BasketBook {
  private readonly open = new Map<string, Basket>();

  /** Validates a spec and opens the basket; throws an Error naming what is wrong. */
  create(spec: IntershopSandboxBasketSpec): Basket {
    exponentOf(spec.currency);
    if (!spec.lines.length) throw new Error('a basket needs at least one line');
    const lines = spec.lines.map((line, index) => {
      const priceMinor = parseDecimal(line.price, spec.currency);
      if (priceMinor === undefined || priceMinor <= 0) throw new Error(`line ${index}: "${line.price}" is not a ${spec.currency} price`);
      if (!Number.isInteger(line.quantity) || line.quantity <= 0) throw new Error(`line ${index}: the quantity is a whole number above 0`);
      if (!line.product) throw new Error(`line ${index}: the product SKU is missing`);
      return { product: line.product, quantity: line.quantity, priceMinor };
    });
    const paymentMethod = spec.paymentMethod ?? 'ISH_ONLINEPAY';
    if (!(paymentMethod in PAYMENT_METHODS)) throw new Error(`unknown payment method ${paymentMethod}`);
    const id = spec.id ?? icmId();
    if (this.open.has(id)) throw new Error(`basket ${id} already exists`);
    const basket: Basket = { id, currency: spec.currency, lines, paymentMethod, user: 'patricia@test.intershop.de', customer: 'Patricia' };
    this.open.set(id, basket);
    return basket;
  }

  /** Checkout takes the basket: it is gone until a rollback restores it (seed §3.2.5). */
  take(id: string): Basket | undefined {
    const basket = this.open.get(id);
    this.open.delete(id);
    return basket;
  }

  restore(basket: Basket): void {
    this.open.set(basket.id, basket);
  }
}
