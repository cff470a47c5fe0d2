/// <reference lib="dom" />
import type { CreateOrderInput } from '../../client/generated/graphql.js';

/** Where the buyer comes back to: the demo page itself, which knows the order from sessionStorage. */
export interface ReturnTo {
  success: string;
  cancel: string;
}

/** One way to pay on the demo page: a provider with a small fixed basket in its currency. */
export interface DemoProvider {
  id: string;
  label: string;
  basket: { name: string; quantity: number; unitPrice: string }[];
  total: string;
  currency: string;
  input(returnTo: ReturnTo): CreateOrderInput;
}

export const DEMO_PROVIDERS: DemoProvider[] = [
  {
    id: 'intergiro-link',
    label: 'Intergiro payment link (card)',
    basket: [{ name: 'T-shirt', quantity: 1, unitPrice: '19.90' }],
    total: '19.90',
    currency: 'EUR',
    // Intergiro sends the buyer back to one URL (the link's redirectUrl) whatever happened.
    input: (returnTo) => ({
      provider: 'INTERGIRO',
      currency: 'EUR',
      reference: reference(),
      items: [{ name: 'T-shirt', quantity: 1, unitPrice: '19.90', amount: '19.90' }],
      intergiro: { paymentType: 'LINK' },
      returnUrls: { success: returnTo.success },
    }),
  },
  {
    id: 'pei',
    label: 'Pei (pay later, Iceland)',
    basket: [{ name: 'Lopapeysa', quantity: 1, unitPrice: '2490' }],
    total: '2490',
    currency: 'ISK',
    input: (returnTo) => ({
      provider: 'PEI',
      currency: 'ISK',
      reference: reference(),
      items: [{ name: 'Lopapeysa', quantity: 1, unitPrice: '2490', amount: '2490' }],
      buyer: { name: 'Demo Buyer', email: 'buyer@example.com' },
      returnUrls: { success: returnTo.success, cancel: returnTo.cancel },
      pei: { sequenceType: 'ONE_OFF' },
    }),
  },
  {
    id: 'dintero',
    label: 'Dintero Checkout',
    basket: [{ name: 'Stablestol', quantity: 1, unitPrice: '199.00' }],
    total: '199.00',
    currency: 'NOK',
    // Dintero takes one return URL; the outcome comes back to it as a query parameter.
    input: (returnTo) => ({
      provider: 'DINTERO',
      currency: 'NOK',
      reference: reference(),
      items: [{ lineId: 'chair', name: 'Stablestol', quantity: 1, unitPrice: '199.00', amount: '199.00', taxRate: 25 }],
      returnUrls: { success: returnTo.success },
    }),
  },
];

function reference(): string {
  return `demo-${crypto.randomUUID().slice(0, 8)}`;
}
