import { z } from 'zod';

/** Shared zod rules for input fields; the messages are what a client reads. */

/** An absolute http(s) URL of at most `max` characters. */
export const absoluteUrlOfAtMost = (max: number) =>
  z
    .string()
    .max(max, `At most ${max} characters`)
    .refine((value) => {
      try {
        const url = new URL(value);
        return url.protocol === 'https:' || url.protocol === 'http:';
      } catch {
        return false;
      }
    }, 'Must be an absolute http(s) URL')
    // Credentials in a URL the buyer is sent to are somebody's secret shown in an address bar, or a
    // disguise (`https://shop.example@pay.example/` goes to pay.example).
    .refine((value) => !URL.canParse(value) || (new URL(value).username === '' && new URL(value).password === ''), 'Must not carry a user name or password');

export const absoluteUrl = absoluteUrlOfAtMost(2048);

export const currencyCode = z.string().regex(/^[A-Z]{3}$/, 'An ISO 4217 code: three capital letters');

export const idempotencyKey = z.string().min(1).max(255);

export const shortText = (max: number) => z.string().min(1, 'Must not be empty').max(max, `At most ${max} characters`);

/**
 * A 3-D Secure result (ContinueOrderCreationInput.threeDS): the provider's verification outcome,
 * passed on as given. It never says who initiates the payment: a result carrying `subsequent` (a
 * saved card's reference and initiator) is refused. Intergiro's adapter takes a result shaped as a
 * card payment (`{type: "card", card, ...}`) for the payment itself, so a browser token that may
 * create only a saved-card order the cardholder initiates (3-D Secure) could continue it with
 * `subsequent: {initiator: "merchant"}`, and the resubmission reached Intergiro as the merchant's
 * charge of the customer's saved card without 3-D Secure: what charge-without-buyer.ts refuses at
 * creation. No 3-D Secure result (Intergiro's iframe answer, its payment component's card, Adyen's
 * details) carries one.
 */
export const threeDSResult = z.custom<NonNullable<unknown>>(() => true).superRefine((value, context) => {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return;
  const key = Object.keys(value).find((name) => name.toLowerCase() === 'subsequent');
  if (key !== undefined) {
    context.addIssue({ code: 'custom', path: [key], message: 'A 3-D Secure result cannot choose a saved card or who initiates the payment' });
  }
});
