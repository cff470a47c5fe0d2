/**
 * The JSON the Dintero sandbox speaks (seed dintero-orders-and-checkout.txt, CONTRACT §8). Its own
 * copy of the shapes, independent of the adapter's wire.ts, so a drift between the two shows up in
 * tests instead of being hidden by a shared type. Amounts are integers in minor units.
 */

export const DINTERO_TRANSACTION_STATUSES = [
  'INITIATED',
  'ON_HOLD',
  'AUTHORIZED',
  'PARTIALLY_CAPTURED',
  'CAPTURED',
  'PARTIALLY_CAPTURED_REFUNDED',
  'PARTIALLY_REFUNDED',
  'REFUNDED',
  'AUTHORIZATION_VOIDED',
  'DECLINED',
  'FAILED',
  'UNKNOWN',
] as const;
export type DinteroSandboxTransactionStatus = (typeof DINTERO_TRANSACTION_STATUSES)[number];

export interface DinteroSandboxErrorBody {
  error: { code: string; message: string; errors?: { path: string; message: string }[] };
}

export interface DinteroSandboxTaxLine {
  amount: number;
  percentage: number;
}

/** An Orders API line (seed "Create order"): integer `line_id`, `gross_amount` incl. tax. */
export interface DinteroSandboxOrderItem {
  id?: string;
  line_id: number;
  quantity?: number;
  gross_amount: number;
  tax_lines?: DinteroSandboxTaxLine[];
  description?: string;
  description_alias?: string;
}

/** One entry of an order's authorizations / captures / refunds / cancellations. */
export interface DinteroSandboxRecording {
  id: string;
  created_at: string;
  items: { amount: number; line_id: number }[];
  payment_details: { payment_id: string };
  success: boolean;
}

export interface DinteroSandboxOrder {
  /** The draft's id; stays the same when the draft is completed. */
  id: string;
  /** Assigned by `complete` (from `options.generate_order_id`). */
  order_id?: string;
  status: 'DRAFT' | 'COMPLETED';
  currency: string;
  gross_amount: number;
  merchant_reference?: string;
  items: DinteroSandboxOrderItem[];
  created_at: string;
  completed_at?: string;
  authorizations: DinteroSandboxRecording[];
  captures: DinteroSandboxRecording[];
  refunds: DinteroSandboxRecording[];
  cancellations: DinteroSandboxRecording[];
}

/** A Checkout line (seed "Create session"): string `line_id`, `amount` incl. `vat_amount`. */
export interface DinteroSandboxCheckoutItem {
  id?: string;
  line_id: string;
  description?: string;
  quantity?: number;
  amount: number;
  vat_amount?: number;
  vat?: number;
}

export interface DinteroSandboxSessionOrder {
  amount: number;
  currency: string;
  merchant_reference: string;
  merchant_reference_2?: string;
  vat_amount?: number;
  items: DinteroSandboxCheckoutItem[];
}

export interface DinteroSandboxSession {
  id: string;
  profile_id: string;
  created_at: string;
  expires_at: string;
  url: { return_url: string; callback_url?: string };
  order: DinteroSandboxSessionOrder;
  /** Set once the buyer has paid (or was declined): the session's one transaction. */
  transaction_id?: string;
  cancelled_at?: string;
  events: { name: string; created_at: string }[];
}

export type DinteroSandboxEventName = 'INITIALIZE' | 'AUTHORIZE' | 'CAPTURE' | 'REFUND' | 'VOID';

export interface DinteroSandboxTransactionEvent {
  id: string;
  event: DinteroSandboxEventName;
  success: boolean;
  amount: number;
  created_at: string;
  transaction_status: string;
  items?: { line_id: string; amount: number }[];
  capture_reference?: string;
  refund_reference?: string;
  reason?: string;
}

export interface DinteroSandboxTransaction {
  id: string;
  account_id: string;
  session_id: string;
  merchant_reference: string;
  merchant_reference_2?: string;
  amount: number;
  currency: string;
  /** Normally upper case; `setTransactionStatus` may store any letter case, as a test knob. */
  status: string;
  payment_product: string;
  payment_product_type: string;
  items: DinteroSandboxCheckoutItem[];
  events: DinteroSandboxTransactionEvent[];
  url: { return_url: string; callback_url?: string };
  created_at: string;
  updated_at: string;
}
