/**
 * The operations the benchmarks send, as plain text (the test documents are the typed client's
 * and may change shape; these stay fixed so runs compare).
 */
export const READ_ORDER = /* GraphQL */ `
  query ReadOrder($id: ID!) {
    order(id: $id) {
      id provider providerOrderId reference status providerStatus
      total { amount currency minorUnits }
      items { lineId name quantity amount { amount } }
      payments { id status amount { amount } }
      creation { status stopAction { type redirectUrl } }
      createdAt updatedAt
    }
  }
`;

export const CREATE_ORDER = /* GraphQL */ `
  mutation CreateOrder($input: CreateOrderInput!) {
    createOrder(input: $input) { id status providerOrderId creation { status stopAction { type redirectUrl } } }
  }
`;

export const WATCH_ORDER = /* GraphQL */ `
  subscription WatchOrder($orderId: ID!) {
    orderStatusChanged(orderId: $orderId) { eventId previousStatus status source final }
  }
`;

export const ORDER_STATUS = /* GraphQL */ `
  query OrderStatus($id: ID!) { order(id: $id) { id status } }
`;

/** An Intergiro payment-link order (README walk-through): one upstream POST, no buyer needed. */
export function intergiroLinkOrder(reference: string): Record<string, unknown> {
  return {
    provider: 'INTERGIRO',
    currency: 'EUR',
    reference,
    items: [{ name: 'T-shirt', quantity: 2, unitPrice: '19.95', amount: '39.90' }],
    intergiro: { paymentType: 'LINK', cardholderName: true },
    returnUrls: { success: 'https://example.com/thanks' },
  };
}

/** A Pei First order the buyer confirms on Pei's checkout page. */
export function peiFirstOrder(reference: string): Record<string, unknown> {
  return {
    provider: 'PEI',
    currency: 'ISK',
    reference,
    items: [{ name: 'Lopapeysa', quantity: 1, unitPrice: '24900', amount: '24900' }],
    buyer: { name: 'Jon Jonsson', email: 'jon@example.is' },
    returnUrls: { success: 'https://example.com/takk', cancel: 'https://example.com/haett' },
    pei: { sequenceType: 'FIRST' },
  };
}
