/**
 * The JSON the Intershop sandbox speaks, as TypeScript types (the adapter has its own zod
 * schemas in ../wire.ts; the two are kept apart on purpose so the adapter is tested against what
 * the sandbox really sends). Shapes follow seed intershop-icm-order-rest-v1.txt.
 */

/** `{currency, value}`: value in major units as a JSON number (seed: `"value": 628.34`). */
export interface IcmMoney {
  currency: string;
  value: number;
}

export interface IcmPriceItem {
  gross: IcmMoney;
  net: IcmMoney;
}

export type IcmCreationStatus = 'COMPLETED' | 'ROLLED_BACK' | 'STOPPED';
export type IcmExitReason = 'redirect_urls_required' | 'waiting_for_pending_payments';
export type IcmPaymentStatus = 'Unprocessed' | 'PENDING' | 'AUTHORIZED' | 'CAPTURED' | 'AUTHORIZATIONVOIDED';
export type IcmOrderStatusCode = 'PENDING' | 'NEW' | 'PAYMENT_CANCELLED';

export interface IcmStopAction {
  type: 'Workflow' | 'Redirect';
  exitReason?: IcmExitReason;
  redirectUrl?: string;
}

export interface IcmRedirectUrls {
  successUrl: string;
  cancelUrl: string;
  failureUrl: string;
}

export interface IcmOrderCreation {
  status: IcmCreationStatus;
  stopAction?: IcmStopAction;
  redirect?: IcmRedirectUrls & { redirectUrl?: string };
}

export interface IcmInfo {
  code: string;
  message: string;
}

export interface IcmOrderData {
  basket: string;
  buckets: string[];
  creationDate: string;
  customer: string;
  discounts: Record<string, never>;
  documentNumber: string;
  id: string;
  lineItems: string[];
  orderCreation: IcmOrderCreation;
  payments: string[];
  purchaseCurrency: string;
  status: string;
  statusCode: IcmOrderStatusCode;
  termsAndConditionsAccepted: boolean;
  totalProductQuantity: number;
  totals: { grandTotal: IcmPriceItem; itemTotal: IcmPriceItem };
  user: string;
}

export interface IcmOrderPayment {
  baseAmount: IcmMoney;
  id: string;
  openTender: boolean;
  paymentCosts: IcmPriceItem;
  paymentInstrument: string;
  paymentMethod: string;
  redirectRequired: boolean;
  status: IcmPaymentStatus;
  totalAmount: IcmMoney;
}

export interface IcmLineItem {
  id: string;
  position: number;
  product: string;
  quantity: { value: number };
  pricing: { singleBasePrice: IcmPriceItem; total: IcmPriceItem };
}

export interface IcmPaymentMethod {
  capabilities: string[];
  description: string;
  displayName: string;
  id: string;
  paymentInstruments: string[];
  saveAllowed: boolean;
  serviceID: string;
}

export interface IcmError {
  code: string;
  message: string;
  status: string;
  causes?: { code: string; message: string; paths?: string[] }[];
  paths?: string[];
}
