/**
 * The JSON the Intershop sandbox speaks, as TypeScript types (the adapter has its own zod
 * schemas in ../wire.ts; the two are kept apart on purpose so the adapter is tested against what
 * the sandbox really sends). Shapes follow seed intershop-icm-order-rest-v1.txt. Every type is
 * prefixed `IntershopSandbox`, like the sandbox's public types.
 */

/** `{currency, value}`: value in major units as a JSON number (seed: `"value": 628.34`). */
export interface IntershopSandboxMoney {
  currency: string;
  value: number;
}

export interface IntershopSandboxPriceItem {
  gross: IntershopSandboxMoney;
  net: IntershopSandboxMoney;
}

export type IntershopSandboxCreationStatus = 'COMPLETED' | 'ROLLED_BACK' | 'STOPPED';
export type IntershopSandboxExitReason = 'redirect_urls_required' | 'waiting_for_pending_payments';
export type IntershopSandboxPaymentStatus = 'Unprocessed' | 'PENDING' | 'AUTHORIZED' | 'CAPTURED' | 'AUTHORIZATIONVOIDED';
export type IntershopSandboxOrderStatusCode = 'PENDING' | 'NEW' | 'PAYMENT_CANCELLED';

export interface IntershopSandboxStopAction {
  type: 'Workflow' | 'Redirect';
  exitReason?: IntershopSandboxExitReason;
  redirectUrl?: string;
}

export interface IntershopSandboxRedirectUrls {
  successUrl: string;
  cancelUrl: string;
  failureUrl: string;
}

export interface IntershopSandboxOrderCreation {
  status: IntershopSandboxCreationStatus;
  stopAction?: IntershopSandboxStopAction;
  redirect?: IntershopSandboxRedirectUrls & { redirectUrl?: string };
}

export interface IntershopSandboxInfo {
  code: string;
  message: string;
}

export interface IntershopSandboxOrderData {
  basket: string;
  buckets: string[];
  /** POST answers and list entries only (see documents.ts OrderDataShape). */
  creationDate?: string;
  customer: string;
  discounts: Record<string, never>;
  documentNumber: string;
  id: string;
  lineItems: string[];
  orderCreation: IntershopSandboxOrderCreation;
  payments: string[];
  purchaseCurrency?: string;
  status: string;
  statusCode: IntershopSandboxOrderStatusCode;
  termsAndConditionsAccepted: boolean;
  totalProductQuantity: number;
  totals?: { grandTotal: IntershopSandboxPriceItem; itemTotal: IntershopSandboxPriceItem };
  user: string;
}

export interface IntershopSandboxOrderPayment {
  baseAmount: IntershopSandboxMoney;
  id: string;
  openTender: boolean;
  paymentCosts: IntershopSandboxPriceItem;
  paymentInstrument: string;
  paymentMethod: string;
  redirectRequired: boolean;
  status: IntershopSandboxPaymentStatus;
  totalAmount: IntershopSandboxMoney;
}

export interface IntershopSandboxLineItem {
  id: string;
  position: number;
  product: string;
  quantity: { value: number };
  pricing: { singleBasePrice: IntershopSandboxPriceItem; total: IntershopSandboxPriceItem };
}

export interface IntershopSandboxPaymentMethod {
  capabilities: string[];
  description: string;
  displayName: string;
  id: string;
  paymentInstruments: string[];
  saveAllowed: boolean;
  serviceID: string;
}

export interface IntershopSandboxError {
  code: string;
  message: string;
  status: string;
  causes?: { code: string; message: string; paths?: string[] }[];
  paths?: string[];
}
