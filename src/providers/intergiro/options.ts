import { z } from 'zod';

/** CreateOrderInput.intergiro, as GraphQL hands it over (schema/inputs.ts IntergiroOrderOptions implements it). */
export const IntergiroOptions = z.object({
  paymentType: z.enum(['CARD', 'CUSTOMER', 'LINK']),
  cardToken: z.string().nullish(),
  /** The browser object of the seed (JSON), passed on as given. */
  browser: z.unknown().optional(),
  subsequent: z.object({ reference: z.string(), initiator: z.string() }).nullish(),
  customerId: z.string().nullish(),
  cardholderName: z.boolean().nullish(),
  charge: z.boolean().nullish(),
});
export type IntergiroOptions = z.infer<typeof IntergiroOptions>;
