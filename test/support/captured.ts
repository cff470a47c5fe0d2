/** What the gateway shows as captured over all of an order's payments (an OrderView, or a subscription message's order), in major units. */
export const captured = (order: { payments: readonly { capturedAmount?: { amount: string } | null }[] }): number =>
  order.payments.reduce((sum, payment) => sum + Number(payment.capturedAmount?.amount ?? 0), 0);
