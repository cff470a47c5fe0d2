/**
 * The sandbox's purchases: place_order starts one, perform_additional_action walks it through its
 * Adyen actions, and a pending one settles into `order_closed` or `payment_failure` (by timer, or
 * `settle()`), each announced through `emit`.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { scriptFor, type PurchaseScript } from './cards.js';
import type { PaywaySandboxPeriod } from './catalogue.js';
import { invalidParameter, notFound, PaywayFailure, refused, thirdPartyError } from './errors.js';
import type { PaywaySandboxActionType, PaywaySandboxEventType, PaywaySandboxPlaceOrder, PaywaySandboxPurchaseItem } from './wire.js';

export type PurchaseState = 'action_required' | 'pending' | 'complete' | 'failed';

export interface Purchase {
  /** Payway's order id (exists from place_order on, even while the answer says only "pending"). */
  orderId: string;
  sessionReference: string;
  merchantReference: string | null;
  productCode: string;
  periodId: string;
  /** The period as priced for this purchase (after its discount code). */
  period: PaywaySandboxPeriod;
  origin: string;
  /** The payment method's type ("scheme", "swish"...). */
  paymentMethodType: string;
  script: PurchaseScript;
  /** How many of the script's actions the shopper has performed. */
  actionsDone: number;
  /** The action the session now waits for, with the 3DS transaction it belongs to. */
  waitingFor?: { type: PaywaySandboxActionType; threeDSServerTransID: string };
  state: PurchaseState;
  receiptId?: string;
}

export interface PurchaseBookOptions {
  baseUrl: string;
  pendingSettleMs: number;
  /** Sets a timer the sandbox clears on close. */
  setTimer(callback: () => void, ms: number): void;
  emit(purchase: Purchase, event: PaywaySandboxEventType): void;
}

const hex24 = (): string => randomBytes(12).toString('hex');

const MESSAGES = {
  complete: 'The payment was successfully authorised.',
  pending: "It's not possible to obtain the final status of the payment at this time.",
  action_required:
    'The issuer requires further shopper interaction before the payment can be authenticated. Returned for 3D Secure 2 transactions.',
} as const;

export class PurchaseBook {
  private readonly byOrder = new Map<string, Purchase>();
  private readonly bySession = new Map<string, Purchase>();
  private sequence = 100;

  constructor(private readonly options: PurchaseBookOptions) {}

  place(request: PaywaySandboxPlaceOrder, period: PaywaySandboxPeriod): PaywaySandboxPurchaseItem {
    const purchase: Purchase = {
      orderId: `SANDBOX-${++this.sequence}`,
      sessionReference: hex24(),
      merchantReference: request.merchant_reference ?? null,
      productCode: request.product_code,
      periodId: request.period_id,
      period,
      origin: request.origin,
      paymentMethodType: request.payment_method.type,
      script: scriptFor(request.payment_method),
      actionsDone: 0,
      state: 'action_required',
    };
    this.byOrder.set(purchase.orderId, purchase);
    this.bySession.set(purchase.sessionReference, purchase);
    return this.advance(purchase);
  }

  performAdditionalAction(sessionReference: string, details: Record<string, unknown>, origin: string): PaywaySandboxPurchaseItem {
    const purchase = this.bySession.get(sessionReference.toLowerCase());
    if (!purchase) throw notFound('session_not_found', 'session_reference', 'No purchase session with that reference');
    if (purchase.state !== 'action_required' || !purchase.waitingFor) {
      throw new PaywayFailure(400, { code: 'session_not_active', field: 'session_reference', message: 'The purchase session takes no more actions', correlation_id: null });
    }
    if (origin !== purchase.origin) throw invalidParameter('origin', 'Parameter must be the origin the purchase was placed from');
    const waiting = purchase.waitingFor;
    if (waiting.type === 'threeDS2Fingerprint') {
      if (typeof details['threeds2.fingerprint'] !== 'string') throw invalidParameter('details', 'details must carry threeds2.fingerprint');
    } else if (waiting.type === 'await') {
      if (typeof details.payload !== 'string') throw invalidParameter('details', 'details must carry payload');
    } else {
      const result = details['threeds2.challengeResult'];
      if (typeof result !== 'string') throw invalidParameter('details', 'details must carry threeds2.challengeResult');
      const transStatus = challengeStatus(result);
      // Adyen could not read the result: its error, relayed with a correlation id; the session
      // still waits for a readable one.
      if (transStatus === undefined) throw thirdPartyError('details', 'Adyen could not read threeds2.challengeResult');
      if (transStatus !== 'Y') {
        purchase.state = 'failed';
        purchase.waitingFor = undefined;
        throw refused('3D Not Authenticated');
      }
    }
    purchase.actionsDone += 1;
    return this.advance(purchase);
  }

  /** Ends a pending purchase as Adyen's late notification would; false when it is not pending. */
  settle(orderId: string, event: PaywaySandboxEventType): boolean {
    const purchase = this.byOrder.get(orderId);
    if (!purchase || purchase.state !== 'pending') return false;
    if (event === 'order_closed') {
      purchase.state = 'complete';
      purchase.receiptId = hex24();
    } else {
      purchase.state = 'failed';
    }
    this.options.emit(purchase, event);
    return true;
  }

  get(orderId: string): Purchase | undefined {
    return this.byOrder.get(orderId);
  }

  bySessionReference(sessionReference: string): Purchase | undefined {
    return this.bySession.get(sessionReference.toLowerCase());
  }

  byMerchantReference(reference: string): Purchase[] {
    return [...this.byOrder.values()].filter((purchase) => purchase.merchantReference === reference);
  }

  /** The next answer for a purchase whose previous step (if any) just succeeded. */
  private advance(purchase: Purchase): PaywaySandboxPurchaseItem {
    const next = purchase.script.actions[purchase.actionsDone];
    if (next !== undefined) {
      const waitingFor = { type: next, threeDSServerTransID: randomUUID() };
      purchase.waitingFor = waitingFor;
      const action =
        next === 'await'
          ? { paymentMethodType: purchase.paymentMethodType, type: next }
          : { paymentMethodType: 'scheme', token: this.actionToken(purchase, { type: next, threeDSServerTransID: waitingFor.threeDSServerTransID }), type: next };
      return {
        action,
        session_reference: purchase.sessionReference,
        message: MESSAGES.action_required,
        status: 'action_required',
      };
    }
    purchase.waitingFor = undefined;
    switch (purchase.script.then) {
      case 'complete':
        purchase.state = 'complete';
        purchase.receiptId = hex24();
        // Payway triggers the completed purchase's events for every purchase, this one too.
        this.options.emit(purchase, 'order_closed');
        return { receipt_id: purchase.receiptId, order_id: purchase.orderId, message: MESSAGES.complete, status: 'complete' };
      case 'pending': {
        purchase.state = 'pending';
        const settle = purchase.script.settle;
        if (settle) this.options.setTimer(() => this.settle(purchase.orderId, settle), this.options.pendingSettleMs);
        return { message: MESSAGES.pending, status: 'pending' };
      }
      case 'refused':
        purchase.state = 'failed';
        throw refused('Refused');
    }
  }

  /** Adyen-like action token: base64 JSON naming the 3DS transaction and the sandbox page for it. */
  private actionToken(purchase: Purchase, waiting: { type: 'threeDS2Fingerprint' | 'threeDS2Challenge'; threeDSServerTransID: string }): string {
    const page = `${this.options.baseUrl}/adyen/3ds2/${purchase.sessionReference}`;
    const content =
      waiting.type === 'threeDS2Fingerprint'
        ? { threeDSMethodUrl: `${page}/method`, threeDSServerTransID: waiting.threeDSServerTransID }
        : { acsURL: `${page}/challenge`, threeDSServerTransID: waiting.threeDSServerTransID, messageVersion: '2.1.0' };
    return Buffer.from(JSON.stringify(content)).toString('base64');
  }
}

/** Adyen's challengeResult: base64 JSON `{"transStatus": "Y" | "N"}`. */
function challengeStatus(result: string): string | undefined {
  try {
    const parsed = JSON.parse(Buffer.from(result, 'base64').toString('utf8')) as { transStatus?: unknown };
    return typeof parsed.transStatus === 'string' ? parsed.transStatus : undefined;
  } catch {
    return undefined;
  }
}

/** The details the 3DS pages hand the shopper's browser (what the drop-in's onAdditionalDetails posts). */
export function threeDSDetails(type: 'threeDS2Fingerprint' | 'threeDS2Challenge', transStatus: 'Y' | 'N' = 'Y'): Record<string, string> {
  return type === 'threeDS2Fingerprint'
    ? { 'threeds2.fingerprint': Buffer.from(JSON.stringify({ threeDSCompInd: 'Y' })).toString('base64') }
    : { 'threeds2.challengeResult': Buffer.from(JSON.stringify({ transStatus })).toString('base64') };
}
