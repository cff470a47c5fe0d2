import { isIP } from 'node:net';
import { z } from 'zod';

/**
 * The rules of Payway's place_order parameter table (seed payway-adyen-place-order.txt), as zod
 * schemas for PlaceAdyenOrderInput's fields, so a value Payway would refuse is BAD_USER_INPUT
 * naming the GraphQL input path before anything is stored or sent.
 */

/** "uri regex that is too long to show here. Must be absolute", size ..1024. */
const paywayUri = z
  .string()
  .max(1024, 'At most 1024 characters')
  .refine((value) => {
    try {
      const url = new URL(value);
      return url.protocol === 'https:' || url.protocol === 'http:';
    } catch {
      return false;
    }
  }, 'Must be an absolute http(s) URI');

const required = (max: number) => z.string().trim().min(1, 'Must not be empty').max(max, `At most ${max} characters`);

export const paywayRules = {
  /** Adyen's state data from the drop-in's onSubmit: an object with the payment method `type`. */
  paymentMethod: z.looseObject({ type: z.string().min(1, 'The payment method type is required') }),
  productCode: z
    .string()
    .min(1, 'Must not be empty')
    .max(50, 'At most 50 characters')
    .regex(/^[a-zA-Z\-_0-9]+$/, 'Only letters, digits, "-" and "_"'),
  periodId: z.string().regex(/^[a-f\d]{24}$/i, '24 hexadecimal digits'),
  returnUrl: paywayUri,
  origin: paywayUri,
  trafficSource: z.string().max(100, 'At most 100 characters'),
  discountCode: z.string().min(1, 'Must not be empty').max(100, 'At most 100 characters'),
  merchantReference: z.string().max(1024, 'At most 1024 characters'),
  browserInfo: {
    browserIp: z.string().refine((value) => isIP(value) !== 0, 'An IPv4 or IPv6 address'),
    browserLanguage: z.string().regex(/^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{1,8})*$/, 'A language tag, e.g. "sv-FI"'),
    browserUserAgent: required(2048),
    referer: paywayUri,
    acceptHeader: required(2048),
    /** Adyen's colorDepth: bits per pixel, 1..48. */
    colorDepth: z.number().int().min(1, 'At least 1').max(48, 'At most 48'),
    screenHeight: z.number().int().min(1, 'At least 1').max(100_000, 'At most 100000'),
    screenWidth: z.number().int().min(1, 'At least 1').max(100_000, 'At most 100000'),
    /** Minutes from UTC, as the browser's getTimezoneOffset() gives them. */
    timeZoneOffset: z.number().int().min(-840, 'At least -840').max(840, 'At most 840'),
  },
  deliveryAddress: {
    requiredText: required(100),
    optionalText: z.string().max(100, 'At most 100 characters'),
    countryCode: z.enum(['SE', 'FI', 'AX'], 'One of SE, FI, AX'),
  },
};
