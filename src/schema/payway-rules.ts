import { isIP } from 'node:net';
import { z } from 'zod';
import { absoluteUrlOfAtMost } from './validators.js';

/**
 * The rules of Payway's place_order parameter table (seed payway-adyen-place-order.txt), as zod
 * schemas for PlaceAdyenOrderInput's fields, so a value Payway would refuse is BAD_USER_INPUT
 * naming the GraphQL input path before anything is stored or sent.
 *
 * Rules marked GATEWAY below go beyond the seed's table (which gives only "required", a type and
 * an example for browser_info, and no sizes for delivery_address); each says why it exists.
 */

/**
 * The gateway's own order ids (`ord_` + letters and digits, domain/orders/order-id.ts). A purchase
 * without a client reference is sent with the gateway's order id as merchant_reference, the
 * handle Payway's later purchase event is matched by; a client reference of that form would
 * share that namespace and could claim another order's events.
 */
const GATEWAY_ORDER_ID = /^ord_[0-9A-Za-z]+$/;

/**
 * RFC 3986's URI characters: ASCII letters, digits and its delimiters, `%` only before two hex
 * digits. A browser's URL parser (new URL) also takes spaces, letters outside ASCII, `|`, `{`...
 * (it escapes them itself), and the value is sent as given: a URI regex refuses it.
 */
const URI_CHARACTERS = /^(?:[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2})*$/;

/**
 * "uri regex that is too long to show here. Must be absolute", size ..1024: an absolute http(s)
 * URL written as a URI. Before, only the URL parser judged, so a return_url with a space or "ö"
 * reached Payway and came back PROVIDER_REJECTED instead of BAD_USER_INPUT naming the field.
 */
const paywayUri = absoluteUrlOfAtMost(1024).refine((value) => URI_CHARACTERS.test(value), 'Must be a URI: escape spaces and letters outside ASCII (%C3%B6), and write the host in punycode');

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
  merchantReference: z
    .string()
    .max(1024, 'At most 1024 characters')
    // GATEWAY: see GATEWAY_ORDER_ID. Judged without surrounding spaces: the adapter keeps and
    // matches references stripped (a Payway may echo them so), so " ord_..." is that id too.
    .refine((value) => !GATEWAY_ORDER_ID.test(value.trim()), 'Must not have the form of a gateway order id (ord_...)'),
  browserInfo: {
    /** GATEWAY: Adyen's browserInfo/shopperIP must be an IP address; the seed's example is one. */
    browserIp: z.string().refine((value) => isIP(value) !== 0, 'An IPv4 or IPv6 address'),
    /** GATEWAY: Adyen's browserInfo.language is a BCP 47 tag (the seed's examples "sv-FI", "sv-SE"). */
    browserLanguage: z.string().regex(/^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{1,8})*$/, 'A language tag, e.g. "sv-FI"'),
    /** GATEWAY: non-empty ("required"); 2048 bounds what is stored and forwarded (Adyen's own limit is larger). */
    browserUserAgent: required(2048),
    /** GATEWAY: the seed calls it the "Origin URI of the request": an absolute URL of at most 1024 (the table shows no URI regex for it, and a browser's referrer is already written as a URI). */
    referer: absoluteUrlOfAtMost(1024),
    /** GATEWAY: as browserUserAgent. */
    acceptHeader: required(2048),
    /** GATEWAY: Adyen's colorDepth, bits per pixel; EMV 3-D Secure allows 1..48. */
    colorDepth: z.number().int().min(1, 'At least 1').max(48, 'At most 48'),
    /** GATEWAY: a screen has a positive size; EMV 3-D Secure's browserScreenHeight is at most 6 digits, 100000 is well inside. */
    screenHeight: z.number().int().min(1, 'At least 1').max(100_000, 'At most 100000'),
    /** GATEWAY: as screenHeight. */
    screenWidth: z.number().int().min(1, 'At least 1').max(100_000, 'At most 100000'),
    /** GATEWAY: minutes from UTC as getTimezoneOffset() gives them; real zones lie within ±14 hours (±840). */
    timeZoneOffset: z.number().int().min(-840, 'At least -840').max(840, 'At most 840'),
  },
  deliveryAddress: {
    /** Required fields are non-empty; GATEWAY: at most 100 characters (the seed gives no size): bounds what is stored and forwarded, generous for any SE/FI/AX address line. */
    requiredText: required(100),
    /** GATEWAY: as requiredText. */
    optionalText: z.string().max(100, 'At most 100 characters'),
    countryCode: z.enum(['SE', 'FI', 'AX'], 'One of SE, FI, AX'),
  },
};
