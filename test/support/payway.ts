import { PAYWAY_TEST_CARDS, type PaywaySandbox } from '../../src/sandboxes/payway/index.js';
import { CONTINUE_ORDER, GET_ORDER, PLACE_ADYEN_ORDER, type OrderView } from './documents.js';
import { gql, gqlOk, type GraphQLResponse } from './graphql.js';

export { PAYWAY_TEST_CARDS };

/** The seed's example period (199.00 SEK in the sandbox's catalogue). */
export const PAYWAY_PERIOD = { productCode: 'package_code', periodId: '5e4beac909c04c404a46c730', price: '199.00' };

/** Adyen drop-in state data for a test card, as the browser would submit it. */
export function cardPayment(number: string): Record<string, string> {
  return {
    type: 'scheme',
    encryptedCardNumber: `test_${number}`,
    encryptedExpiryMonth: 'test_03',
    encryptedExpiryYear: 'test_2030',
    encryptedSecurityCode: 'test_737',
  };
}

/**
 * A valid PlaceAdyenOrderInput (the seed's curl example in camelCase, plus the price the shopper
 * was shown: the period's), paying with `card`.
 */
export function placeInput(card: string = PAYWAY_TEST_CARDS.complete, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    paymentMethod: cardPayment(card),
    productCode: PAYWAY_PERIOD.productCode,
    periodId: PAYWAY_PERIOD.periodId,
    returnUrl: 'https://returnurl.com',
    origin: 'https://example.purchase.org',
    trafficSource: 'facebook',
    subscriptionStartDate: '2030-05-15',
    browserInfo: {
      browserIp: '127.0.0.1',
      browserLanguage: 'sv-FI',
      browserUserAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/79.0.3945.130 Safari/537.36',
      referer: 'https://adeprimokuriren.se',
      acceptHeader: 'text/html,application/xhtml+xml,application/xml;q=0.9,image/webp,image/apng,*/*;q=0.8',
      colorDepth: 24,
      screenHeight: 723,
      screenWidth: 1536,
      timeZoneOffset: 0,
      javaEnabled: true,
    },
    deliveryAddress: {
      firstName: 'Donald',
      lastName: 'Duck',
      street: 'Webfoot Walk',
      streetNumber: '1313',
      zipCode: '83145',
      city: 'Ankeborg',
      countryCode: 'SE',
    },
    amount: PAYWAY_PERIOD.price,
    currency: 'SEK',
    ...overrides,
  };
}

/**
 * The shopper's browser performs the order's 3-D Secure action on the sandbox's page (the page
 * the action's token names), as the Adyen drop-in would, and returns the `details` it produced.
 */
export async function shopperPerforms3DS(order: OrderView, transStatus: 'Y' | 'N' = 'Y'): Promise<Record<string, string>> {
  const action = order.creation.stopAction?.threeDS;
  if (!action?.token) throw new Error('the order has no 3-D Secure action');
  const token = JSON.parse(Buffer.from(action.token, 'base64').toString('utf8')) as { acsURL?: string; threeDSMethodUrl?: string };
  let html: string;
  if (token.threeDSMethodUrl) {
    html = await (await fetch(token.threeDSMethodUrl)).text();
  } else if (token.acsURL) {
    const page = await fetch(token.acsURL);
    if (page.status !== 200) throw new Error(`the challenge page answered ${page.status}`);
    await page.text();
    const answer = await fetch(token.acsURL, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ transStatus }).toString(),
    });
    html = await answer.text();
  } else {
    throw new Error('the action token names no page');
  }
  const match = /<pre id="details">([^<]*)<\/pre>/.exec(html);
  if (!match?.[1]) throw new Error('the 3-D Secure page showed no details');
  return JSON.parse(match[1].replace(/&quot;/g, '"').replace(/&amp;/g, '&')) as Record<string, string>;
}

/** POSTs a purchase event to the gateway as Payway (or a forger) would. */
export async function postPaywayEvent(gatewayUrl: string, body: string, headers: Record<string, string>): Promise<number> {
  const response = await fetch(`${gatewayUrl}/webhooks/payway`, { method: 'POST', headers, body });
  await response.text();
  return response.status;
}

/** Where a Payway test places purchases: read when each call is made (tests fill these in beforeAll). */
export interface PaywayTarget {
  gatewayUrl: string;
  /** An orders:create token. */
  shop: string;
  /** An orders:read token. */
  backOffice: string;
  payway: PaywaySandbox;
}

/** The GraphQL calls a Payway test makes, as a shop (place, continue) and a back office (read). */
export function paywayCalls(target: () => PaywayTarget) {
  const place = (input: Record<string, unknown>): Promise<GraphQLResponse<{ placeAdyenOrder: OrderView }>> =>
    gql<{ placeAdyenOrder: OrderView }>(target().gatewayUrl, PLACE_ADYEN_ORDER, { input }, target().shop);
  return {
    place,
    async placeOk(input: Record<string, unknown>): Promise<OrderView> {
      const result = await place(input);
      if (!result.data) throw new Error(`placeAdyenOrder failed: ${JSON.stringify(result.errors)}`);
      return result.data.placeAdyenOrder;
    },
    continueWith: (orderId: string, threeDS: unknown) =>
      gql<{ continueOrderCreation: OrderView }>(target().gatewayUrl, CONTINUE_ORDER, { input: { orderId, threeDS } }, target().shop),
    getOrder: async (id: string): Promise<OrderView> => (await gqlOk(target().gatewayUrl, GET_ORDER, { id }, target().backOffice)).order!,
    /** The sandbox's purchase behind a gateway order placed without a merchant reference. */
    purchaseOf(order: OrderView) {
      const [purchase] = target().payway.purchasesWithReference(order.id);
      if (!purchase) throw new Error(`no Payway purchase with reference ${order.id}`);
      return purchase;
    },
  };
}
