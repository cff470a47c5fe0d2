import { z } from 'zod';

/*
 * Pei's JSON shapes (seed pei-orders.txt; camelCase as in its example, CONTRACT §8). Only this
 * folder sees them. Objects are plain `z.object`, which drops unknown fields rather than failing:
 * Pei may add fields, and a read order must never carry the buyer (and their kennitala) any further
 * than this parse, so the buyer is not even read.
 */

/** Status words of a Pei order, closed: an unknown word is an error, never a default. */
export const PeiStatus = z.enum(['Pending', 'Confirmed', 'Cancelled']);
export type PeiStatus = z.infer<typeof PeiStatus>;

export const PeiSequenceType = z.enum(['OneOff', 'First', 'Recurring']);
export type PeiSequenceType = z.infer<typeof PeiSequenceType>;

export const PeiItem = z.object({
  name: z.string(),
  code: z.string().nullish(),
  quantity: z.number().nullish(),
  unit: z.string().nullish(),
  unitPrice: z.number().nullish(),
  amount: z.number().nullish(),
  groupName: z.string().nullish(),
  isOptional: z.boolean().nullish(),
  isDefaultSelected: z.boolean().nullish(),
});
export type PeiItem = z.infer<typeof PeiItem>;

/** An order as `GET /api/orders/{id}` and `GET /api/orders?merchantId&date` answer it. */
export const PeiOrder = z.object({
  orderId: z.string().min(1),
  amount: z.number().int().positive(),
  reference: z.string().nullish(),
  status: PeiStatus,
  created: z.string(),
  expirationDate: z.string().nullish(),
  sequenceType: PeiSequenceType.nullish(),
  mandateId: z.string().nullish(),
  purchaseId: z.number().int().nullish(),
  items: z.array(PeiItem).nullish(),
});
export type PeiOrder = z.infer<typeof PeiOrder>;

export const PeiOrderList = z.array(PeiOrder);

/** Submit order's answer (seed: `{ "orderId": "fdfQQ33gdgWfgGoP642" }`). */
export const PeiSubmitted = z.object({ orderId: z.string().min(1) });

/** Orders/Pay's answer: the order, confirmed, with its purchase. */
export const PeiPaid = z.object({ orderId: z.string().min(1), purchaseId: z.number().int() });
export type PeiPaid = z.infer<typeof PeiPaid>;

/** The postback (seed: `{ "orderId", "purchaseId", "mandateId" }`), unsigned. */
export const PeiPostback = z.object({
  orderId: z.string().min(1).max(128),
  purchaseId: z.number().int().nullish(),
  mandateId: z.string().nullish(),
});
export type PeiPostback = z.infer<typeof PeiPostback>;

/** ASP.NET Web API's error body. */
export const PeiError = z.object({
  message: z.string().optional(),
  modelState: z.record(z.string(), z.array(z.string())).optional(),
});
export type PeiError = z.infer<typeof PeiError>;

/** The token endpoint's answer (OAuth2 client credentials). */
export const PeiToken = z.object({
  access_token: z.string().min(1),
  expires_in: z.number().positive(),
  token_type: z.string().optional(),
});
export type PeiToken = z.infer<typeof PeiToken>;

export interface PeiBuyerRequest {
  name?: string;
  ssn?: string;
  email?: string;
  mobileNumber?: string;
}

export interface PeiItemRequest {
  name: string;
  code?: string;
  quantity?: number;
  unit?: string;
  unitPrice?: number;
  amount: number;
  groupName?: string;
  isOptional?: boolean;
  isDefaultSelected?: boolean;
}

/** What we send to `POST /api/orders` (seed "Order"). */
export interface PeiOrderRequest {
  merchantId: number;
  amount: number;
  reference?: string;
  expirationDate: string;
  successReturnUrl?: string;
  cancelReturnUrl?: string;
  postbackUrl: string;
  sequenceType: PeiSequenceType;
  mandateId: string | null;
  buyer: PeiBuyerRequest;
  items: PeiItemRequest[];
  subscriptionOptions?: { startDate: string; frequency: 'Week' | 'Month'; frequencyInterval: number; cycles: number };
}

/** What we send to `POST /api/orders/pay` (seed "Orders/Pay"). */
export interface PeiPayRequest {
  merchantId: number;
  amount: number;
  reference?: string;
  postbackUrl: string;
  buyer: Required<Pick<PeiBuyerRequest, 'name' | 'ssn' | 'email'>> & Pick<PeiBuyerRequest, 'mobileNumber'>;
  items: Omit<PeiItemRequest, 'groupName' | 'isOptional' | 'isDefaultSelected'>[];
}
