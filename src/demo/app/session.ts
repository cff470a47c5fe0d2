/// <reference lib="dom" />
/**
 * What the page must remember across the trip to the provider's page and back (and a reload):
 * the visitor's token and the order being paid, with the last event seen so the subscription
 * resumes with `after` instead of starting over. sessionStorage: per tab, gone with it.
 */
export interface PendingOrder {
  id: string;
  providerLabel: string;
  total: string;
  lastEventId?: string;
  lastStatus?: string;
  /** Set while the order may wait for a 3-D Secure step: a reload asks the gateway for the step. */
  threeDS?: boolean;
}

const TOKEN = 'demo.token';
const ORDER = 'demo.order';

export function savedToken(): string | undefined {
  const saved = JSON.parse(sessionStorage.getItem(TOKEN) ?? 'null') as { token: string; expiresAt: number } | null;
  // A minute's margin: a token that expires while the buyer is on the provider's page is useless.
  return saved && saved.expiresAt - 60_000 > Date.now() ? saved.token : undefined;
}

export function saveToken(token: string, expiresInSeconds: number): void {
  sessionStorage.setItem(TOKEN, JSON.stringify({ token, expiresAt: Date.now() + expiresInSeconds * 1000 }));
}

export function pendingOrder(): PendingOrder | undefined {
  return (JSON.parse(sessionStorage.getItem(ORDER) ?? 'null') as PendingOrder | null) ?? undefined;
}

export function savePendingOrder(order: PendingOrder): void {
  sessionStorage.setItem(ORDER, JSON.stringify(order));
}

export function forgetOrder(): void {
  sessionStorage.removeItem(ORDER);
}
