/**
 * The JSON shapes the Intergiro sandbox serves: Intergiro's public Order model (Order, Item, Event,
 * Card and Defer payments, gracely errors) as plain types. The sandbox builds these and never
 * parses them; what clients send is checked in sandbox/validation.ts.
 */

export type IntergiroSandboxStatus =
  | 'created'
  | 'deferred'
  | 'pending'
  | 'denied'
  | 'ordered'
  | 'cancelled'
  | 'charged'
  | 'paid'
  | 'refunded'
  | 'settled'
  | 'synchronized';

export interface IntergiroSandboxItem {
  name: string;
  price: number;
  quantity: number;
  unit?: string;
  vat?: number;
}
export type IntergiroSandboxItems = number | IntergiroSandboxItem | IntergiroSandboxItem[];

export type IntergiroSandboxErrorType =
  | 'malformed content'
  | 'not found'
  | 'not authorized'
  | 'not allowed'
  | 'backend failure';

/** Intergiro's error body ("gracely"). */
export interface IntergiroSandboxError {
  status: number;
  type: IntergiroSandboxErrorType;
  content?: { property: string; type: string; description: string; details?: unknown };
  error?: string;
  id?: string;
}

export type IntergiroSandboxEventType = 'defer' | 'pend' | 'deny' | 'order' | 'cancel' | 'charge' | 'refund';

export type IntergiroSandboxEvent =
  | {
      type: IntergiroSandboxEventType;
      date: string;
      items?: IntergiroSandboxItems;
      reference?: string;
      descriptor?: string;
    }
  | { type: 'fail'; original: string; error: IntergiroSandboxError; date: string };

export interface IntergiroSandboxCardPayment {
  type: 'card';
  created: string;
  amount: number;
  currency: string;
  status: string;
  /** The acquirer's reference; absent while 3-D Secure is still running. */
  reference?: string;
  service: 'intergiro';
  scheme: string;
  iin: string;
  last4: string;
  expires: [number, number];
}

export interface IntergiroSandboxDeferPayment {
  type: 'defer';
  method: 'link';
  created: string;
  status: string;
  service: 'defer';
  amount: number;
  currency: string;
  link: string;
  redirectUrl?: string;
  cardholderName?: 'required';
}

export interface IntergiroSandboxOrder {
  id: string;
  number?: string;
  created: string;
  customer?: string;
  items: IntergiroSandboxItems;
  currency: string;
  charge?: 'auto';
  payment: IntergiroSandboxCardPayment | IntergiroSandboxDeferPayment;
  callback?: string;
  meta?: unknown;
  event: IntergiroSandboxEvent[];
  status: IntergiroSandboxStatus;
}
