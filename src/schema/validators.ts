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
