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
    id: 'intergiro-card',
    label: 'Intergiro card with 3-D Secure (test card, the bank asks for a challenge)',
    basket: [{ name: 'Hoodie', quantity: 1, unitPrice: '49.00' }],
    total: '49.00',
    currency: 'EUR',
    // The sandbox reads the card token's words: "3ds2" asks for a hidden method step, then a
    // challenge. A real page gets the token from Intergiro's card form instead.
    input: () => ({
      provider: 'INTERGIRO',
      currency: 'EUR',
      reference: reference(),
      items: [{ name: 'Hoodie', quantity: 1, unitPrice: '49.00', amount: '49.00' }],
      intergiro: { paymentType: 'CARD', cardToken: `tok_demo_3ds2_${crypto.randomUUID().replaceAll('-', '')}`, browser: browserInfo() },
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

/**
 * The card payment's `browser` object, as 3-D Secure wants it from the buyer's browser (the
 * issuer's risk check). The IP address is the shop server's to add: a page cannot know it.
 */
function browserInfo(): Record<string, unknown> {
  return {
    colorDepth: screen.colorDepth,
    java: false,
    javascript: true,
    language: navigator.language,
    resolution: [screen.width, screen.height],
    timezone: new Date().getTimezoneOffset(),
    parent: location.origin,
    userAgent: navigator.userAgent,
  };
}

function reference(): string {
  return `demo-${crypto.randomUUID().slice(0, 8)}`;
}
