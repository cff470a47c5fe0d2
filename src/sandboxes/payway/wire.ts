/** The JSON the Payway sandbox reads and writes (seed payway-adyen-place-order.txt). */

export interface PaywaySandboxPlaceOrder {
  payment_method: { type: string; encryptedCardNumber?: string } & Record<string, unknown>;
  product_code: string;
  period_id: string;
  return_url: string;
  origin: string;
  traffic_source?: string;
  subscription_start_date?: string;
  discount_code?: string;
  merchant_reference?: string;
  browser_info: Record<string, unknown>;
  delivery_address?: Record<string, unknown>;
}

/** The 3-D Secure steps (with pages of their own) and Adyen's `await` (the shopper approves in an app). */
export type PaywaySandboxActionType = 'threeDS2Fingerprint' | 'threeDS2Challenge' | 'await';

export interface PaywaySandboxAction {
  paymentMethodType: string;
  /** 3-D Secure actions only: Adyen's await action carries none. */
  token?: string;
  type: PaywaySandboxActionType;
}

/** `{item: ...}` of a 200 answer. */
export type PaywaySandboxPurchaseItem =
  | { receipt_id: string; order_id: string; message: string; status: 'complete' }
  | { message: string; status: 'pending' }
  | { action: PaywaySandboxAction; session_reference: string; message: string; status: 'action_required' };

export type PaywaySandboxEventType = 'order_closed' | 'payment_failure';

/** A webhook event as Payway posts it: `{event, timestamp, payload}`. */
export interface PaywaySandboxEvent {
  event: PaywaySandboxEventType;
  timestamp: string;
  payload: {
    account: { id: string; organisation_id: string };
    order: { id: string; merchant_reference: string | null; product_code: string; period_id: string; status: 'closed' | 'failed' };
    receipt?: { id: string };
    payment?: { result_code: string; message: string };
  };
}
