/**
 * The JSON the Pei sandbox answers with (seed pei-orders.txt: camelCase names as in its example).
 * Absent optional values are `null`, as Pei's .NET serializer writes them.
 */

/** The words the sandbox uses in an order's `status`. */
export type PeiSandboxStatus = 'Pending' | 'Confirmed' | 'Cancelled';

export type PeiSandboxSequenceType = 'OneOff' | 'First' | 'Recurring';

export interface PeiSandboxBuyer {
  name: string | null;
  ssn: string | null;
  email: string | null;
  mobileNumber: string | null;
}

export interface PeiSandboxItem {
  name: string;
  code: string | null;
  quantity: number | null;
  unit: string | null;
  unitPrice: number | null;
  amount: number | null;
  groupName: string | null;
  isOptional: boolean;
  isDefaultSelected: boolean;
}

export interface PeiSandboxSubscriptionOptions {
  startDate: string;
  frequency: 'Week' | 'Month';
  frequencyInterval: number;
  cycles: number;
}

/** An order as `GET /api/orders/{id}` and the by-date listing answer it. */
export interface PeiSandboxOrder {
  orderId: string;
  merchantId: number;
  amount: number;
  reference: string | null;
  status: PeiSandboxStatus;
  /** When the order was submitted (ISO 8601, UTC: Iceland keeps UTC all year). */
  created: string;
  expirationDate: string;
  /** When the buyer confirmed (or the recurring charge went through); null before. */
  confirmed: string | null;
  sequenceType: PeiSandboxSequenceType;
  mandateId: string | null;
  purchaseId: number | null;
  successReturnUrl: string | null;
  cancelReturnUrl: string | null;
  postbackUrl: string | null;
  buyer: PeiSandboxBuyer;
  items: PeiSandboxItem[];
  subscriptionOptions: PeiSandboxSubscriptionOptions | null;
}

/** The postback body (seed: `{ "orderId", "purchaseId", "mandateId" }`). */
export interface PeiSandboxPostback {
  orderId: string;
  purchaseId: number;
  mandateId: string | null;
}

/** ASP.NET Web API's error body: a message, and per-field messages for a request that failed validation. */
export interface PeiSandboxError {
  message: string;
  modelState?: Record<string, string[]>;
}
